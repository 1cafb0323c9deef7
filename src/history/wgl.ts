// The linearizability search: Wing & Gong's backtracking over a doubly linked list of call and
// return events, with Lowe's memoization, as Porcupine's checker.go does. An op may be linearized when
// its call comes before every unlinearized op's return, i.e. when its call entry precedes the list's
// first return entry; linearizing lifts its call and return out of the list.
//
// Indefinite ops (info, pending) have their return entry after every definite event, so they never
// block anyone; the search succeeds once every definite op is linearized (the rest never happened).
//
// Two prunings that keep every verdict (each is a dominance argument):
//  - A candidate definite op that the spec calls read-only (it never changes a state where it is
//    legal: a read, an observed failed cas) and that is legal now is linearized at once with no
//    alternative: any linearization from here can move it to the front, since it changes no state
//    the others see, and every op that must precede it is already linearized.
//  - An indefinite op is never linearized as a no-op: leaving it unlinearized gives the same states
//    and keeps it available for later.
import { is } from 'immutable';
import type { Operation, SequentialSpec } from './types.js';
import { LinearizedSet, MemoTable, stateHasher, zobristWords } from './memo.js';
import { searchCompiled, searchCompiledSlices } from './wgl-compiled.js';

export interface SearchLimits {
  /** performance.now() deadline. */
  readonly deadline: number;
  readonly maxMemoryBytes: number;
}

/** The deepest dead end the search met. Indices are into the ops array. */
export interface DeadEnd {
  readonly prefix: number[];
  readonly state: unknown;
  /** The op whose completion the search reached without having linearized it. */
  readonly offending: number;
  /** The ops that could have been linearized next (calls before that completion). */
  readonly candidates: number[];
}

export interface SearchResult {
  readonly verdict: 'linearizable' | 'not-linearizable' | 'unknown';
  readonly reason?: 'timeout' | 'memory';
  /** Calls of spec.step. */
  readonly steps: number;
  readonly deadEnd?: DeadEnd;
  /** A witness when linearizable: the ops linearized, in order (indefinite ops that never happened are absent). */
  readonly order?: number[];
}

export function isDefinite(op: Operation): boolean {
  return (op.status === 'ok' || op.status === 'fail') && Number.isFinite(op.ret);
}

const CHECK_EVERY = 1024;
const NONE: readonly never[] = [];

export function searchLinearizable<S, I, O>(
  spec: SequentialSpec<S, I, O>,
  ops: readonly Operation<I, O>[],
  limits: SearchLimits,
): SearchResult {
  const compiled = spec.compile?.(ops);
  if (compiled !== undefined) return searchCompiled(spec, compiled, ops, limits);
  return searchGeneric(spec, ops, limits);
}

/** searchLinearizable pausing after about every `slice` steps (a compiled spec's search; the generic one runs through). */
export function* searchLinearizableSlices<S, I, O>(
  spec: SequentialSpec<S, I, O>,
  ops: readonly Operation<I, O>[],
  limits: SearchLimits,
  slice: number,
): Generator<void, SearchResult, void> {
  const compiled = spec.compile?.(ops);
  if (compiled !== undefined) return yield* searchCompiledSlices(spec, compiled, ops, limits, slice);
  return searchGeneric(spec, ops, limits);
}

