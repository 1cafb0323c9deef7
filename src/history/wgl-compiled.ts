// The linearizability search of wgl.ts for a compiled spec (integer states, one successor per op):
// the same configurations tried in the same order, so the same verdicts and step counts, but every
// structure is a typed array and a step allocates nothing. wgl.ts explains the algorithm and its two
// prunings; this file keeps its shape so the two can be read side by side.
//
// Shaped for V8's tiers as much as for the algorithm: a short kv check is over before the optimizing
// compiler has caught up, so the hot loop (CompiledSearch.run) is one small method with its state in
// locals, calling no closure; setup and the rare paths (dead ends, budgets, growth, results) are
// separate methods. Compiling the hot loop fast, and not having to throw it away, is most of the
// cold-start time on kv c50-ok (the previous generator, with setup and closures, was compiled three
// times, 80-400 ms each on a loaded machine).
import { is } from 'immutable';
import { ANY_STATE, type CompiledOps, type Operation, type SequentialSpec } from './types.js';
import type { DeadEnd, SearchLimits, SearchResult } from './wgl.js';
import { IntMemoTable, zobristWords } from './memo.js';

/** The time and memory budgets are checked about every 1,024 steps. */
const CHECK_EVERY = 1024;

export function searchCompiled<S, I, O>(
  spec: SequentialSpec<S, I, O>,
  compiled: CompiledOps,
  ops: readonly Operation<I, O>[],
  limits: SearchLimits,
): SearchResult {
  const search = new CompiledSearch(spec, compiled, ops, limits);
  while (search.run(Infinity) === RUNNING);
  return search.result();
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
  const search = new CompiledSearch(spec, compiled, ops, limits);
  while (search.run(search.steps + slice) === RUNNING) yield;
  return search.result();
}

// Modes of CompiledSearch.run: ENTER a new configuration at depth sp (a legal read-only op is
// forced, else its candidates are listed); TRY its next candidate; DEAD: backtrack.
const TRY = 0;
const ENTER = 1;
const DEAD = 2;

// Outcomes of CompiledSearch.run. Every exit of its loop takes the same path (the fields written
// back, a number returned): a return path first taken after V8 optimized the loop would throw the
// optimized code away, and each recompilation costs far more than the search of a small partition.
const RUNNING = 0;
const LINEARIZABLE = 1;
const NOT_LINEARIZABLE = 2;
const TIMEOUT = 3;
const OUT_OF_MEMORY = 4;

class CompiledSearch {
  readonly n: number;
  readonly definite: Uint8Array;
  readonly readOnly: Uint8Array;
  /** twin[i]: the previous indefinite op (by call) with an equal input, or -1 (see wgl.ts). */
  readonly twin: Int32Array;
  readonly calls: Float64Array;
  // The doubly linked list of events: node 0 the head, 1..2n the events, 2n+1 the tail.
  readonly next: Int32Array;
  readonly prev: Int32Array;
  /** A call node's return node; -1 for a return. */
  readonly match: Int32Array;
  readonly opOf: Int32Array;
  readonly callNode: Int32Array;
  readonly memo: IntMemoTable;
  /** The linearized ops as a bitset, and its incremental Zobrist hash. */
  readonly bits: Uint32Array;
  readonly zobrist: Int32Array;
  linHash = 0;
  readonly stackNode: Int32Array;
  readonly stackState: Int32Array;
  readonly stackForced: Uint8Array;
  sp = 0;
  // Candidates of each depth, packed: depth d's are cand[candStart[d] .. candEnd[d]) (windows are
  // small, so this stays far below its n(n+1)/2 bound).
  cand: Int32Array;
  readonly candStart: Int32Array;
  readonly candEnd: Int32Array;
  readonly levelPos: Int32Array;
  readonly levelFirstReturn: Int32Array;
  /** Definite ops not yet linearized. */
  remaining = 0;
  state: number;
  steps = 0;
  mode = ENTER;
  outcome = RUNNING;
  // The deepest dead end met, copied into arrays made once (a linearizable search meets a deeper
  // one up to n times): the prefix's call nodes, its state, the failing return node and the
  // candidates' ops. bestDepth -1: none yet. result() makes the DeadEnd.
  bestDepth = -1;
  bestState = 0;
  bestFirstReturn = 0;
  bestCandidates = 0;
  readonly bestStack: Int32Array;
  readonly bestCandidate: Int32Array;

