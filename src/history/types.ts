// The history checker's vocabulary: operations recorded by clients, and sequential specifications
// (Porcupine's Model, Knossos's model) they are checked against.

/** How an operation completed. `pending` (never completed) means the same as `info`. */
export type OpStatus = 'ok' | 'fail' | 'info' | 'pending';

/** One operation of a history. Times are positions in one total order of events (integers). */
export interface Operation<I = unknown, O = unknown> {
  readonly id: number;
  readonly process: string | number;
  readonly input: I;
  /** The output of an ok completion (or of a fail kept as an observation); undefined when it never completed or is :info. */
  readonly output?: O;
  readonly status: OpStatus;
  /** Invocation time. */
  readonly call: number;
  /** Completion time; Infinity for info/pending (the op may take effect any time after call, or never). */
  readonly ret: number;
  /** Where the op came from (file:line of its invocation), for messages. */
  readonly source?: string;
}

/**
 * A sequential specification. States are Immutable.js values or primitives, compared with
 * Immutable.is and hashed with Immutable.hash unless the spec gives its own equality and hash.
 */
export interface SequentialSpec<S = unknown, I = unknown, O = unknown> {
  readonly name: string;
  init(): S;
  /**
   * The states after applying input with this output; empty when the output is impossible (illegal).
   * For info/pending ops output is undefined: any output is acceptable.
   */
  step(state: S, input: I, output: O | undefined, status: OpStatus): readonly S[];
  /** P-compositionality: split a history into independent sub-histories (e.g. by key). */
  partition?(ops: readonly Operation<I, O>[]): readonly (readonly Operation<I, O>[])[];
  /**
   * The spec one partition is checked against (default: this one). Lets a per-key partition use a
   * single value as its state instead of a map of every key.
   */
  partitionSpec?(part: readonly Operation<I, O>[]): SequentialSpec<any, I, O>;
  /**
   * What a `fail` completion means. 'drop' (the default, Jepsen's and Knossos's meaning): the op did
   * not take effect and is removed before the search. 'observe': the op took effect and its failure
   * is an output that `step` judges (Porcupine's etcd reading of `:fail :cas`).
   */
  readonly failedOps?: 'drop' | 'observe';
  /**
   * True when the op never changes the state where it is legal (a read, an observed failure). The
   * search then linearizes such an op as soon as it is legal, with no alternative: any linearization
   * can move it to the front. Optional; without it the search is still complete, only slower.
   */
  readOnly?(input: I, output: O | undefined, status: OpStatus): boolean;
  describeOperation?(input: I, output: O | undefined, status: OpStatus): string;
  describeState?(state: S): string;
  /** What the state must be for this op to be legal, in words (for counterexamples), e.g. "value = 3". */
  requirement?(input: I, output: O | undefined, status: OpStatus): string | undefined;
  hashState?(state: S): number;
  equalStates?(a: S, b: S): boolean;
  /**
   * Optional fast path for a deterministic spec whose states are (or can be numbered as) small
   * non-negative integers: the ops compiled once, so the search steps on integers without
   * allocating. The compiled states must be the spec's own states (the search reports them as such).
   * Return undefined to use `step`.
   */
  compile?(ops: readonly Operation<I, O>[]): CompiledOps | undefined;
}

/** A partition's ops compiled to integer states (see SequentialSpec.compile). */
export interface CompiledOps {
  readonly init: number;
  /** The state after op `op` (an index into the compiled ops) from `state`, or -1 when illegal. */
  step(state: number, op: number): number;
  /**
   * Optional, for the spec's read-only ops: the one state where op i is legal (ANY_STATE: every
   * state), so the search tests it without calling step (most of a kv search's steps are such tests).
   */
  readonly readOnlyLegalIn?: Int32Array;
}

/** CompiledOps.readOnlyLegalIn: legal in every state. */
export const ANY_STATE = -2;

export type Consistency = 'linearizable' | 'sequential';

export interface CheckOptions {
  consistency?: Consistency;
  /** Check each partition of spec.partition separately (default true). */
  partition?: boolean;
  /** Give up with verdict `unknown` after this long (measured from the start of the check). */
  timeoutMs?: number;
  /** Give up with verdict `unknown` when the memo table's estimated size passes this. */
  maxMemoryBytes?: number;
  /** Absolute deadline (performance.now() time); set by callers sharing one budget across calls. */
  deadline?: number;
}

/** One op as it appears in a counterexample. */
export interface ExplainedOp {
  readonly id: number;
  readonly process: string | number;
  readonly status: OpStatus;
  readonly call: number;
  readonly ret: number | null; // null for Infinity (never completed)
  readonly text: string;
  readonly source?: string;
}

/** Why a partition is not linearizable: the deepest point the search reached. */
export interface Explanation {
  /** Which partition (index into the spec's partition order) failed; 0 when not partitioned. */
  readonly partition: number;
  /** The partition's ops (all of them, for drawing a timeline). */
  readonly ops: readonly ExplainedOp[];
  /** The longest linearizable prefix found, in linearization order (op ids). */
  readonly prefix: readonly number[];
  /** The model state after that prefix. */
  readonly state: string;
  /** The op that had to be linearized next (its completion came) but cannot be placed after the prefix. */
  readonly offending: number;
  /** What the offending op would need the state to be. */
  readonly needs?: string;
  /** The ops that could come next after the prefix, and whether each is legal from that state (a legal one leads to a dead end). */
  readonly candidates: readonly { readonly id: number; readonly legal: boolean }[];
}

export interface HistoryVerdict {
  readonly verdict: 'linearizable' | 'not-linearizable' | 'unknown';
  /** For not-linearizable: the failing partition's longest linearizable prefix found, the op that cannot be placed, the states it would need. */
  readonly explanation?: Explanation;
  readonly partitions: number;
  /** Why the verdict is unknown ('timeout' or 'memory'). */
  readonly reason?: 'timeout' | 'memory';
  /** Search steps taken (ops tried), summed over partitions. */
  readonly steps?: number;
}
