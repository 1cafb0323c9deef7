// Liveness under fairness, on the state graph the search recorded (live-graph.ts). A property fails when
// some *fair* behavior violates it; such a behavior ends either by stuttering forever in a state where no
// fair action is enabled, or by cycling forever through a strongly connected component that treats every
// fairness assumption fairly:
//   WF(A): A is taken inside the component, or disabled somewhere in it;
//   SF(A): A is taken inside the component, or disabled everywhere in it.
// A component failing only SF assumptions may still contain a fair sub-component: its states where
// those actions are enabled are removed and the rest is searched again (as in Emerson–Lei).
// Enabledness and "taken" count non-stuttering steps only, as in TLA+'s WF_vars / <A>_vars.
// Everything works on typed arrays indexed by state; the counterexample is a path of state indices,
// which the caller replays on the model (trace.ts). Among lassos of the shortest length, the one chosen
// is the first in breadth-first order over the steps in the model's enumeration order.
import type { Fairness, Property } from '../model/properties.js';
import { predicate, type StateGraph } from './live-graph.js';

export interface LassoPath {
  /** State indices from an initial state; for a cycle, the last state steps back to path[loopStart]. */
  readonly path: number[];
  readonly loopStart?: number;
  readonly stuttering?: boolean;
}

const enabledAt = (g: StateGraph, v: number): number => (g.enabled === null ? 0 : g.enabled[v]!);
const groupsAt = (g: StateGraph, e: number): number => (g.edgeGroups === null ? 0 : g.edgeGroups[e]!);

/**
 * Tarjan's strongly connected components of the subgraph induced by `inside`, iteratively, on typed
 * arrays; `roots` limits the search to those states (a region inside them). Each component is handed to
 * `visit` as a view that is only valid during the call.
 */
function components(g: StateGraph, inside: Uint8Array, scratch: TarjanScratch, roots: Int32Array | null, visit: (comp: Int32Array) => void): void {
  const { idx, low, onStack, stack, workV, workE } = scratch;
  let sp = 0, wp = 0, counter = 0;
  const count = roots === null ? g.n : roots.length;
  if (roots !== null) for (let r = 0; r < roots.length; r++) idx[roots[r]!] = -1;
  for (let r = 0; r < count; r++) {
    const root = roots === null ? r : roots[r]!;
    if (!inside[root] || idx[root] !== -1) continue;
    idx[root] = low[root] = counter++;
    stack[sp++] = root;
    onStack[root] = 1;
    workV[wp] = root;
    workE[wp++] = g.edgeStart[root]!;
    while (wp > 0) {
      const v = workV[wp - 1]!;
      const e = workE[wp - 1]!;
      if (e < g.edgeStart[v]! + g.edgeCount[v]!) {
        workE[wp - 1] = e + 1;
        const w = g.edgeTo[e]!;
        if (!inside[w]) continue;
        if (idx[w] === -1) {
          idx[w] = low[w] = counter++;
          stack[sp++] = w;
          onStack[w] = 1;
          workV[wp] = w;
          workE[wp++] = g.edgeStart[w]!;
        } else if (onStack[w] && idx[w]! < low[v]!) low[v] = idx[w]!;
      } else {
        wp--;
        if (wp > 0) {
          const u = workV[wp - 1]!;
          if (low[v]! < low[u]!) low[u] = low[v]!;
        }
        if (low[v] === idx[v]) {
          let k = sp;
          do {
            k--;
            onStack[stack[k]!] = 0;
          } while (stack[k] !== v);
          visit(stack.subarray(k, sp));
          sp = k;
        }
      }
    }
  }
}

interface TarjanScratch {
  idx: Int32Array;
  low: Int32Array;
  onStack: Uint8Array;
  stack: Int32Array;
  workV: Int32Array;
  workE: Uint32Array;
}

function tarjanScratch(n: number): TarjanScratch {
  return {
    idx: new Int32Array(n).fill(-1),
    low: new Int32Array(n),
    onStack: new Uint8Array(n),
    stack: new Int32Array(n),
    workV: new Int32Array(n),
    workE: new Uint32Array(n),
  };
}

