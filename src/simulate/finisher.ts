// The explore search's finisher: a small breadth-first search from an archived state. Random walks
// rarely take a long exact sequence of steps (in Raft with one message in flight, an election is about
// eight exact steps), and when the states on that sequence hold no new atom, pair or cell nothing in
// the novelty guides walks along it; a bounded exhaustive search from the state before it does not
// need guidance. The finisher checks what a walk checks (the walk's Expander) and moves only where a
// walk of the archived state's plan could move, so a path it finds is encoded as choices of that plan
// (search.ts) and shrunk and replayed as any walk.
import { hash, is } from 'immutable';
import type { CompiledModel } from '../engine/compiled-model.js';
import type { Expander } from './walk.js';


interface Reached {
  readonly state: unknown;
  left: number;
  next: Reached | undefined;
}

/** A path from the start state to a state whose expansion violates a property (or fails, or deadlocks). */
export interface FinisherHit {
  /** Per step, the index of the successor taken among the expanded state's successors. */
  readonly steps: number[];
}

/**
 * Breadth-first searches of bounded depth and size from given states, sharing one table of the
 * states expanded (with the steps they were expanded for), so that searches from nearby states
 * expand each state once: a finisher's cost goes to states no earlier finisher reached as deep.
 */
export class Finisher {
  /**
   * The states reached, by Immutable's hash (cached in the collections a step does not change, so much
   * cheaper than a fingerprint; equal hashes are told apart by value), with the most steps left when a
   * search last reached them.
   */
  private readonly reached = new Map<number, Reached>();
  private count = 0;
  /** States expanded, over all searches. */
  expanded = 0;
  /** The most steps from its start that a search expanded a state at. */
  deepest = 0;

  constructor(
    private readonly model: CompiledModel<unknown>,
    private readonly expander: Expander,
  ) {}

  get reachedStates(): number {
    return this.count;
  }

  private forget(s: unknown): void {
    for (let r = this.reached.get(hash(s)); r !== undefined; r = r.next) {
      if (r.state === s || is(r.state, s)) {
        r.left = -1;
        return;
      }
    }
  }

  /** Records that s was reached with `left` steps to go; false if it was reached before with as many. */
  private reach(s: unknown, left: number): boolean {
    const h = hash(s);
    let r = this.reached.get(h);
    if (r === undefined) {
      this.reached.set(h, { state: s, left, next: undefined });
      this.count++;
      return true;
    }
    for (;;) {
      if (r.state === s || is(r.state, s)) {
        if (r.left >= left) return false;
        r.left = left;
        return true;
      }
      if (r.next === undefined) break;
      r = r.next;
    }
    r.next = { state: s, left, next: undefined };
    this.count++;
    return true;
  }

  /**
   * Searches from `start` at most `depth` steps and `budget` expanded states. Steps are those a walk
   * under `weights` may take (good steps, and of a weighted action while one is possible). With `keep`,
   * a state reached first is expanded only if keep says so (the width search's novelty).
   */
  run(
    start: unknown,
    depth: number,
    budget: number,
    weights: readonly number[] | null,
    onReach?: (t: unknown, s: unknown, path: () => number[]) => void,
    keep?: (t: unknown, s: unknown) => boolean,
  ): FinisherHit | undefined {
    if (depth < 0) return undefined;
    const model = this.model;
    const ex = this.expander;
    const cands = ex.cands;
    const states: unknown[] = [start];
    const parent: number[] = [-1];
    const via: number[] = [-1];
    const level: number[] = [0];
    const hitAt = (n: number): FinisherHit => {
      const steps: number[] = [];
      for (let k = n; parent[k]! >= 0; k = parent[k]!) steps.push(via[k]!);
      return { steps: steps.reverse() };
    };
    this.reach(start, depth);
    let spent = 0;
    for (let n = 0; n < states.length && spent < budget; n++) {
      const s = states[n]!;
      const d = level[n]!;
      if (d > this.deepest) this.deepest = d;
      spent++;
      this.expanded++;
      let found;
      try {
        found = ex.expand(s);
      } catch {
        return hitAt(n); // the model throws here: a walk reports it as a violation
      }
      if (found !== undefined) return hitAt(n);
      if (cands.length === 0) {
        if (model.checkDeadlock) return hitAt(n);
        continue;
      }
      if (d >= depth) continue;
      let anyWeighted = weights === null;
      if (!anyWeighted) for (const c of cands) if (c.good && weights![c.action.index]! > 0) anyWeighted = true;
      const left = depth - d - 1;
      for (let i = 0; i < cands.length; i++) {
        const c = cands[i]!;
        if (!c.good || (weights !== null && anyWeighted && weights[c.action.index]! <= 0)) continue;
        if (!this.reach(c.t, left)) continue;
        if (keep !== undefined && !keep(c.t, s)) continue;
        const m = states.length;
        states.push(c.t);
        parent.push(n);
        via.push(i);
        level.push(d + 1);
        onReach?.(c.t, s, () => hitAt(m).steps);
      }
    }
    // States left in the queue were not expanded: a later search may expand them.
    for (let n = spent; n < states.length; n++) this.forget(states[n]!);
    return undefined;
  }
}
