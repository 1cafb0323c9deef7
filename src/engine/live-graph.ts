// The state graph for liveness, recorded by the breadth-first search itself. A worker reports, per state
// it expands, its successors' fingerprints with the fairness groups of each step, the groups enabled in
// the state and the values of the liveness properties' state predicates, all in typed arrays. This thread
// turns fingerprints into dense state indices as results arrive, so the graph is a few typed arrays
// (about 4-5 bytes per edge and 25 per state), with no per-edge objects and no string keys; its size is
// bounded by memory only. States themselves are not kept: a counterexample replays the model along the
// path's fingerprints, as safety traces do.
import { is } from 'immutable';
import type { Args } from '../model/model.js';
import type { Fairness, Property } from '../model/properties.js';
import { QuorumError } from '../model/errors.js';
import type { CompiledAction, CompiledModel } from './compiled-model.js';

/** Up to 30 fairness assumptions: each is one bit of a step's or a state's group mask. */
export const MAX_FAIRNESS = 30;

/** The state predicates liveness needs, flattened: bit `base[k]` (and `base[k] + 1` for leads-to's target) of property k. */
export interface LivePredicates<S> {
  readonly predicates: [string, (s: S) => boolean][];
  /** Per liveness property of the model, its first predicate's bit, or -1 for a kind liveness does not check. */
  readonly base: number[];
}

export function livePredicates<S>(liveness: readonly [string, Property<S>][]): LivePredicates<S> {
  const predicates: [string, (s: S) => boolean][] = [];
  const base: number[] = [];
  for (const [name, p] of liveness) {
    switch (p.kind) {
      case 'eventually':
      case 'always-eventually':
      case 'eventually-always':
        base.push(predicates.length);
        predicates.push([name, p.holds]);
        break;
      case 'leads-to':
        base.push(predicates.length);
        predicates.push([name, p.from], [name, p.to]);
        break;
      default:
        base.push(-1);
    }
  }
  return { predicates, base };
}

/** The fairness groups a step (action with arguments) belongs to, as a bit mask; cached per static argument object. */
export function fairnessMasker<S>(model: CompiledModel<S>): (action: CompiledAction<S>, args: Args) => number {
  const fair = model.fairness;
  if (fair.length > MAX_FAIRNESS) throw new QuorumError('CFG_INVALID', `at most ${MAX_FAIRNESS} fairness assumptions are supported`);
  // Per action: the (group bit, argument prefix) pairs that mention it.
  const byAction: { bit: number; args: readonly unknown[] }[][] = model.actions.map(() => []);
  fair.forEach((f, g) => {
    for (const m of f.group) {
      const a = model.actions.find((x) => x.name === m.action);
      if (a) byAction[a.index]!.push({ bit: 1 << g, args: m.args });
    }
  });
  const cache = model.actions.map(() => new Map<Args, number>());
  return (action, args) => {
    const mentions = byAction[action.index]!;
    if (mentions.length === 0) return 0;
    const c = action.combos !== null ? cache[action.index]! : undefined;
    const hit = c?.get(args);
    if (hit !== undefined) return hit;
    const vals = Object.values(args);
    let mask = 0;
    for (const m of mentions) if (m.args.every((x, i) => is(x, vals[i]))) mask |= m.bit;
    c?.set(args, mask);
    return mask;
  };
}

/** What one task reports for the states it expanded completely, in the chunk's order from the task's `from`. */
export interface TaskGraph {
  readonly states: number;
  /** Per state: its distinct non-stuttering steps (within the constraints). */
  readonly edgeCounts: Uint32Array;
  /** Per state: the fairness groups some non-stuttering step of it belongs to. */
  readonly enabled: Uint32Array;
  /** Per state: `predicateBytes` bytes of predicate bits. */
  readonly predicates: Uint8Array;
  /** Per step: successor fingerprint [hi, lo] and its fairness groups. */
  readonly edges: Uint32Array;
}