  constructor(
    spec: SequentialSpec<any, any, any>,
    readonly compiled: CompiledOps,
    ops: readonly Operation<any, any>[],
    readonly limits: SearchLimits,
  ) {
    const n = ops.length;
    this.n = n;
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
    this.definite = definite;
    this.remaining = remaining;
    this.next = next;
    this.prev = prev;
    this.match = match;
    this.opOf = opOf;
    this.callNode = callNode;
    this.readOnly = readOnly;
    this.twin = twin;
    this.calls = Float64Array.from(ops, (o) => o.call);
    this.memo = new IntMemoTable(n);
    this.bits = new Uint32Array((n + 31) >>> 5);
    this.zobrist = zobristWords(n);
    this.stackNode = new Int32Array(n);
    this.stackState = new Int32Array(n);
    this.stackForced = new Uint8Array(n);
    this.cand = new Int32Array(Math.max(64, 4 * n));
    this.candStart = new Int32Array(n + 2);
    this.candEnd = new Int32Array(n + 1);
    this.levelPos = new Int32Array(n + 1);
    this.levelFirstReturn = new Int32Array(n + 1);
    this.bestStack = new Int32Array(n);
    this.bestCandidate = new Int32Array(n);
    this.state = compiled.init;
  }

  /**
   * Runs until the outcome is known (then see result()) or until `pauseAt` steps (RUNNING: call
   * again). The hot loop: the search's variables live in locals here, written back on the way out.
   */
  run(pauseAt: number): number {
    const { definite, readOnly, twin, next, prev, match, opOf, callNode, memo, bits, zobrist, stackNode, stackState, stackForced, compiled } = this;
    const { candStart, candEnd, levelPos, levelFirstReturn, n } = this;
    const legalIn = compiled.readOnlyLegalIn;
    let cand = this.cand;
    let sp = this.sp;
    let state = this.state;
    let steps = this.steps;
    let remaining = this.remaining;
    let linHash = this.linHash;
    let mode = this.mode;
    let outcome = RUNNING;
    let checkAt = steps + CHECK_EVERY;
    while (steps < pauseAt) {
      if (steps >= checkAt) {
        if ((outcome = this.overBudget()) !== RUNNING) break;
        checkAt = steps + CHECK_EVERY;
      }
      // The call node to linearize this round (-1: none), the state it reaches, whether forced.
      let pushNode = -1;
      let pushState = 0;
      let pushForced = 0;
      if (mode === ENTER) {
        if (remaining === 0) {
          outcome = LINEARIZABLE;
          break;
        }
        const base = candStart[sp]!;
        if (base + n > cand.length) cand = this.growCand(base);
        let end = base;
        let indefinite = 0;
        let c = next[0]!;
        for (; match[c]! >= 0; c = next[c]!) {
          const i = opOf[c]!;
          if (readOnly[i]) {
            steps++;
            if (legalIn !== undefined ? legalIn[i] === state || legalIn[i] === ANY_STATE : compiled.step(state, i) >= 0) {
              pushNode = c;
              pushState = state;
              pushForced = 1;
              break;
            }
            continue;
          }
          if (twin[i]! >= 0 && this.twinAvailable(i)) continue;
          cand[end++] = i;
          if (!definite[i]) indefinite++;
        }
        if (pushNode >= 0) candStart[sp + 1] = base;
        else {
          // Definite ops by call, then indefinite ones (the list already holds calls in call order).
          if (indefinite > 0 && end - base > 1) this.sortCandidates(base, end);
          candEnd[sp] = end;
          candStart[sp + 1] = end;
          levelPos[sp] = base;
          levelFirstReturn[sp] = c;
          mode = TRY;
        }
      }
      if (mode === TRY) {
        let pos = levelPos[sp]!;
        const end = candEnd[sp]!;
        while (pos < end) {
          const i = cand[pos++]!;
          steps++;
          const s2 = compiled.step(state, i);
          // An indefinite op is never linearized as a no-op (wgl.ts).
          if (s2 >= 0 && (definite[i] || s2 !== state)) {
            pushNode = callNode[i]!;
            pushState = s2;
            break;
          }
        }
        levelPos[sp] = pos;
        if (pushNode < 0) {
          // (The test here, so the copy, called at most n times, stays out of the hot loop's code.)
          if (sp > this.bestDepth) this.deadEnd(sp, state);
          mode = DEAD;
        }
      }
      if (pushNode >= 0) {
        // Linearize the call at pushNode, reaching pushState, unless memoized.
        const e = pushNode;
        const i = opOf[e]!;
        const w = i >>> 5;
        const bit = 1 << (i & 31);
        bits[w]! |= bit;
        linHash ^= zobrist[i]!;
        if (memo.addBits(bits, linHash, pushState)) {
          stackNode[sp] = e;
          stackState[sp] = state;
          stackForced[sp] = pushForced;
          sp++;
          state = pushState;
          if (definite[i]) remaining--;
          // lift
          next[prev[e]!] = next[e]!;
          prev[next[e]!] = prev[e]!;
          const m = match[e]!;
          next[prev[m]!] = next[m]!;
          prev[next[m]!] = prev[m]!;
          mode = ENTER;
          continue;
        }
        bits[w]! &= ~bit;
        linHash ^= zobrist[i]!;
        // A forced op's successor is a known dead end, hence so is its configuration; otherwise the
        // configuration's next candidate.
        if (pushForced === 0) continue;
        mode = DEAD;
      }
      // Backtrack. One successor per op: nothing else to try for the popped op.
      if (sp === 0) {
        outcome = NOT_LINEARIZABLE;
        break;
      }
      sp--;
      const e = stackNode[sp]!;
      const i = opOf[e]!;
      state = stackState[sp]!;
      bits[i >>> 5]! &= ~(1 << (i & 31));
      linHash ^= zobrist[i]!;
      if (definite[i]) remaining++;
      // unlift
      const m = match[e]!;
      next[prev[m]!] = m;
      prev[next[m]!] = m;
      next[prev[e]!] = e;
      prev[next[e]!] = e;
      mode = stackForced[sp] ? DEAD : TRY;
    }
    this.sp = sp;
    this.state = state;
    this.steps = steps;
    this.remaining = remaining;
    this.linHash = linHash;
    this.mode = mode;
    this.outcome = outcome;
    return outcome;
  }