/** The fair components inside `region` (each with at least one step inside it), after SF pruning. */
function fairComponents(g: StateGraph, fair: readonly Fairness[], region: Uint8Array): Int32Array[] {
  const result: Int32Array[] = [];
  const scratch = tarjanScratch(g.n);
  const stamp = new Int32Array(g.n);
  let stampOf = 0;
  let weakBits = 0, strongBits = 0;
  fair.forEach((f, k) => (f.kind === 'weak' ? (weakBits |= 1 << k) : (strongBits |= 1 << k)));
  const pending: { inside: Uint8Array; roots: Int32Array | null }[] = [{ inside: region, roots: null }];
  while (pending.length > 0) {
    const { inside, roots } = pending.pop()!;
    components(g, inside, scratch, roots, (comp) => {
      const id = ++stampOf;
      for (let i = 0; i < comp.length; i++) stamp[comp[i]!] = id;
      let hasEdge = false;
      let taken = 0;
      let everywhere = ~0, somewhere = 0;
      for (let i = 0; i < comp.length; i++) {
        const v = comp[i]!;
        const end = g.edgeStart[v]! + g.edgeCount[v]!;
        for (let e = g.edgeStart[v]!; e < end; e++) {
          if (stamp[g.edgeTo[e]!] === id) {
            hasEdge = true;
            taken |= groupsAt(g, e);
          }
        }
        const en = enabledAt(g, v);
        everywhere &= en;
        somewhere |= en;
      }
      if (!hasEdge) return;
      // A weak assumption broken: every behavior inside keeps that action enabled and never takes it.
      if (~taken & weakBits & everywhere) return;
      const strongBroken = ~taken & strongBits & somewhere;
      if (strongBroken === 0) {
        result.push(comp.slice());
        return;
      }
      const rest: number[] = [];
      for (let i = 0; i < comp.length; i++) if ((enabledAt(g, comp[i]!) & strongBroken) === 0) rest.push(comp[i]!);
      if (rest.length === 0) return;
      const sub = new Uint8Array(g.n);
      for (const v of rest) sub[v] = 1;
      pending.push({ inside: sub, roots: Int32Array.from(rest) });
    });
  }
  return result;
}

/** Breadth-first search from `from` through `allowed`; returns the visit order and predecessors (-1 for a start, -2 unvisited). */
function bfs(g: StateGraph, from: readonly number[], allowed: (v: number) => boolean, stop?: (v: number) => boolean): { order: Int32Array; length: number; prev: Int32Array; stoppedAt: number } {
  const prev = new Int32Array(g.n).fill(-2);
  const queue = new Int32Array(g.n);
  let tail = 0;
  for (const s of from) {
    if (allowed(s) && prev[s] === -2) {
      prev[s] = -1;
      queue[tail++] = s;
    }
  }
  for (let h = 0; h < tail; h++) {
    const v = queue[h]!;
    if (stop?.(v)) return { order: queue, length: tail, prev, stoppedAt: v };
    const end = g.edgeStart[v]! + g.edgeCount[v]!;
    for (let e = g.edgeStart[v]!; e < end; e++) {
      const w = g.edgeTo[e]!;
      if (prev[w] === -2 && allowed(w)) {
        prev[w] = v;
        queue[tail++] = w;
      }
    }
  }
  return { order: queue, length: tail, prev, stoppedAt: -1 };
}

function pathTo(prev: Int32Array, v: number): number[] {
  const p = [v];
  for (let u = prev[v]!; u !== -1; u = prev[u]!) p.push(u);
  return p.reverse();
}

/** Shortest path (as state indices) from any of `from` to any state satisfying `goal`, moving only through `allowed`. */
function shortestPath(g: StateGraph, from: readonly number[], allowed: (v: number) => boolean, goal: (v: number) => boolean): number[] | undefined {
  const r = bfs(g, from, allowed, goal);
  return r.stoppedAt === -1 ? undefined : pathTo(r.prev, r.stoppedAt);
}

