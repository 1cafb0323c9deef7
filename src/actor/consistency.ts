// Stateright's consistency testers, kept in the state exactly (the history is part of the state identity,
// so counts depend on its shape), and the properties that judge them with the history checker.
// LinearizabilityTester: completed ops per thread, each with the snapshot `lc` of every other thread's
// last completed op index taken when it was invoked; the in-flight op per thread; a validity flag.
// The sequential-consistency tester is the same without the snapshots.
import { is, List, Map as IMap, Record } from 'immutable';
import type { ActorState } from './system.js';
import { checkOperations, type Consistency, type Operation, type SequentialSpec } from '../history/index.js';

export const CompletedOp = Record<{ lc: IMap<number, number>; op: unknown; ret: unknown }>({ lc: IMap(), op: null, ret: null }, 'CompletedOp');
export type CompletedOp = ReturnType<typeof CompletedOp>;
export const InFlightOp = Record<{ lc: IMap<number, number>; op: unknown }>({ lc: IMap(), op: null }, 'InFlightOp');
export type InFlightOp = ReturnType<typeof InFlightOp>;

export const ConsistencyTester = Record<{
  /** true: Stateright's LinearizabilityTester (invocations snapshot the others' progress); false: its SequentialConsistencyTester. */
  realTime: boolean;
  history: IMap<number, List<CompletedOp>>;
  inFlight: IMap<number, InFlightOp>;
  valid: boolean;
}>({ realTime: true, history: IMap(), inFlight: IMap(), valid: true }, 'ConsistencyTester');
export type ConsistencyTester = ReturnType<typeof ConsistencyTester>;

export const TESTER_RECORDS = [CompletedOp, InFlightOp, ConsistencyTester];

export function linearizabilityTester(): ConsistencyTester {
  return ConsistencyTester({ realTime: true });
}
export function sequentialConsistencyTester(): ConsistencyTester {
  return ConsistencyTester({ realTime: false });
}

/** Stateright's on_invoke. */
export function onInvoke(t: ConsistencyTester, thread: number, op: unknown): ConsistencyTester {
  if (!t.valid) return t;
  if (t.inFlight.has(thread)) return t.set('valid', false);
  let lc = IMap<number, number>();
  if (t.realTime) {
    t.history.forEach((ops, p) => {
      if (p !== thread && ops.size > 0) lc = lc.set(p, ops.size - 1);
    });
  }
  return t.set('inFlight', t.inFlight.set(thread, InFlightOp({ lc, op }))).set('history', t.history.has(thread) ? t.history : t.history.set(thread, List()));
}

/** Stateright's on_return. */
export function onReturn(t: ConsistencyTester, thread: number, ret: unknown): ConsistencyTester {
  if (!t.valid) return t;
  const f = t.inFlight.get(thread);
  if (!f) {
    // Stateright creates the thread's (empty) entry while building its error message; it is part of the state.
    return t.set('valid', false).set('history', t.history.has(thread) ? t.history : t.history.set(thread, List()));
  }
  return t
    .set('inFlight', t.inFlight.remove(thread))
    .set('history', t.history.update(thread, List<CompletedOp>(), (ops) => ops.push(CompletedOp({ lc: f.lc, op: f.op, ret }))));
}

/** How a tester's op and return values map onto a sequential specification of the history checker. */
export interface ConsistencyModel<I = unknown, O = unknown> {
  readonly spec: SequentialSpec<any, I, O>;
  /** The checker's input for a recorded op. */
  input(op: unknown): I;
  /** The checker's output for a recorded return. */
  output(ret: unknown): O;
}

/**
 * The tester's history as operations with call and return times that realize exactly its precedence
 * relation: A precedes B iff A completed before B was invoked (B's snapshot covers A, or A is earlier on
 * B's thread). Those precede-sets are nested (they come from one execution), so ordering them by size
 * gives the times: call(B) = 2·|pre(B)| + 1, ret(A) = 2·min{|pre(B)| : A ∈ pre(B)}; an op nobody
 * follows returns after every call, an in-flight op never (it may take effect or not).
 */
export function testerOperations<I, O>(t: ConsistencyTester, model: ConsistencyModel<I, O>, realTime = t.realTime): Operation<I, O>[] {
  type Node = { thread: number; index: number; op: unknown; ret?: unknown; completed: boolean; lc: IMap<number, number> };
  const nodes: Node[] = [];
  const threads = [...t.history.keys(), ...[...t.inFlight.keys()].filter((k) => !t.history.has(k))].sort((a, b) => a - b);
  for (const th of threads) {
    const ops = t.history.get(th) ?? List<CompletedOp>();
    ops.forEach((c, index) => void nodes.push({ thread: th, index, op: c.op, ret: c.ret, completed: true, lc: c.lc }));
    const f = t.inFlight.get(th);
    if (f) nodes.push({ thread: th, index: ops.size, op: f.op, completed: false, lc: f.lc });
  }
  // |pre(B)| and membership: A=(p, j) ∈ pre(B) iff p = B.thread and j < B.index, or j ≤ B.lc[p].
  const preSize = nodes.map((b) => {
    let size = b.index; // own thread's earlier ops (all completed)
    if (realTime) b.lc.forEach((k, p) => void (size += k + 1));
    return size;
  });
  const inPre = (a: Node, b: Node) => (a.thread === b.thread ? a.index < b.index : realTime && a.index <= (b.lc.get(a.thread) ?? -1));
  const last = 2 * nodes.length + 2;
  return nodes.map((a, id) => {
    let minPre = Infinity;
    nodes.forEach((b, k) => {
      if (inPre(a, b) && preSize[k]! < minPre) minPre = preSize[k]!;
    });
    return {
      id,
      process: a.thread,
      input: model.input(a.op),
      output: a.completed ? model.output(a.ret) : undefined,
      status: a.completed ? 'ok' : 'pending',
      call: 2 * preSize[id]! + 1,
      ret: a.completed ? (minPre === Infinity ? last : 2 * minPre) : Infinity,
    } satisfies Operation<I, O>;
  });
}

