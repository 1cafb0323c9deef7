// checkOperations: the synchronous, in-thread check (what a model property calls on every state, and
// what each pool worker runs on its partition).
import type { CheckOptions, Explanation, ExplainedOp, HistoryVerdict, Operation, SequentialSpec } from './types.js';
import { printEdn } from './edn-value.js';
import { searchLinearizable, searchLinearizableSlices, type SearchResult } from './wgl.js';
import { searchSequential } from './sequential.js';

/** The ops the search sees: `fail` ops are removed unless the spec observes them. */
export function searchableOps<I, O>(spec: SequentialSpec<unknown, I, O>, ops: readonly Operation<I, O>[]): readonly Operation<I, O>[] {
  if (spec.failedOps === 'observe') return ops;
  return ops.some((o) => o.status === 'fail') ? ops.filter((o) => o.status !== 'fail') : ops;
}

/** The partitions a check looks at (one when the spec has no partition function or it is turned off). */
export function partitionOps<I, O>(
  spec: SequentialSpec<unknown, I, O>,
  ops: readonly Operation<I, O>[],
  partition = true,
): readonly (readonly Operation<I, O>[])[] {
  const kept = searchableOps(spec, ops);
  return partition && spec.partition ? spec.partition(kept) : [kept];
}

/** The spec a partition is checked against. */
export function specForPartition<I, O>(spec: SequentialSpec<any, I, O>, part: readonly Operation<I, O>[], partitioned: boolean): SequentialSpec<any, I, O> {
  return partitioned && spec.partition && spec.partitionSpec ? spec.partitionSpec(part) : spec;
}

export function deadlineOf(opts: CheckOptions | undefined): number {
  if (opts?.deadline !== undefined) return opts.deadline;
  return opts?.timeoutMs !== undefined ? performance.now() + opts.timeoutMs : Infinity;
}

/** Checks one partition. */
export function checkPartition<S, I, O>(
  spec: SequentialSpec<S, I, O>,
  ops: readonly Operation<I, O>[],
  opts: CheckOptions & { deadline: number },
): SearchResult {
  const limits = { deadline: opts.deadline, maxMemoryBytes: opts.maxMemoryBytes ?? Infinity };
  return opts.consistency === 'sequential' ? searchSequential(spec, ops, limits) : searchLinearizable(spec, ops, limits);
}

/** checkPartition pausing after about every `slice` steps where the search can (see searchCompiledSlices). */
export function* checkPartitionSlices<S, I, O>(
  spec: SequentialSpec<S, I, O>,
  ops: readonly Operation<I, O>[],
  opts: CheckOptions & { deadline: number },
  slice: number,
): Generator<void, SearchResult, void> {
  const limits = { deadline: opts.deadline, maxMemoryBytes: opts.maxMemoryBytes ?? Infinity };
  if (opts.consistency === 'sequential') return searchSequential(spec, ops, limits);
  return yield* searchLinearizableSlices(spec, ops, limits, slice);
}

export function describeOp<S, I, O>(spec: SequentialSpec<S, I, O>, op: Operation<I, O>): string {
  if (spec.describeOperation) return spec.describeOperation(op.input, op.output, op.status);
  return `${printEdn(op.input)}${op.output !== undefined ? ` → ${printEdn(op.output)}` : ''}${op.status === 'ok' ? '' : ` (${op.status})`}`;
}

/** A search's dead end in terms of op ids and words. */
export function explain<S, I, O>(
  spec: SequentialSpec<S, I, O>,
  ops: readonly Operation<I, O>[],
  result: SearchResult,
  partition: number,
): Explanation | undefined {
  const d = result.deadEnd;
  if (d === undefined) return undefined;
  const state = d.state as S;
  const offending = ops[d.offending]!;
  const explained: ExplainedOp[] = ops.map((o) => ({
    id: o.id,
    process: o.process,
    status: o.status,
    call: o.call,
    ret: Number.isFinite(o.ret) ? o.ret : null,
    text: describeOp(spec, o),
    ...(o.source !== undefined ? { source: o.source } : {}),
  }));
  const needs = spec.requirement?.(offending.input, offending.output, offending.status);
  return {
    partition,
    ops: explained,
    prefix: d.prefix.map((i) => ops[i]!.id),
    state: spec.describeState ? spec.describeState(state) : printEdn(state),
    offending: offending.id,
    ...(needs !== undefined ? { needs } : {}),
    candidates: d.candidates.map((i) => {
      const o = ops[i]!;
      return { id: o.id, legal: spec.step(state, o.input, o.output, o.status).length > 0 };
    }),
  };
}

/** Synchronous, in-thread check of a whole history: each partition in turn, stopping at the first violation. */
export function checkOperations<S, I, O>(
  spec: SequentialSpec<S, I, O>,
  ops: readonly Operation<I, O>[],
  opts?: CheckOptions,
): HistoryVerdict {
  const deadline = deadlineOf(opts);
  const partitioned = opts?.partition ?? true;
  const parts = partitionOps(spec as SequentialSpec<unknown, I, O>, ops, partitioned);
  let steps = 0;
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p]!;
    const pspec = specForPartition(spec, part, partitioned);
    const r = checkPartition(pspec, part, { ...opts, deadline });
    steps += r.steps;
    if (r.verdict === 'not-linearizable') {
      const explanation = explain(pspec, part, r, p);
      return { verdict: 'not-linearizable', partitions: parts.length, steps, ...(explanation ? { explanation } : {}) };
    }
    if (r.verdict === 'unknown') return { verdict: 'unknown', partitions: parts.length, steps, ...(r.reason ? { reason: r.reason } : {}) };
  }
  return { verdict: 'linearizable', partitions: parts.length, steps };
}