/** The first step of v (in enumeration order) that stays inside and satisfies `ok`, or -1. */
function firstEdge(g: StateGraph, v: number, inside: (w: number) => boolean, ok: (e: number) => boolean): number {
  const end = g.edgeStart[v]! + g.edgeCount[v]!;
  for (let e = g.edgeStart[v]!; e < end; e++) if (inside(g.edgeTo[e]!) && ok(e)) return e;
  return -1;
}

/** A cycle from `entry` through `comp` that takes each needed fairness group and visits a required state. */
function fairCycle(g: StateGraph, fair: readonly Fairness[], comp: Int32Array, entry: number, mustVisit?: (v: number) => boolean): number[] {
  const inComp = new Uint8Array(g.n);
  for (const v of comp) inComp[v] = 1;
  const allowed = (v: number) => inComp[v] === 1;
  const walk = [entry];
  let cur = entry;
  const goTo = (goal: (v: number) => boolean) => {
    const p = shortestPath(g, [cur], allowed, goal);
    if (!p) return;
    for (let i = 1; i < p.length; i++) walk.push(p[i]!);
    cur = p[p.length - 1]!;
  };
  if (mustVisit && !mustVisit(entry)) goTo(mustVisit);
  fair.forEach((_f, k) => {
    const bit = 1 << k;
    // Take the group's step if it is taken anywhere in the component (fairness may demand it).
    const withBit = (e: number) => (groupsAt(g, e) & bit) !== 0;
    const src = (v: number) => firstEdge(g, v, allowed, withBit) !== -1;
    if (!comp.some(src)) return;
    goTo(src);
    const e = firstEdge(g, cur, allowed, withBit);
    if (e === -1) return;
    walk.push(g.edgeTo[e]!);
    cur = g.edgeTo[e]!;
  });
  // Close the cycle: back to the entry with at least one step.
  if (walk.length === 1) {
    const e = firstEdge(g, cur, allowed, () => true);
    if (e !== -1) {
      walk.push(g.edgeTo[e]!);
      cur = g.edgeTo[e]!;
    }
  }
  if (cur !== entry) goTo((v) => v === entry);
  return walk; // starts and ends at entry
}

/**
 * Checks liveness property `index` of the model (`base`: its first predicate bit, live-graph.ts) on the
 * graph; undefined when it holds.
 */
export function checkLiveness(g: StateGraph, fair: readonly Fairness[], prop: Property<unknown>, base: number): LassoPath | undefined {
  const n = g.n;
  const bits = (k: number, negate: boolean) => {
    const out = new Uint8Array(n);
    for (let v = 0; v < n; v++) out[v] = predicate(g, v, k) !== negate ? 1 : 0;
    return out;
  };
  // Every form is "from some start, a fair continuation stays in `region` forever" (and for <>[]P,
  // visits a ¬P state infinitely often).
  switch (prop.kind) {
    case 'eventually': {
      const region = bits(base, true);
      return lasso(g, fair, (v) => region[v] === 1, (v) => region[v] === 1, region, undefined);
    }
    case 'always-eventually': {
      const region = bits(base, true);
      return lasso(g, fair, () => true, (v) => region[v] === 1, region, undefined);
    }
    case 'leads-to': {
      const from = bits(base, false);
      const region = bits(base + 1, true);
      // The prefix may go anywhere up to a P ∧ ¬Q state, then must stay in ¬Q.
      return lasso(g, fair, () => true, (v) => from[v] === 1 && region[v] === 1, region, undefined);
    }
    case 'eventually-always': {
      const notP = bits(base, true);
      return lasso(g, fair, () => true, () => true, new Uint8Array(n).fill(1), (v) => notP[v] === 1);
    }
    default:
      return undefined;
  }
}