  /** The search's result once run() gave an outcome. */
  result(): SearchResult {
    const { steps } = this;
    const best = this.bestDeadEnd();
    switch (this.outcome) {
      case LINEARIZABLE: {
        const order: number[] = [];
        for (let k = 0; k < this.sp; k++) order.push(this.opOf[this.stackNode[k]!]!);
        return { verdict: 'linearizable', steps, order };
      }
      case NOT_LINEARIZABLE:
        return { verdict: 'not-linearizable', steps, deadEnd: best };
      case TIMEOUT:
        return { verdict: 'unknown', reason: 'timeout', steps, deadEnd: best };
      case OUT_OF_MEMORY:
        return { verdict: 'unknown', reason: 'memory', steps, deadEnd: best };
      default:
        throw new Error('the search has not finished');
    }
  }

  /** Whether an earlier twin of op i is unlinearized (it is then a candidate too). */
  private twinAvailable(i: number): boolean {
    const { twin, bits } = this;
    for (let j = twin[i]!; j >= 0; j = twin[j]!) if ((bits[j >>> 5]! & (1 << (j & 31))) === 0) return true;
    return false;
  }

  private growCand(base: number): Int32Array {
    const grown = new Int32Array(Math.max(2 * this.cand.length, base + this.n));
    grown.set(this.cand);
    this.cand = grown;
    return grown;
  }

  private sortCandidates(base: number, end: number): void {
    const { definite, calls, cand } = this;
    const sorted = Array.from(cand.subarray(base, end)).sort((a, b) => definite[b]! - definite[a]! || calls[a]! - calls[b]!);
    cand.set(sorted, base);
  }

  private overBudget(): number {
    if (performance.now() > this.limits.deadline) return TIMEOUT;
    if (this.memo.bytes > this.limits.maxMemoryBytes) return OUT_OF_MEMORY;
    return RUNNING;
  }

  /** Nothing can be placed at depth sp: its first return entry's op fails it. Keeps the deepest. */
  private deadEnd(sp: number, state: number): void {
    const { opOf, next, stackNode, bestStack, bestCandidate } = this;
    for (let k = 0; k < sp; k++) bestStack[k] = stackNode[k]!;
    const first = this.levelFirstReturn[sp]!;
    let count = 0;
    for (let c = next[0]!; c !== first; c = next[c]!) bestCandidate[count++] = opOf[c]!;
    this.bestDepth = sp;
    this.bestState = state;
    this.bestFirstReturn = first;
    this.bestCandidates = count;
  }

  private bestDeadEnd(): DeadEnd | undefined {
    if (this.bestDepth < 0) return undefined;
    const prefix: number[] = [];
    for (let k = 0; k < this.bestDepth; k++) prefix.push(this.opOf[this.bestStack[k]!]!);
    const candidates = Array.from(this.bestCandidate.subarray(0, this.bestCandidates));
    return { prefix, state: this.bestState as unknown, offending: this.opOf[this.bestFirstReturn]!, candidates };
  }

}
