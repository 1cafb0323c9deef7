// The linearizability search of wgl.ts for a compiled spec (integer states, one successor per op):
// the same configurations tried in the same order, so the same verdicts and step counts, but every
// structure is a typed array and a step allocates nothing. wgl.ts explains the algorithm and its two
// prunings; this file keeps its shape so the two can be read side by side.
import { is } from 'immutable';
import type { CompiledOps, Operation, SequentialSpec } from './types.js';
import type { DeadEnd, SearchLimits, SearchResult } from './wgl.js';
import { IntMemoTable, LinearizedSet, zobristWords } from './memo.js';

const CHECK_EVERY = 1024;

export function searchCompiled<S, I, O>(
  spec: SequentialSpec<S, I, O>,
  compiled: CompiledOps,
  ops: readonly Operation<I, O>[],
  limits: SearchLimits,
): SearchResult {
  const search = searchCompiledSlices(spec, compiled, ops, limits, Infinity);
  for (;;) {
    const r = search.next();
    if (r.done) return r.value;
  }
}

/**
 * The search, pausing (yielding) after about every `slice` steps: a caller can interleave the
 * partitions of a history on one thread, as Porcupine runs them side by side, so a violation that
 * is quick to find is found without first finishing a long linearizable partition.
 */
export function* searchCompiledSlices<S, I, O>(
  spec: SequentialSpec<S, I, O>,
  compiled: CompiledOps,
  ops: readonly Operation<I, O>[],
  limits: SearchLimits,
  slice: number,
): Generator<void, SearchResult, void> {
  const n = ops.length;
  const HEAD = 0;
  const TAIL = 2 * n + 1;
  const definite = new Uint8Array(n);
  let remaining = 0;
  // Events as (time, kind, op) sorted like wgl.ts: by time, calls before returns, then by op.
  const evTime = new Float64Array(2 * n);
  const order = new Int32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const op = ops[i]!;
    const d = (op.status === 'ok' || op.status === 'fail') && Number.isFinite(op.ret);
    definite[i] = d ? 1 : 0;
    if (d) remaining++;
    evTime[2 * i] = op.call;
    evTime[2 * i + 1] = d ? op.ret : Infinity;
    order[2 * i] = 2 * i;
    order[2 * i + 1] = 2 * i + 1;
  }
  order.sort((a, b) => evTime[a]! - evTime[b]! || (a & 1) - (b & 1) || (a >> 1) - (b >> 1));
  const next = new Int32Array(TAIL + 1);
  const prev = new Int32Array(TAIL + 1);
  const match = new Int32Array(TAIL + 1).fill(-1);
  const opOf = new Int32Array(TAIL + 1).fill(-1);
  const callNode = new Int32Array(n);
  const retNode = new Int32Array(n);
  for (let k = 0; k < 2 * n; k++) {
    const node = k + 1;
    const ev = order[k]!;
    const i = ev >> 1;
    opOf[node] = i;
    if (ev & 1) retNode[i] = node;
    else callNode[i] = node;
    next[node] = node + 1;
    prev[node] = node - 1;
  }
  next[HEAD] = 1;
  prev[TAIL] = TAIL - 1;
  for (let i = 0; i < n; i++) match[callNode[i]!] = retNode[i]!;
  const readOnly = new Uint8Array(n);
  if (spec.readOnly)
    for (let i = 0; i < n; i++) readOnly[i] = definite[i] && spec.readOnly(ops[i]!.input, ops[i]!.output, ops[i]!.status) ? 1 : 0;

  // twin[i]: the previous indefinite op (by call) with an equal input, or -1 (see wgl.ts).
  const twin = new Int32Array(n).fill(-1);
  {
    const byCall = [...Array(n).keys()].filter((i) => !definite[i]).sort((a, b) => ops[a]!.call - ops[b]!.call);
    for (let x = 0; x < byCall.length; x++)
      for (let y = x - 1; y >= 0; y--)
        if (is(ops[byCall[x]!]!.input, ops[byCall[y]!]!.input)) {
          twin[byCall[x]!] = byCall[y]!;
          break;
        }
  }
  const memo = new IntMemoTable(n);
  const linearized = new LinearizedSet(n, zobristWords(n));
  const twinAvailable = (i: number): boolean => {
    for (let j = twin[i]!; j >= 0; j = twin[j]!) if (!linearized.has(j)) return true;
    return false;
  };

  const stackNode = new Int32Array(n);
  const stackState = new Int32Array(n);
  const stackForced = new Uint8Array(n);
  let sp = 0;
  // Candidates of each depth, packed: depth d's are cand[candStart[d] .. candEnd[d]) (windows are
  // small, so this stays far below its n(n+1)/2 bound).
  let cand = new Int32Array(Math.max(64, 4 * n));
  const candStart = new Int32Array(n + 2);
  const candEnd = new Int32Array(n + 1);
  const levelPos = new Int32Array(n + 1);
  const levelFirstReturn = new Int32Array(n + 1);
  const calls = ops.map((o) => o.call);
  const step = compiled.step;

  let state = compiled.init;
  let steps = 0;
  let best: DeadEnd | undefined;
  let budget: SearchResult | undefined;
  const overBudget = (): SearchResult | undefined => {
    if (performance.now() > limits.deadline) return { verdict: 'unknown', reason: 'timeout', steps, deadEnd: best };
    if (memo.bytes > limits.maxMemoryBytes) return { verdict: 'unknown', reason: 'memory', steps, deadEnd: best };
    return undefined;
  };

  /** Linearizes the call at node e, reaching s2, unless memoized; true if it did. */
  const tryPush = (e: number, s2: number, forced: number): boolean => {
    const i = opOf[e]!;
    linearized.set(i);
    if (!memo.add(linearized, s2)) {
      linearized.clear(i);
      return false;
    }
    stackNode[sp] = e;
    stackState[sp] = state;
    stackForced[sp] = forced;
    sp++;
    state = s2;
    if (definite[i]) remaining--;
    // lift
    next[prev[e]!] = next[e]!;
    prev[next[e]!] = prev[e]!;
    const m = match[e]!;
    next[prev[m]!] = next[m]!;
    prev[next[m]!] = prev[m]!;
    return true;
  };

  /** 0: enumerate candidates, 1: pushed a forced op, 2: dead. */
  const enter = (): number => {
    const base = candStart[sp]!;
    if (base + n > cand.length) {
      const grown = new Int32Array(Math.max(2 * cand.length, base + n));
      grown.set(cand);
      cand = grown;
    }
    const arr = cand;
    let end = base;
    let indefinite = 0;
    let c: number = next[HEAD]!;
    for (; match[c]! >= 0; c = next[c]!) {
      const i = opOf[c]!;
      if (readOnly[i]) {
        if (++steps % CHECK_EVERY === 0) budget = overBudget();
        if (step(state, i) >= 0) {
          candStart[sp + 1] = base;
          return tryPush(c, state, 1) ? 1 : 2;
        }
        continue;
      }
      if (twin[i]! >= 0 && twinAvailable(i)) continue;
      arr[end++] = i;
      if (!definite[i]) indefinite++;
    }
    // Definite ops by call, then indefinite ones (the list already holds calls in call order).
    if (indefinite > 0 && end - base > 1) {
      const sorted = Array.from(arr.subarray(base, end)).sort((a, b) => definite[b]! - definite[a]! || calls[a]! - calls[b]!);
      arr.set(sorted, base);
    }
    candEnd[sp] = end;
    candStart[sp + 1] = end;
    levelPos[sp] = base;
    levelFirstReturn[sp] = c;
    return 0;
  };

  let mode = enter();
  let pauseAt = slice;
  for (;;) {
    if (budget) return budget;
    if (steps >= pauseAt) {
      yield;
      pauseAt = steps + slice;
    }
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
      const arr = cand;
      const end = candEnd[sp]!;
      let pushed = false;
      while (levelPos[sp]! < end) {
        const i = arr[levelPos[sp]!++]!;
        if (++steps % CHECK_EVERY === 0 && (budget = overBudget())) return budget;
        const s2 = step(state, i);
        // An indefinite op is never linearized as a no-op (wgl.ts).
        if (s2 >= 0 && (definite[i] || s2 !== state) && tryPush(callNode[i]!, s2, 0)) {
          pushed = true;
          break;
        }
      }
      if (pushed) {
        mode = enter();
        continue;
      }
      if (best === undefined || sp > best.prefix.length) {
        const prefix: number[] = [];
        for (let k = 0; k < sp; k++) prefix.push(opOf[stackNode[k]!]!);
        const candidates: number[] = [];
        const first = levelFirstReturn[sp]!;
        for (let c: number = next[HEAD]!; c !== first; c = next[c]!) candidates.push(opOf[c]!);
        best = { prefix, state: state as unknown, offending: opOf[first]!, candidates };
      }
    }
    // Backtrack. One successor per op: nothing else to try for the popped op.
    if (sp === 0) return { verdict: 'not-linearizable', steps, deadEnd: best };
    sp--;
    const e = stackNode[sp]!;
    const i = opOf[e]!;
    state = stackState[sp]!;
    linearized.clear(i);
    if (definite[i]) remaining++;
    // unlift
    const m = match[e]!;
    next[prev[m]!] = m;
    prev[next[m]!] = m;
    next[prev[e]!] = e;
    prev[next[e]!] = e;
    mode = stackForced[sp] ? 2 : 0;
  }
}
