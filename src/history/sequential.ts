// Sequential consistency: the same memoized backtracking, but only each process's program order
// constrains the order (no real-time order between processes). The candidates at each point are the
// next op of every process; an indefinite op may also be skipped (it never took effect).
import type { Operation, SequentialSpec } from './types.js';
import { LinearizedSet, MemoTable, stateHasher, zobristWords } from './memo.js';
import { isDefinite, type DeadEnd, type SearchLimits, type SearchResult } from './wgl.js';

const CHECK_EVERY = 1024;

export function searchSequential<S, I, O>(
  spec: SequentialSpec<S, I, O>,
  ops: readonly Operation<I, O>[],
  limits: SearchLimits,
): SearchResult {
  const n = ops.length;
  const byProcess = new Map<string | number, number[]>();
  for (let i = 0; i < n; i++) {
    const p = ops[i]!.process;
    let q = byProcess.get(p);
    if (q === undefined) byProcess.set(p, (q = []));
    q.push(i);
  }
  const queues = [...byProcess.values()].map((q) => q.sort((a, b) => ops[a]!.call - ops[b]!.call || a - b));
  const P = queues.length;
  const ptr = new Int32Array(P);
  const definite = ops.map(isDefinite);
  let remaining = definite.filter(Boolean).length;

  const hashState = stateHasher(spec.hashState as ((s: never) => number) | undefined);
  const memo = new MemoTable((n + 31) >>> 5, spec.equalStates as ((a: unknown, b: unknown) => boolean) | undefined);
  const done = new LinearizedSet(n, zobristWords(n));

  interface Frame {
    p: number;
    k: number;
    succ: readonly S[];
    state: S;
    hash: number;
    skipped: boolean;
  }
  const stack: Frame[] = [];
  const order: number[] = []; // applied ops, -1 for a skipped one
  let state = spec.init();
  let stateHash = hashState(state);
  let steps = 0;
  let best: DeadEnd | undefined;

  // The enumeration position at the current node: process p, choice k, successors of p's next op.
  let p = 0;
  let k = 0;
  let succ: readonly S[] | undefined;
  for (;;) {
    if (remaining === 0) return { verdict: 'linearizable', steps, order: order.filter((i) => i >= 0) };
    let advanced = false;
    while (p < P && !advanced) {
      const q = queues[p]!;
      if (ptr[p]! >= q.length) {
        p++;
        k = 0;
        succ = undefined;
        continue;
      }
      const i = q[ptr[p]!]!;
      const op = ops[i]!;
      if (succ === undefined) {
        if (++steps % CHECK_EVERY === 0) {
          if (performance.now() > limits.deadline) return { verdict: 'unknown', reason: 'timeout', steps, deadEnd: best };
          if (memo.bytes > limits.maxMemoryBytes) return { verdict: 'unknown', reason: 'memory', steps, deadEnd: best };
        }
        succ = spec.step(state, op.input, op.output, op.status);
      }
      const choices = succ.length + (definite[i] ? 0 : 1);
      for (; k < choices; k++) {
        const skip = k >= succ.length;
        const s2 = skip ? state : succ[k]!;
        const h2 = skip ? stateHash : hashState(s2);
        done.set(i);
        if (memo.add(done, s2, h2)) {
          stack.push({ p, k, succ, state, hash: stateHash, skipped: skip });
          order.push(skip ? -1 : i);
          ptr[p]!++;
          if (definite[i]) remaining--;
          state = s2;
          stateHash = h2;
          p = 0;
          k = 0;
          succ = undefined;
          advanced = true;
          break;
        }
        done.clear(i);
      }
      if (!advanced) {
        p++;
        k = 0;
        succ = undefined;
      }
    }
    if (advanced) continue;
    // Dead end: no process's next op can be placed.
    const depth = order.length;
    if (best === undefined || depth > best.prefix.length) {
      const candidates: number[] = [];
      for (let j = 0; j < P; j++) if (ptr[j]! < queues[j]!.length) candidates.push(queues[j]![ptr[j]!]!);
      const offending = candidates.find((c) => definite[c]) ?? candidates[0]!;
      best = { prefix: order.filter((i) => i >= 0), state, offending, candidates };
    }
    const f = stack.pop();
    if (f === undefined) return { verdict: 'not-linearizable', steps, deadEnd: best };
    order.pop();
    ptr[f.p]!--;
    const i = queues[f.p]![ptr[f.p]!]!;
    done.clear(i);
    if (definite[i]) remaining++;
    state = f.state;
    stateHash = f.hash;
    p = f.p;
    k = f.k + 1;
    succ = f.succ;
  }
}