/** The search on the spec's own step (also what tests compare the compiled search with). */
export function searchGeneric<S, I, O>(
  spec: SequentialSpec<S, I, O>,
  ops: readonly Operation<I, O>[],
  limits: SearchLimits,
): SearchResult {
  const n = ops.length;
  // Nodes: 0 head, 1..2n events, 2n+1 tail.
  const HEAD = 0;
  const TAIL = 2 * n + 1;
  const definite = new Uint8Array(n);
  let remaining = 0;
  const events: { t: number; ret: number; op: number }[] = [];
  for (let i = 0; i < n; i++) {
    const op = ops[i]!;
    const d = isDefinite(op);
    definite[i] = d ? 1 : 0;
    if (d) remaining++;
    events.push({ t: op.call, ret: 0, op: i });
    events.push({ t: d ? op.ret : Infinity, ret: 1, op: i });
  }
  // Ties put calls first: ops touching at one instant count as concurrent.
  events.sort((a, b) => a.t - b.t || a.ret - b.ret || a.op - b.op);
  const next = new Int32Array(TAIL + 1);
  const prev = new Int32Array(TAIL + 1);
  const match = new Int32Array(TAIL + 1).fill(-1);
  const opOf = new Int32Array(TAIL + 1).fill(-1);
  const callNode = new Int32Array(n);
  const retNode = new Int32Array(n);
  for (let k = 0; k < events.length; k++) {
    const node = k + 1;
    const e = events[k]!;
    opOf[node] = e.op;
    if (e.ret) retNode[e.op] = node;
    else callNode[e.op] = node;
    next[node] = node + 1;
    prev[node] = node - 1;
  }
  next[HEAD] = 1;
  prev[TAIL] = TAIL - 1;
  for (let i = 0; i < n; i++) match[callNode[i]!] = retNode[i]!;
  const inputs = ops.map((o) => o.input);
  const outputs = ops.map((o) => o.output);
  const statuses = ops.map((o) => o.status);
  const readOnly = new Uint8Array(n);
  if (spec.readOnly) for (let i = 0; i < n; i++) readOnly[i] = definite[i] && spec.readOnly(inputs[i]!, outputs[i], statuses[i]!) ? 1 : 0;

  // twin[i]: the previous indefinite op (by call) with an equal input, or -1.
  const twin = new Int32Array(n).fill(-1);
  {
    const byCall = [...Array(n).keys()].filter((i) => !definite[i]).sort((a, b) => ops[a]!.call - ops[b]!.call);
    for (let x = 0; x < byCall.length; x++)
      for (let y = x - 1; y >= 0; y--)
        if (is(inputs[byCall[x]!], inputs[byCall[y]!])) {
          twin[byCall[x]!] = byCall[y]!;
          break;
        }
  }
  /** Whether an earlier twin of op i is unlinearized (it is then a candidate too: its call came first). */
  const twinAvailable = (i: number): boolean => {
    for (let j = twin[i]!; j >= 0; j = twin[j]!) if (!linearized.has(j)) return true;
    return false;
  };
  const equal = (spec.equalStates as ((a: unknown, b: unknown) => boolean) | undefined) ?? is;
  const hashState = stateHasher(spec.hashState as ((s: never) => number) | undefined);
  const memo = new MemoTable(n, equal);
  const linearized = new LinearizedSet(n, zobristWords(n));

  // The stack of linearized calls: the node, the state before it, its successors and the next to try.
  const stackNode = new Int32Array(n);
  const stackNextSucc = new Int32Array(n);
  const stackForced = new Uint8Array(n);
  const stackState: S[] = new Array(n);
  const stackHash = new Float64Array(n);
  const stackSucc: (readonly S[])[] = new Array(n);
  let sp = 0;

  let state = spec.init();
  let stateHash = hashState(state);
  let steps = 0;
  let best: DeadEnd | undefined;
  const overBudget = (): SearchResult | undefined => {
    if (performance.now() > limits.deadline) return { verdict: 'unknown', reason: 'timeout', steps, deadEnd: best };
    if (memo.bytes > limits.maxMemoryBytes) return { verdict: 'unknown', reason: 'memory', steps, deadEnd: best };
    return undefined;
  };

  const lift = (e: number): void => {
    next[prev[e]!] = next[e]!;
    prev[next[e]!] = prev[e]!;
    const m = match[e]!;
    next[prev[m]!] = next[m]!;
    prev[next[m]!] = prev[m]!;
  };
  const unlift = (e: number): void => {
    const m = match[e]!;
    next[prev[m]!] = m;
    prev[next[m]!] = m;
    next[prev[e]!] = e;
    prev[next[e]!] = e;
  };
  /** Linearizes the call at node e with the first successor from index k not memoized; true if it did. */
  const tryPush = (e: number, succ: readonly S[], k: number, forced: number): boolean => {
    const i = opOf[e]!;
    for (; k < succ.length; k++) {
      const s2 = succ[k]!;
      const h2 = s2 === state ? stateHash : hashState(s2);
      linearized.set(i);
      if (memo.add(linearized, s2, h2)) {
        stackNode[sp] = e;
        stackState[sp] = state;
        stackHash[sp] = stateHash;
        stackSucc[sp] = succ;
        stackNextSucc[sp] = k + 1;
        stackForced[sp] = forced;
        sp++;
        state = s2;
        stateHash = h2;
        if (definite[i]) remaining--;
        lift(e);
        return true;
      }
      linearized.clear(i);
    }
    return false;
  };

  // Each configuration on the stack keeps its candidates (the calls before the list's first return
  // entry) in the order they are tried, definite ops by call and then indefinite ones (any of which may
  // never happen), and its first return entry: the op that fails it when nothing can be placed.
  const levelCand: Int32Array[] = new Array(n + 1);
  const levelPos = new Int32Array(n + 1);
  const levelFirstReturn = new Int32Array(n + 1);
  const calls = ops.map((o) => o.call);
  const scratch: number[] = [];

  /** Enters the configuration at depth sp: a forced read-only op, or its ordered candidates. 0: enumerate, 1: pushed a forced op, 2: dead. */
  const enter = (): number => {
    scratch.length = 0;
    let c: number = next[HEAD]!;
    for (; match[c]! >= 0; c = next[c]!) {
      const i = opOf[c]!;
      if (readOnly[i]) {
        if (++steps % CHECK_EVERY === 0) budget = overBudget();
        if (spec.step(state, inputs[i]!, outputs[i], statuses[i]!).length > 0)
          // Its successor is a known dead end when memoized, hence so is this configuration.
          return tryPush(c, [state], 0, 1) ? 1 : 2;
        continue; // illegal here, and read-only: not a candidate at this configuration
      }
      if (twin[i]! >= 0 && twinAvailable(i)) continue;
      scratch.push(i);
    }
    // (Trying the earliest completion first explored half again as much on kv c50-ok.)
    if (scratch.length > 1) scratch.sort((a, b) => definite[b]! - definite[a]! || calls[a]! - calls[b]!);
    levelCand[sp] = Int32Array.from(scratch);
    levelPos[sp] = 0;
    levelFirstReturn[sp] = c;
    return 0;
  };
  let budget: SearchResult | undefined;

  let mode = enter();
  for (;;) {
    if (budget) return budget;
    if (remaining === 0) {
      const order: number[] = [];
      for (let k = 0; k < sp; k++) order.push(opOf[stackNode[k]!]!);
      return { verdict: 'linearizable', steps, order };
    }
    if (mode === 1) {
      mode = enter();
      continue;
    }
    if (mode === 0) {
      // Try the next candidate of this configuration.
      const cand = levelCand[sp]!;
      let pushed = false;
      while (levelPos[sp]! < cand.length) {
        const i = cand[levelPos[sp]!++]!;
        if (++steps % CHECK_EVERY === 0 && (budget = overBudget())) return budget;
        let succ = spec.step(state, inputs[i]!, outputs[i], statuses[i]!);
        if (!definite[i] && succ.length > 0) succ = succ.filter((s2) => !(s2 === state || equal(s2, state)));
        if (succ.length > 0 && tryPush(callNode[i]!, succ, 0, 0)) {
          pushed = true;
          break;
        }
      }
      if (pushed) {
        mode = enter();
        continue;
      }
      // Nothing can be placed here: the first return entry's op fails this configuration.
      if (best === undefined || sp > best.prefix.length) {
        const prefix: number[] = [];
        for (let k = 0; k < sp; k++) prefix.push(opOf[stackNode[k]!]!);
        const candidates: number[] = [];
        const first = levelFirstReturn[sp]!;
        for (let c: number = next[HEAD]!; c !== first; c = next[c]!) candidates.push(opOf[c]!);
        best = { prefix, state, offending: opOf[first]!, candidates };
      }
    }
    // Backtrack: undo the last linearized op and try its other successors, then the configuration's
    // next candidate. A forced op had no alternative: its configuration is dead too.
    if (sp === 0) return { verdict: 'not-linearizable', steps, deadEnd: best };
    sp--;
    const e = stackNode[sp]!;
    const i = opOf[e]!;
    state = stackState[sp]!;
    stateHash = stackHash[sp]!;
    linearized.clear(i);
    if (definite[i]) remaining++;
    unlift(e);
    const succ = stackSucc[sp]!;
    stackSucc[sp] = NONE;
    if (stackForced[sp]) {
      mode = 2;
      continue;
    }
    const k = stackNextSucc[sp]!;
    mode = k < succ.length && tryPush(e, succ, k, 0) ? 1 : 0;
  }
}