function lasso(
  g: StateGraph,
  fair: readonly Fairness[],
  prefixAllowed: (v: number) => boolean,
  pivot: (v: number) => boolean,
  region: Uint8Array,
  mustVisit: ((v: number) => boolean) | undefined,
): LassoPath | undefined {
  const n = g.n;
  const inRegion = (v: number) => region[v] === 1;
  // Targets: states where stuttering forever is fair, and fair components.
  const stutter = (v: number) => inRegion(v) && enabledAt(g, v) === 0 && (!mustVisit || mustVisit(v));
  const comps = fairComponents(g, fair, region).filter((c) => !mustVisit || c.some(mustVisit));
  const compOf = new Int32Array(n).fill(-1);
  comps.forEach((c, k) => c.forEach((v) => (compOf[v] = k)));
  const isTarget = new Uint8Array(n);
  let targets = 0;
  for (let v = 0; v < n; v++) {
    if (stutter(v) || compOf[v]! >= 0) {
      isTarget[v] = 1;
      targets++;
    }
  }
  if (targets === 0) return undefined;

  // Distance from each region state to the nearest target, moving inside the region: a backward
  // breadth-first search over the region's steps reversed.
  const revStart = new Uint32Array(n + 1);
  for (let v = 0; v < n; v++) {
    if (!region[v]) continue;
    const end = g.edgeStart[v]! + g.edgeCount[v]!;
    for (let e = g.edgeStart[v]!; e < end; e++) if (region[g.edgeTo[e]!]) revStart[g.edgeTo[e]! + 1]!++;
  }
  for (let v = 0; v < n; v++) revStart[v + 1]! += revStart[v]!;
  const revFrom = new Int32Array(revStart[n]!);
  const fill = revStart.slice(0, n);
  for (let v = 0; v < n; v++) {
    if (!region[v]) continue;
    const end = g.edgeStart[v]! + g.edgeCount[v]!;
    for (let e = g.edgeStart[v]!; e < end; e++) {
      const w = g.edgeTo[e]!;
      if (region[w]) revFrom[fill[w]!++] = v;
    }
  }
  const toTarget = new Int32Array(n).fill(-1);
  const queue = new Int32Array(n);
  let tail = 0;
  for (let v = 0; v < n; v++) {
    if (isTarget[v]) {
      toTarget[v] = 0;
      queue[tail++] = v;
    }
  }
  for (let h = 0; h < tail; h++) {
    const w = queue[h]!;
    for (let k = revStart[w]!; k < revStart[w + 1]!; k++) {
      const v = revFrom[k]!;
      if (toTarget[v] === -1) {
        toTarget[v] = toTarget[w]! + 1;
        queue[tail++] = v;
      }
    }
  }

  // Shortest lasso stem: start → pivot (through prefixAllowed) → target (inside the region); among
  // equally short ones, the pivot first in breadth-first order.
  const reach = bfs(g, g.initial, prefixAllowed);
  const depth = new Int32Array(n);
  let bestPivot = -1, bestLen = Infinity;
  for (let h = 0; h < reach.length; h++) {
    const v = reach.order[h]!;
    const p = reach.prev[v]!;
    depth[v] = p === -1 ? 0 : depth[p]! + 1;
    if (depth[v]! >= bestLen) break;
    if (!pivot(v) || !inRegion(v) || toTarget[v] === -1) continue;
    const len = depth[v]! + toTarget[v]!;
    if (len < bestLen) {
      bestLen = len;
      bestPivot = v;
    }
  }
  if (bestPivot === -1) return undefined;
  const rest = shortestPath(g, [bestPivot], inRegion, (v) => isTarget[v] === 1)!;
  const best = [...pathTo(reach.prev, bestPivot), ...rest.slice(1)];
  const end = best[best.length - 1]!;
  if (stutter(end)) return { path: best, stuttering: true };
  const cycle = fairCycle(g, fair, comps[compOf[end]!]!, end, mustVisit);
  return { path: [...best, ...cycle.slice(1, -1)], loopStart: best.length - 1 };
}
