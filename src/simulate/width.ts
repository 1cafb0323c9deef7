// The width search (`simulate --width K`): breadth-first search that keeps a state only when it is new
// by width-K novelty over the state's variables, as the IW(K) planners do: some K of its variables
// hold values together that no state generated before held. Breadth-first order means each such
// combination is first reached by a shortest path, so the search spends no steps that a shortest
// path would not (in Raft: no wasted terms), and its counterexample is short without shrinking. It is
// bounded by the number of combinations, not by the state space, and incomplete: a violation whose
// path has a state with nothing new is missed. `--width-by VARS` counts novelty separately for each
// value of those variables (as BFWS partitions novelty by the goals reached), so that progress in them,
// such as a commit, makes every combination new again.
import { List, Map as IMap, Record } from 'immutable';
import { fingerprintInto } from '../engine/fingerprint.js';
import { QuorumError } from '../model/errors.js';
import { mix } from './cells.js';

const fp = new Uint32Array(2);
// A step changes few variables and Immutable shares the rest, so a value's hash is cached by identity.
const hashes = new WeakMap<object, number>();

function valueHash(v: unknown): number {
  const cacheable = typeof v === 'object' && v !== null;
  if (cacheable) {
    const h = hashes.get(v);
    if (h !== undefined) return h;
  }
  fingerprintInto(v, fp, 0);
  const h = mix(fp[0]! ^ Math.imul(fp[1]!, 0x9e3779b1));
  if (cacheable) hashes.set(v as object, h);
  return h;
}

/** The names of a state's variables: a record's fields, or a map's keys (as text). */
export function variableNames(s: unknown): string[] {
  if (Record.isRecord(s)) return [...(s as unknown as Iterable<[string, unknown]>)].map(([k]) => k);
  if (IMap.isMap(s)) return [...(s as IMap<unknown, unknown>).keys()].map(String);
  if (List.isList(s)) return (s as List<unknown>).toArray().map((_, i) => String(i));
  return [];
}

function valuesInto(s: unknown, out: unknown[]): unknown[] {
  out.length = 0;
  if (Record.isRecord(s)) for (const [, v] of s as unknown as Iterable<[string, unknown]>) out.push(v);
  else if (IMap.isMap(s)) (s as IMap<unknown, unknown>).forEach((v) => out.push(v));
  else if (List.isList(s)) (s as List<unknown>).forEach((v) => out.push(v));
  else out.push(s);
  return out;
}

/** Width-K novelty (K = 1 or 2) over a state's variables, optionally partitioned by some of them. */
export class VariableNovelty {
  private readonly seen = new Set<number>();
  private readonly partition: number[];
  private readonly sv: unknown[] = [];
  private readonly pv: unknown[] = [];
  private readonly sh: number[] = [];
  private readonly changed: boolean[] = [];

  /** `by`: the names of the partitioning variables (checked against the initial state's). */
  constructor(private readonly width: number, by: readonly string[], initial: unknown) {
    if (width !== 1 && width !== 2) throw new QuorumError('USAGE', `the width must be 1 or 2, not ${width}`, '--width');
    const names = variableNames(initial);
    this.partition = by.map((n) => {
      const i = names.indexOf(n);
      if (i < 0) throw new QuorumError('USAGE', `the state has no variable '${n}' (its variables: ${names.join(', ') || 'none'})`, '--width-by');
      return i;
    });
  }

  get size(): number {
    return this.seen.size;
  }

  private parent: unknown = undefined;
  private readonly ph: number[] = [];

  /** Records the combinations of t (a successor of s, or an initial state); whether any was new. */
  add(t: unknown, s: unknown): boolean {
    const v = valuesInto(t, this.sv);
    const h = this.sh;
    h.length = v.length;
    const ch = this.changed;
    ch.length = v.length;
    // Successors of one state come one after another: its values and their hashes are kept.
    let all = s === undefined;
    const p = this.pv;
    if (!all && s !== this.parent) {
      this.parent = s;
      valuesInto(s, p);
      this.ph.length = p.length;
      for (let i = 0; i < p.length; i++) this.ph[i] = valueHash(p[i]);
    }
    for (let i = 0; i < v.length; i++) {
      if (!all && v[i] === p[i]) {
        h[i] = this.ph[i]!;
        ch[i] = false;
      } else {
        h[i] = valueHash(v[i]);
        ch[i] = all || h[i] !== this.ph[i];
      }
    }
    let part = 0x2545f491;
    for (const i of this.partition) part = mix(part + h[i]! + i);
    // Combinations of variables the step did not change were recorded with s, unless the partition moved.
    if (!all) for (const i of this.partition) if (ch[i]) all = true;
    let fresh = false;
    for (let i = 0; i < v.length; i++) {
      const hi = mix(part ^ mix(h[i]! + Math.imul(i + 1, 0x9e3779b1)));
      if ((all || ch[i]) && this.put(hi, mix(hi + 0x632be5ab))) fresh = true;
      if (this.width < 2) continue;
      for (let j = i + 1; j < v.length; j++) {
        if (!all && !ch[i] && !ch[j]) continue;
        const hj = mix(hi ^ mix(h[j]! + Math.imul(j + 1, 0x27d4eb2f)));
        if (this.put(mix(hj + 0x165667b1), hj)) fresh = true;
      }
    }
    return fresh;
  }

  /** Records the 53-bit key of (a, b); whether it was new. */
  private put(a: number, b: number): boolean {
    const k = (a & 0x1fffff) * 4294967296 + b;
    if (this.seen.has(k)) return false;
    this.seen.add(k);
    return true;
  }
}
