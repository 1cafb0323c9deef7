// Novelty on an abstraction of the state, for the explore search (Go-Explore with width-2 novelty, as in
// the IW(2) planners): a state is cut into atoms, one per variable (or, for a variable holding a map,
// one per key: "the log of s1 is <<[term 2, v1]>>"), and a state is new when it holds an atom, or a pair
// of atoms, that no state of the seed held before. So a new combination of per-node values counts as
// new, while a state that differs from known ones only by a new mix of old pairs (most states of a
// protocol: messages in flight, vote tallies) does not.
import { List, Map as IMap, Record } from 'immutable';
import { fingerprintInto } from '../engine/fingerprint.js';

const fp = new Uint32Array(2);

/** murmur3's 32-bit finalizer. */
export function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function fp32(v: unknown): number {
  fingerprintInto(v, fp, 0);
  return mix(fp[0]! ^ Math.imul(fp[1]!, 0x9e3779b1));
}

/** The atoms of a state: 32-bit hashes of (variable, key, value) for a record or map state, else the state's own hash. */
export function atomsOf(s: unknown, out: number[]): number[] {
  out.length = 0;
  const field = (slot: number, v: unknown) => {
    if (IMap.isMap(v)) {
      (v as IMap<unknown, unknown>).forEach((x, k) => {
        out.push(mix(mix(slot ^ fp32(k)) ^ fp32(x)));
      });
    } else out.push(mix(slot ^ fp32(v)));
  };
  if (Record.isRecord(s)) {
    let slot = 0x51ed27;
    for (const [, v] of (s as unknown as Iterable<[string, unknown]>)) {
      slot = mix(slot + 0x632be5ab);
      field(slot, v);
    }
  } else if (IMap.isMap(s)) {
    (s as IMap<unknown, unknown>).forEach((x, k) => field(mix(fp32(k) + 0x2545f491), x));
  } else if (List.isList(s)) {
    (s as List<unknown>).forEach((x, i) => field(mix(i + 0x7f4a7c15), x));
  } else out.push(fp32(s));
  return out;
}

/** The fingerprint (32 bits) of each variable of a record or map state, in order; one for any other state. */
export function variablesOf(s: unknown, out: number[]): number[] {
  out.length = 0;
  if (Record.isRecord(s)) for (const [, v] of (s as unknown as Iterable<[string, unknown]>)) out.push(fp32(v));
  else if (IMap.isMap(s)) (s as IMap<unknown, unknown>).forEach((x, k) => out.push(mix(fp32(k) ^ fp32(x))));
  else out.push(fp32(s));
  return out;
}

/**
 * Cells: a state projected on its slow variables, those that changed in at most `churn` times as many
 * of the first steps of the seed as the variable that changed most often (in a protocol: every
 * variable but the messages in flight). A state in a new cell is new: a new combination of the values
 * of all slow variables.
 */
export class Cells {
  private readonly cells = new Set<number>();
  private changes: number[] = [];
  private steps = 0;
  private slow: boolean[] | undefined;
  private readonly a: number[] = [];
  private readonly b: number[] = [];
  constructor(private readonly warmupSteps: number, private readonly churn: number) {}

  /** Learns which variables change often, from a step s → t of the warmup. */
  observe(s: unknown, t: unknown): void {
    if (this.slow !== undefined) return;
    variablesOf(s, this.a);
    variablesOf(t, this.b);
    for (let i = 0; i < this.b.length; i++) this.changes[i] = (this.changes[i] ?? 0) + (this.a[i] !== this.b[i] ? 1 : 0);
    if (++this.steps >= this.warmupSteps) {
      const most = Math.max(...this.changes);
      this.slow = this.changes.map((c) => c <= this.churn * most);
    }
  }

  private key(t: unknown): number | undefined {
    if (this.slow === undefined) return undefined;
    variablesOf(t, this.b);
    let h = 0x1b873593;
    for (let i = 0; i < this.b.length; i++) if (this.slow[i]) h = mix(h ^ this.b[i]!) + i;
    return h;
  }

  isNew(t: unknown): boolean {
    const k = this.key(t);
    return k !== undefined && !this.cells.has(k);
  }

  /** Records t's cell; whether it was new. */
  add(t: unknown): boolean {
    const k = this.key(t);
    if (k === undefined || this.cells.has(k)) return false;
    this.cells.add(k);
    return true;
  }

  get size(): number {
    return this.cells.size;
  }
}

/** A 53-bit key of an unordered pair of atoms. */
function pairKey(a: number, b: number): number {
  if (a > b) [a, b] = [b, a];
  return (mix(a ^ 0x3c6ef372) & 0x1fffff) * 4294967296 + mix(b + Math.imul(a, 0x27d4eb2f));
}

/** Width-2 novelty: which atoms and pairs of atoms the seed's walks have reached. */
export class PairNovelty {
  private readonly atoms = new Set<number>();
  private readonly pairs = new Set<number>();
  private parent: unknown = undefined;
  private parentAtoms = new Set<number>();
  private readonly scratch: number[] = [];
  private readonly changed: number[] = [];

  private setParent(s: unknown): void {
    if (s === this.parent) return;
    this.parent = s;
    this.parentAtoms = new Set(atomsOf(s, this.scratch));
  }

  /** Atoms of t that its parent s did not hold (all of them without a parent), left in `changed`; t's atoms in `scratch`. */
  private diff(t: unknown, s: unknown): void {
    this.changed.length = 0;
    if (s === undefined) {
      atomsOf(t, this.scratch);
      for (const a of this.scratch) this.changed.push(a);
      return;
    }
    this.setParent(s);
    atomsOf(t, this.scratch);
    for (const a of this.scratch) if (!this.parentAtoms.has(a)) this.changed.push(a);
  }

  /** Whether t (a successor of s) holds an atom or a pair of atoms not reached before. */
  isNew(t: unknown, s: unknown): boolean {
    this.diff(t, s);
    for (const a of this.changed) {
      if (!this.atoms.has(a)) return true;
      for (const b of this.scratch) if (a !== b && !this.pairs.has(pairKey(a, b))) return true;
    }
    return false;
  }

  /** Records the atoms and pairs of s (reached from parent); returns how many of them were new. */
  add(s: unknown, parent: unknown): number {
    this.diff(s, parent);
    let fresh = 0;
    for (const a of this.changed) {
      if (!this.atoms.has(a)) {
        this.atoms.add(a);
        fresh++;
      }
      for (const b of this.scratch) {
        if (a === b) continue;
        const k = pairKey(a, b);
        if (!this.pairs.has(k)) {
          this.pairs.add(k);
          fresh++;
        }
      }
    }
    return fresh;
  }

  get size(): number {
    return this.pairs.size;
  }
}
