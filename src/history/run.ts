// Checking one partition of a parsed history by model name: what the CLI runs on the main thread and
// what each pool worker runs.
import { checkPartitionSlices, explain, specForPartition } from './check.js';
import { readEdn } from './edn.js';
import { findModel } from './models/index.js';
import type { JepsenOp } from './parse.js';
import type { Consistency, Explanation, SequentialSpec } from './types.js';
import { QuorumError } from '../model/errors.js';

export interface PartitionTask {
  readonly model: string;
  /** The initial value as EDN text. */
  readonly init: string;
  readonly consistency: Consistency;
  readonly partitioned: boolean;
  readonly index: number;
  /** Milliseconds left in the budget when the task was sent (Infinity: none). */
  readonly budgetMs: number;
  readonly sentAt: number; // Date.now() when sent
  readonly maxMemoryBytes: number;
}

export interface PartitionResult {
  readonly index: number;
  readonly verdict: 'linearizable' | 'not-linearizable' | 'unknown';
  readonly reason?: 'timeout' | 'memory';
  readonly steps: number;
  readonly explanation?: Explanation;
  readonly elapsedMs: number;
}

/** The spec for a model name and EDN initial value; a bad name or value is bad input. */
export function makeSpec(model: string, init: string | undefined): SequentialSpec<any, any, any> {
  const entry = findModel(model);
  if (entry === undefined) throw new QuorumError('UNKNOWN_MODEL', `unknown history model '${model}'`, '--model');
  const text = init ?? entry.defaultInit;
  let value: unknown;
  try {
    value = readEdn(text, '--init');
  } catch (e) {
    throw new QuorumError('USAGE', `--init takes one EDN value: ${e instanceof QuorumError ? e.message : String(e)}`, '--init');
  }
  try {
    return entry.make(value);
  } catch (e) {
    throw new QuorumError('USAGE', e instanceof Error ? e.message : String(e), '--init');
  }
}

export function runPartition(spec: SequentialSpec<any, any, any>, part: readonly JepsenOp[], task: PartitionTask): PartitionResult {
  const run = startPartition(spec, part, task, Infinity);
  for (;;) {
    const r = run.next();
    if (r.done) return r.value;
  }
}

/** runPartition pausing after about every `slice` search steps; elapsedMs counts its own running time only. */
export function* startPartition(spec: SequentialSpec<any, any, any>, part: readonly JepsenOp[], task: PartitionTask, slice: number): Generator<void, PartitionResult, void> {
  let started = performance.now();
  let elapsed = 0;
  const left = task.budgetMs - (Date.now() - task.sentAt);
  const deadline = Number.isFinite(left) ? started + Math.max(0, left) : Infinity;
  const pspec = specForPartition(spec, part, task.partitioned);
  const search = checkPartitionSlices(pspec, part, { consistency: task.consistency, deadline, maxMemoryBytes: task.maxMemoryBytes }, slice);
  let r;
  for (;;) {
    const s = search.next();
    if (s.done) {
      r = s.value;
      break;
    }
    elapsed += performance.now() - started;
    yield;
    started = performance.now();
  }
  const explanation = r.verdict === 'not-linearizable' ? explain(pspec, part, r, task.index) : undefined;
  return {
    index: task.index,
    verdict: r.verdict,
    ...(r.reason ? { reason: r.reason } : {}),
    steps: r.steps,
    ...(explanation ? { explanation } : {}),
    elapsedMs: elapsed + performance.now() - started,
  };
}