function grown(a: Uint32Array<ArrayBuffer>, need: number): Uint32Array<ArrayBuffer> {
  if (need <= a.length) return a;
  const b = new Uint32Array(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

// Beyond this many steps of one state, duplicates are kept: checking each new one against all before costs more.
const DEDUP_LIMIT = 64;

/** A worker's recorder of one task's graph. */
export class GraphRecorder<S> {
  private counts = new Uint32Array(256);
  private enabledOf = new Uint32Array(256);
  private preds: Uint8Array;
  private edges = new Uint32Array(3 * 1024);
  private n = 0;
  private e = 0;
  private stateEdgesStart = 0;
  private en = 0;
  readonly predicateBytes: number;

  constructor(private readonly live: LivePredicates<S>, private readonly holds: (p: [string, (s: S) => boolean], s: S) => boolean) {
    this.predicateBytes = (live.predicates.length + 7) >> 3;
    this.preds = new Uint8Array(256 * this.predicateBytes);
  }

  beginState(): void {
    this.stateEdgesStart = this.e;
    this.en = 0;
  }

  /** A step to a successor within the constraints; `selfHi`/`selfLo` is the expanded state's fingerprint. */
  step(hi: number, lo: number, groups: number, selfHi: number, selfLo: number): void {
    if (hi === selfHi && lo === selfLo) return; // stuttering: neither enables nor fulfils <A>_vars
    this.en |= groups;
    const edges = this.edges;
    const from = this.stateEdgesStart, to = this.e;
    if (to - from < 3 * DEDUP_LIMIT) {
      for (let k = from; k < to; k += 3) if (edges[k + 1] === lo && edges[k] === hi && edges[k + 2] === groups) return;
    }
    if (to + 3 > edges.length) this.edges = grown(edges, to + 3);
    this.edges[to] = hi;
    this.edges[to + 1] = lo;
    this.edges[to + 2] = groups;
    this.e = to + 3;
  }

  /** The state's expansion was abandoned (it will be expanded again): its steps are dropped. */
  abandonState(): void {
    this.e = this.stateEdgesStart;
  }

  endState(s: S): void {
    const i = this.n;
    if (i + 1 > this.counts.length) {
      this.counts = grown(this.counts, i + 1);
      this.enabledOf = grown(this.enabledOf, i + 1);
      const p = new Uint8Array(this.counts.length * this.predicateBytes);
      p.set(this.preds);
      this.preds = p;
    }
    this.counts[i] = (this.e - this.stateEdgesStart) / 3;
    this.enabledOf[i] = this.en;
    const ps = this.live.predicates;
    const at = i * this.predicateBytes;
    for (let k = 0; k < ps.length; k++) if (this.holds(ps[k]!, s)) this.preds[at + (k >> 3)]! |= 1 << (k & 7);
    this.n = i + 1;
  }

  take(): TaskGraph {
    return {
      states: this.n,
      edgeCounts: this.counts.slice(0, this.n),
      enabled: this.enabledOf.slice(0, this.n),
      predicates: this.preds.slice(0, this.n * this.predicateBytes),
      edges: this.edges.slice(0, this.e),
    };
  }
}

type Masks = Uint8Array | Uint16Array | Uint32Array;

function masksFor(fairness: number, n: number): Masks {
  return fairness <= 8 ? new Uint8Array(n) : fairness <= 16 ? new Uint16Array(n) : new Uint32Array(n);
}

function grownMasks(a: Masks, need: number): Masks {
  if (need <= a.length) return a;
  const b = new (a.constructor as new (n: number) => Masks)(Math.max(need, Math.ceil(a.length * 1.5)));
  b.set(a);
  return b;
}

function grownU32(a: Uint32Array<ArrayBuffer>, need: number): Uint32Array<ArrayBuffer> {
  if (need <= a.length) return a;
  const b = new Uint32Array(Math.max(need, Math.ceil(a.length * 1.5)));
  b.set(a);
  return b;
}

function grownU8(a: Uint8Array<ArrayBuffer>, need: number): Uint8Array<ArrayBuffer> {
  if (need <= a.length) return a;
  const b = new Uint8Array(Math.max(need, Math.ceil(a.length * 1.5)));
  b.set(a);
  return b;
}

/** The graph the liveness analysis reads: dense state indices, compressed adjacency. */
export interface StateGraph {
  readonly n: number;
  /** Indices of the initial states within the constraints, in the model's order. */
  readonly initial: readonly number[];
  /** State v's steps are edgeTo[edgeStart[v] .. edgeStart[v] + edgeCount[v]), in the model's enumeration order. */
  readonly edgeStart: Uint32Array;
  readonly edgeCount: Uint32Array;
  readonly edgeTo: Uint32Array;
  /** Fairness groups per step; null when there is no fairness assumption. */
  readonly edgeGroups: Masks | null;
  /** Fairness groups enabled per state; null when there is no fairness assumption. */
  readonly enabled: Masks | null;
  readonly predicates: Uint8Array;
  readonly predicateBytes: number;
  /** [hi, lo] fingerprint per state (to replay a path). */
  readonly fps: Uint32Array;
}

/** Whether predicate bit `k` holds in state v. */
export function predicate(g: StateGraph, v: number, k: number): boolean {
  return (g.predicates[v * g.predicateBytes + (k >> 3)]! & (1 << (k & 7))) !== 0;
}

function mix(hi: number, lo: number): number {
  let h = Math.imul(lo ^ (hi >>> 15), 0x85ebca6b) ^ hi;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Turns results into the graph, on the coordinating thread, as they arrive. */
export class LiveGraphBuilder {
  private n = 0;
  private fps = new Uint32Array(2 * 4096);
  // fingerprint -> index + 1 (0: empty), open addressing.
  private slots = new Uint32Array(1 << 13);
  private keys = new Uint32Array(2 << 13);
  private mask = (1 << 13) - 1;
  private edgeStart = new Uint32Array(4096);
  private edgeCount = new Uint32Array(4096);
  private expanded = new Uint8Array(4096);
  private enabled: Masks;
  private predicates: Uint8Array<ArrayBuffer>;
  private edgeTo = new Uint32Array(16384);
  private edgeGroups: Masks | null;
  private e = 0;
  private readonly initial: number[] = [];
  private expandedCount = 0;

  constructor(private readonly fairness: number, readonly predicateBytes: number) {
    this.enabled = masksFor(fairness, 4096);
    this.edgeGroups = fairness > 0 ? masksFor(fairness, 16384) : null;
    this.predicates = new Uint8Array(4096 * predicateBytes);
  }

  /** The index of a fingerprint, given a new one if it has none. */
  indexOf(hi: number, lo: number): number {
    let i = mix(hi, lo) & this.mask;
    const keys = this.keys, slots = this.slots;
    for (;;) {
      const s = slots[i]!;
      if (s === 0) break;
      if (keys[2 * i] === hi && keys[2 * i + 1] === lo) return s - 1;
      i = (i + 1) & this.mask;
    }
    const v = this.n++;
    slots[i] = v + 1;
    keys[2 * i] = hi;
    keys[2 * i + 1] = lo;
    if (2 * this.n > this.fps.length) this.growStates();
    this.fps[2 * v] = hi;
    this.fps[2 * v + 1] = lo;
    if (this.n * 4 > this.slots.length * 3) this.rehash();
    return v;
  }

  private growStates(): void {
    const cap = Math.ceil((this.fps.length / 2) * 1.5);
    this.fps = grownU32(this.fps, 2 * cap);
    this.edgeStart = grownU32(this.edgeStart, cap);
    this.edgeCount = grownU32(this.edgeCount, cap);
    this.expanded = grownU8(this.expanded, cap);
    this.enabled = grownMasks(this.enabled, cap);
    this.predicates = grownU8(this.predicates, cap * this.predicateBytes);
  }

  private rehash(): void {
    const size = this.slots.length * 2;
    const slots = new Uint32Array(size), keys = new Uint32Array(2 * size);
    const mask = size - 1;
    for (let v = 0; v < this.n; v++) {
      const hi = this.fps[2 * v]!, lo = this.fps[2 * v + 1]!;
      let i = mix(hi, lo) & mask;
      while (slots[i] !== 0) i = (i + 1) & mask;
      slots[i] = v + 1;
      keys[2 * i] = hi;
      keys[2 * i + 1] = lo;
    }
    this.slots = slots;
    this.keys = keys;
    this.mask = mask;
  }

  addInitial(hi: number, lo: number): void {
    this.initial.push(this.indexOf(hi, lo));
  }

  /** A task's graph: its states are `fps` pairs from index `from` of the task's chunk. */
  addTask(fps: Uint32Array, from: number, t: TaskGraph): void {
    let at = 0;
    for (let i = 0; i < t.states; i++) {
      const v = this.indexOf(fps[2 * (from + i)]!, fps[2 * (from + i) + 1]!);
      if (this.expanded[v]) throw new QuorumError('INTERNAL', 'liveness graph: a state was expanded twice');
      this.expanded[v] = 1;
      this.expandedCount++;
      const count = t.edgeCounts[i]!;
      const start = this.e;
      if (start + count > this.edgeTo.length) {
        this.edgeTo = grownU32(this.edgeTo, start + count);
        if (this.edgeGroups) this.edgeGroups = grownMasks(this.edgeGroups, this.edgeTo.length);
      }
      for (let k = 0; k < count; k++, at += 3) {
        // indexOf may grow the state arrays, never the edge arrays: read them after it.
        const w = this.indexOf(t.edges[at]!, t.edges[at + 1]!);
        this.edgeTo[start + k] = w;
        if (this.edgeGroups) this.edgeGroups[start + k] = t.edges[at + 2]!;
      }
      this.e = start + count;
      this.edgeStart[v] = start;
      this.edgeCount[v] = count;
      this.enabled[v] = t.enabled[i]!;
      for (let b = 0; b < this.predicateBytes; b++) this.predicates[v * this.predicateBytes + b] = t.predicates[i * this.predicateBytes + b]!;
    }
  }

  /** Memory the graph holds now (typed arrays, capacity included). */
  get bytes(): number {
    return (
      this.fps.byteLength + this.slots.byteLength + this.keys.byteLength + this.edgeStart.byteLength + this.edgeCount.byteLength + this.expanded.byteLength +
      this.enabled.byteLength + this.predicates.byteLength + this.edgeTo.byteLength + (this.edgeGroups?.byteLength ?? 0)
    );
  }

  get states(): number {
    return this.n;
  }

  /** The finished graph; the lookup table is dropped. Every state must have been expanded. */
  finish(): StateGraph {
    if (this.expandedCount !== this.n) throw new QuorumError('INTERNAL', `liveness graph: ${this.n - this.expandedCount} of ${this.n} states were never expanded`);
    this.slots = new Uint32Array(0);
    this.keys = new Uint32Array(0);
    return {
      n: this.n,
      initial: this.initial,
      edgeStart: this.edgeStart,
      edgeCount: this.edgeCount,
      edgeTo: this.edgeTo,
      edgeGroups: this.edgeGroups,
      enabled: this.fairness > 0 ? this.enabled : null,
      predicates: this.predicates,
      predicateBytes: this.predicateBytes,
      fps: this.fps,
    };
  }
}

export type { Fairness };
