// Counterexamples are rebuilt, not stored: each level keeps (fingerprint, parent fingerprint) pairs,
// the chain of fingerprints is followed back to an initial state, and then the model is replayed
// forward, picking at each step the successor with the next fingerprint (as Stateright does).
import type { Chunk } from './chunk.js';
import type { CompiledModel } from './compiled-model.js';
import { QuorumError } from '../model/errors.js';
import type { Args } from '../model/model.js';
import type { RecordRef } from './run-dir.js';

/** A chunk's (fingerprint, parent) pairs: in memory, in the run folder (ref), or both. */
export interface LogEntry {
  readonly count: number;
  fps?: Uint32Array;
  parents?: Uint32Array;
  ref?: RecordRef;
}
export type LevelLog = LogEntry[];
/** Reads a spilled log entry back. */
export type LogLoader = (ref: RecordRef) => Pick<Chunk, 'fps' | 'parents'>;

export interface TraceStep<S = unknown> {
  /** How the step reads: `Phase1b(a2)`; "Init" for the initial state. */
  readonly action: string;
  /** The action's name without arguments ("Init" for the initial state). */
  readonly actionName: string;
  readonly args: Args;
  readonly state: S;
  /** The last step of a counterexample may be one the ACTION_CONSTRAINT discards: its state is still checked. */
  readonly discarded?: boolean;
}

/** The parent fingerprint of a state logged at `level` (1-based). */
export function findParent(levels: readonly LevelLog[], level: number, hi: number, lo: number, load?: LogLoader): [number, number] | undefined {
  const log = levels[level - 1];
  if (!log) return undefined;
  for (const e of log) {
    let c: Pick<Chunk, 'fps' | 'parents'> | undefined = e.fps && e.parents ? { fps: e.fps, parents: e.parents } : undefined;
    if (!c) {
      if (!e.ref || !load) throw new QuorumError('INTERNAL', 'trace rebuild: a spilled parent log entry with no run folder to read it from');
      c = load(e.ref);
    }
    const fps = c.fps;
    for (let i = 0; i < e.count; i++) {
      if (fps[2 * i + 1] === lo && fps[2 * i] === hi) return [c.parents[2 * i]!, c.parents[2 * i + 1]!];
    }
  }
  return undefined;
}

/** Fingerprints from an initial state to the given state. */
export function fingerprintChain(
  levels: readonly LevelLog[],
  level: number,
  fp: readonly [number, number],
  parent?: readonly [number, number],
  load?: LogLoader,
): [number, number][] {
  const chain: [number, number][] = [[fp[0], fp[1]]];
  let cur: [number, number] = [fp[0], fp[1]];
  let lvl = level;
  if (parent) {
    // The state itself is not logged (a CONSTRAINT cut it): its parent is known directly.
    cur = [parent[0], parent[1]];
    chain.unshift(cur);
    lvl = level - 1;
  }
  while (lvl > 1) {
    const p = findParent(levels, lvl, cur[0], cur[1], load);
    if (!p) throw new QuorumError('INTERNAL', `trace rebuild: no parent for a state at level ${lvl}`);
    chain.unshift(p);
    cur = p;
    lvl--;
  }
  return chain;
}

const scratch = new Uint32Array(2);
function sameFp<S>(model: CompiledModel<S>, v: S, fp: readonly [number, number]): boolean {
  model.keyFingerprintInto(v, scratch, 0);
  return scratch[0] === fp[0] && scratch[1] === fp[1];
}

/** Replays the model along a chain of fingerprints. */
export function replay<S>(model: CompiledModel<S>, chain: readonly (readonly [number, number])[]): TraceStep<S>[] {
  const first: S | undefined = model.init.find((s) => sameFp(model, s, chain[0]!));
  if (first === undefined) throw new QuorumError('INTERNAL', 'trace rebuild: no initial state has the first fingerprint (is the model deterministic?)');
  const steps: TraceStep<S>[] = [{ action: 'Init', actionName: 'Init', args: {}, state: first }];
  let cur: S = first;
  for (let k = 1; k < chain.length; k++) {
    let found: TraceStep<S> | undefined;
    // The last step may be one the ACTION_CONSTRAINT discards (its state is still checked), when no allowed step reaches it.
    let discarded: TraceStep<S> | undefined;
    const want = chain[k]!;
    const last = k === chain.length - 1;
    model.successors(cur, (action, args, t) => {
      if (found !== undefined || !sameFp(model, t, want)) return;
      const step = { action: model.showAction(action, args), actionName: action.name, args, state: t };
      if (model.allowsStep(cur, t)) found = step;
      else if (last) discarded ??= { ...step, discarded: true };
    });
    const step = (found ?? discarded) as TraceStep<S> | undefined;
    if (step === undefined) {
      throw new QuorumError('INTERNAL', `trace rebuild: no successor of state ${k} has the next fingerprint (is the model deterministic?)`);
    }
    steps.push(step);
    cur = step.state;
  }
  return steps;
}