// Many states share one history: verdicts are remembered by value (per model and consistency level).
const verdicts = new WeakMap<ConsistencyModel, Map<string, Map<number, [ConsistencyTester, boolean][]>>>();
const MAX_REMEMBERED = 200_000;
let remembered = 0;

function judge(t: ConsistencyTester, model: ConsistencyModel, consistency: Consistency): boolean {
  if (!t.valid) return false;
  let byLevel = verdicts.get(model);
  if (!byLevel) verdicts.set(model, (byLevel = new Map()));
  let table = byLevel.get(consistency);
  if (!table) byLevel.set(consistency, (table = new Map()));
  const h = t.hashCode();
  const bucket = table.get(h);
  const hit = bucket?.find(([k]) => is(k, t));
  if (hit) return hit[1];
  const v = decide(t, model, consistency);
  if (remembered >= MAX_REMEMBERED) {
    table.clear();
    remembered = 0;
  }
  if (bucket) bucket.push([t, v]);
  else table.set(h, [[t, v]]);
  remembered++;
  return v;
}

function decide(t: ConsistencyTester, model: ConsistencyModel, consistency: Consistency): boolean {
  const ops = testerOperations(t, model, consistency === 'linearizable');
  if (ops.length === 0) return true;
  const v = checkOperations(model.spec, ops, { consistency });
  if (v.verdict === 'unknown') throw new Error(`the history checker gave no verdict on a history of ${ops.length} operations`);
  return v.verdict === 'linearizable';
}

/** The history is linearizable (Stateright's `serialized_history().is_some()` on a LinearizabilityTester). */
export function isLinearizable(t: ConsistencyTester, model: ConsistencyModel): boolean {
  if (!t.realTime) throw new Error('linearizability needs a linearizability tester (its invocations record real-time order)');
  return judge(t, model, 'linearizable');
}

/** The history is sequentially consistent (only each thread's program order constrains it). */
export function isSequentiallyConsistent(t: ConsistencyTester, model: ConsistencyModel): boolean {
  return judge(t, model, 'sequential');
}

/** The invariant "the history in the state is linearizable" against a sequential specification. */
export const linearizable =
  (model: ConsistencyModel) =>
  (s: ActorState): boolean =>
    isLinearizable(s.history as ConsistencyTester, model);

/** The invariant "the history in the state is sequentially consistent". */
export const sequentiallyConsistent =
  (model: ConsistencyModel) =>
  (s: ActorState): boolean =>
    isSequentiallyConsistent(s.history as ConsistencyTester, model);

/**
 * The history as trace views show it: each thread's operations in order (… for one still in flight),
 * and the verdict; for a violation, the longest linearizable prefix the checker found and the
 * operation that cannot follow it.
 */
export function testerView(model: ConsistencyModel, show: (v: unknown) => string = String) {
  return (t: ConsistencyTester, names: readonly string[]): { [field: string]: unknown } => {
    const name = (th: number | string) => names[Number(th)] ?? String(th);
    const lines: string[] = [];
    const threads = [...new Set([...t.history.keys(), ...t.inFlight.keys()])].sort((a, b) => a - b);
    for (const th of threads) {
      const done = (t.history.get(th) ?? List<CompletedOp>()).map((c) => `${show(c.op)} → ${show(c.ret)}`).toArray();
      const f = t.inFlight.get(th);
      lines.push(`${name(th)}: ${[...done, ...(f ? [`${show(f.op)} …`] : [])].join(', ')}`);
    }
    const out: { [field: string]: unknown } = { operations: lines.join('; ') || 'none' };
    if (!t.valid) {
      out.verdict = 'invalid history (an invocation while another was in flight, or a return with none)';
      return out;
    }
    const ops = testerOperations(t, model);
    const v = ops.length === 0 ? undefined : checkOperations(model.spec, ops, { consistency: t.realTime ? 'linearizable' : 'sequential' });
    if (!v || v.verdict === 'linearizable') out.verdict = t.realTime ? 'linearizable' : 'sequentially consistent';
    else if (v.verdict === 'unknown') out.verdict = 'unknown';
    else {
      const e = v.explanation;
      const text = (id: number) => {
        const o = e?.ops.find((x) => x.id === id);
        return o ? `${name(o.process)} ${o.text}` : `#${id}`;
      };
      out.verdict = e
        ? `not ${t.realTime ? 'linearizable' : 'sequentially consistent'}: after [${e.prefix.map(text).join(', ')}] (state ${e.state}), ${text(e.offending)} cannot take effect${e.needs ? ` (needs ${e.needs})` : ''}`
        : `not ${t.realTime ? 'linearizable' : 'sequentially consistent'}`;
    }
    return out;
  };
}
