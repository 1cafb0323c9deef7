// The liveness analysis as it was before the search recorded the graph (a second, sequential exploration
// keeping states and edge objects): the reference the property test compares the compact analysis with.
// Liveness under fairness, on the explicit state graph. A property fails when some *fair* behavior
// violates it; such a behavior ends either by stuttering forever in a state where no fair action is
// enabled, or by cycling forever through a strongly connected component that treats every fairness
// assumption fairly:
//   WF(A): A is taken inside the component, or disabled somewhere in it;
//   SF(A): A is taken inside the component, or disabled everywhere in it.
// A component failing only SF assumptions may still contain a fair sub-component: its states where
// those actions are enabled are removed and the rest is searched again (as in Emerson–Lei).
// Enabledness and "taken" count non-stuttering steps only, as in TLA+'s WF_vars / <A>_vars.
import { is } from 'immutable';
import type { Args } from '../../model/model.js';
import type { Fairness, Property } from '../../model/properties.js';
import { QuorumError } from '../../model/errors.js';
import type { CompiledModel } from '../compiled-model.js';
import type { TraceStep } from '../trace.js';

export interface LivenessGraph<S> {
  readonly states: S[];
  /** Per state: successor indices, and for each the fairness groups the step belongs to (bitmask) and its label. */
  readonly edges: { to: number; groups: number; action: string; actionName: string; args: Args }[][];
  /** Per state: fairness groups enabled (bitmask). */
  readonly enabled: number[];
  readonly initial: number[];
}

export interface LivenessViolation<S> {
  readonly name: string;
  readonly trace: TraceStep<S>[];
  /** Index in trace of the state the cycle returns to. */
  readonly loopStart?: number;
  /** The step that closes the cycle. */
  readonly loopAction?: string;
  readonly stuttering?: boolean;
}

function matches(f: Fairness['group'][number], name: string, args: Args): boolean {
  if (f.action !== name) return false;
  const vals = Object.values(args);
  return f.args.every((a, i) => is(a, vals[i]));
}

/** Explores the whole state graph (within the constraints) on this thread, keeping edges. */
export function buildGraph<S>(model: CompiledModel<S>, maxStates = 2_000_000): LivenessGraph<S> {
  const fair = model.fairness;
  if (fair.length > 30) throw new QuorumError('CFG_INVALID', 'at most 30 fairness assumptions are supported');
  const index = new Map<string, number>();
  const states: S[] = [];
  const edges: LivenessGraph<S>['edges'] = [];
  const enabled: number[] = [];
  const fp = new Uint32Array(2);
  const key = (s: S) => {
    model.keyFingerprintInto(s, fp, 0);
    return `${fp[0]}:${fp[1]}`;
  };
  const add = (s: S): number => {
    const k = key(s);
    let i = index.get(k);
    if (i === undefined) {
      i = states.length;
      if (i >= maxStates) throw new QuorumError('CFG_INVALID', `liveness checking keeps the state graph in memory; more than ${maxStates} states`);
      index.set(k, i);
      states.push(s);
      edges.push([]);
      enabled.push(0);
    }
    return i;
  };
  const initial: number[] = [];
  for (const s of model.init) if (model.satisfiesConstraints(s)) initial.push(add(s));
  for (let i = 0; i < states.length; i++) {
    const s = states[i]!;
    const out = edges[i]!;
    let en = 0;
    model.successors(s, (action, args, t) => {
      if (!model.allowsStep(s, t) || !model.satisfiesConstraints(t)) return;
      let groups = 0;
      fair.forEach((f, g) => {
        if (f.group.some((m) => matches(m, action.name, args))) groups |= 1 << g;
      });
      const j = add(t);
      if (j === i) return; // a stuttering step: neither enables nor fulfils <A>_vars
      en |= groups;
      out.push({ to: j, groups, action: model.showAction(action, args), actionName: action.name, args });
    });
    enabled[i] = en;
  }
  return { states, edges, enabled, initial };
}

/** Tarjan's strongly connected components of the subgraph induced by `inside`. */
function components(g: LivenessGraph<unknown>, inside: Uint8Array): number[][] {
  const n = g.states.length;
  const idx = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const out: number[][] = [];
  let counter = 0;
  for (let root = 0; root < n; root++) {
    if (!inside[root] || idx[root] !== -1) continue;
    // Iterative DFS: (node, next edge position).
    const work: [number, number][] = [[root, 0]];
    idx[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (work.length > 0) {
      const top = work[work.length - 1]!;
      const [v, e] = top;
      const es = g.edges[v]!;
      if (e < es.length) {
        top[1]++;
        const w = es[e]!.to;
        if (!inside[w]) continue;
        if (idx[w] === -1) {
          idx[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          work.push([w, 0]);
        } else if (onStack[w]) low[v] = Math.min(low[v]!, idx[w]!);
      } else {
        work.pop();
        if (work.length > 0) {
          const u = work[work.length - 1]![0];
          low[u] = Math.min(low[u]!, low[v]!);
        }
        if (low[v] === idx[v]) {
          const comp: number[] = [];
          let w: number;
          do {
            w = stack.pop()!;
            onStack[w] = 0;
            comp.push(w);
          } while (w !== v);
          out.push(comp);
        }
      }
    }
  }
  return out;
}

/** The fair components inside `inside` (each with at least one edge), after SF pruning. */
function fairComponents(g: LivenessGraph<unknown>, fair: readonly Fairness[], inside: Uint8Array): number[][] {
  const result: number[][] = [];
  const pending: Uint8Array[] = [inside];
  while (pending.length > 0) {
    const region = pending.pop()!;
    for (const comp of components(g, region)) {
      const inComp = new Uint8Array(g.states.length);
      for (const v of comp) inComp[v] = 1;
      let hasEdge = false;
      let taken = 0;
      for (const v of comp) {
        for (const e of g.edges[v]!) {
          if (inComp[e.to]) {
            hasEdge = true;
            taken |= e.groups;
          }
        }
      }
      if (!hasEdge) continue;
      let everywhere = ~0, somewhere = 0;
      for (const v of comp) {
        everywhere &= g.enabled[v]!;
        somewhere |= g.enabled[v]!;
      }
      let weakBroken = false;
      let strongBroken = 0;
      fair.forEach((f, k) => {
        const bit = 1 << k;
        if (taken & bit) return;
        if (f.kind === 'weak' && everywhere & bit) weakBroken = true;
        if (f.kind === 'strong' && somewhere & bit) strongBroken |= bit;
      });
      if (weakBroken) continue; // every behavior inside keeps that action enabled and never takes it
      if (strongBroken === 0) {
        result.push(comp);
        continue;
      }
      const rest = new Uint8Array(g.states.length);
      let any = false;
      for (const v of comp) {
        if ((g.enabled[v]! & strongBroken) === 0) {
          rest[v] = 1;
          any = true;
        }
      }
      if (any) pending.push(rest);
    }
  }
  return result;
}

/** Breadth-first from `from` through `allowed` states; calls `visit` on each state in order of distance (stop by returning true). */
function bfs(g: LivenessGraph<unknown>, from: readonly number[], allowed: (v: number) => boolean, visit: (v: number, path: () => number[]) => boolean | void): void {
  const prev = new Int32Array(g.states.length).fill(-2);
  const queue: number[] = [];
  for (const s of from) {
    if (allowed(s) && prev[s] === -2) {
      prev[s] = -1;
      queue.push(s);
    }
  }
  for (let h = 0; h < queue.length; h++) {
    const v = queue[h]!;
    const path = () => {
      const p = [v];
      for (let u = prev[v]!; u !== -1; u = prev[u]!) p.unshift(u);
      return p;
    };
    if (visit(v, path)) return;
    for (const e of g.edges[v]!) {
      if (prev[e.to] === -2 && allowed(e.to)) {
        prev[e.to] = v;
        queue.push(e.to);
      }
    }
  }
}

/** Shortest path (as state indices) from any of `from` to any state satisfying `goal`, moving only through `allowed`. */
function shortestPath(g: LivenessGraph<unknown>, from: readonly number[], allowed: (v: number) => boolean, goal: (v: number) => boolean): number[] | undefined {
  let found: number[] | undefined;
  bfs(g, from, allowed, (v, path) => {
    if (!goal(v)) return false;
    found = path();
    return true;
  });
  return found;
}

/** A cycle from `entry` through `comp` that takes each needed fairness group and visits a required state. */
function fairCycle(g: LivenessGraph<unknown>, fair: readonly Fairness[], comp: number[], entry: number, mustVisit?: (v: number) => boolean): number[] {
  const inComp = new Uint8Array(g.states.length);
  for (const v of comp) inComp[v] = 1;
  const allowed = (v: number) => inComp[v] === 1;
  const walk = [entry];
  let cur = entry;
  const goTo = (goal: (v: number) => boolean) => {
    const p = shortestPath(g, [cur], allowed, goal);
    if (!p) return;
    walk.push(...p.slice(1));
    cur = p[p.length - 1]!;
  };
  if (mustVisit && !mustVisit(entry)) goTo(mustVisit);
  fair.forEach((f, k) => {
    const bit = 1 << k;
    // Take the group's step if it is enabled anywhere in the component (fairness may demand it).
    const hasEdge = comp.some((v) => g.edges[v]!.some((e) => inComp[e.to] && e.groups & bit));
    if (!hasEdge) return;
    const src = (v: number) => g.edges[v]!.some((e) => inComp[e.to] && (e.groups & bit) !== 0);
    goTo(src);
    const e = g.edges[cur]!.find((x) => inComp[x.to] && (x.groups & bit) !== 0);
    if (!e) return;
    walk.push(e.to);
    cur = e.to;
  });
  // Close the cycle: back to the entry with at least one step.
  if (walk.length === 1) {
    const e = g.edges[cur]!.find((x) => inComp[x.to]);
    if (e) {
      walk.push(e.to);
      cur = e.to;
    }
  }
  if (cur !== entry) goTo((v) => v === entry);
  return walk; // starts and ends at entry
}

function toTrace<S>(g: LivenessGraph<S>, path: number[]): TraceStep<S>[] {
  return path.map((v, i) => {
    if (i === 0) return { action: 'Init', actionName: 'Init', args: {}, state: g.states[v]! };
    const e = g.edges[path[i - 1]!]!.find((x) => x.to === v)!;
    return { action: e.action, actionName: e.actionName, args: e.args, state: g.states[v]! };
  });
}

/** Checks one liveness property on the graph; undefined when it holds. */
export function checkLiveness<S>(model: CompiledModel<S>, g: LivenessGraph<S>, name: string, prop: Property<S>): LivenessViolation<S> | undefined {
  const fair = model.fairness;
  const n = g.states.length;
  const evalAll = (p: (s: S) => boolean) => {
    const out = new Uint8Array(n);
    for (let v = 0; v < n; v++) out[v] = model.holds([name, p], g.states[v]!) ? 1 : 0;
    return out;
  };
  // Every form is "from some start, a fair continuation stays in `region` forever" (and for <>[]P,
  // visits a ¬P state infinitely often).
  let starts: number[];
  let region: Uint8Array;
  let prefixAllowed: (v: number) => boolean = () => true;
  let mustVisit: ((v: number) => boolean) | undefined;
  switch (prop.kind) {
    case 'eventually': {
      const p = evalAll(prop.holds);
      region = p.map((x) => 1 - x);
      starts = g.initial;
      prefixAllowed = (v) => region[v] === 1;
      break;
    }
    case 'always-eventually': {
      const p = evalAll(prop.holds);
      region = p.map((x) => 1 - x);
      starts = g.initial;
      break;
    }
    case 'leads-to': {
      const from = evalAll(prop.from);
      const to = evalAll(prop.to);
      region = to.map((x) => 1 - x);
      starts = g.initial;
      mustVisit = undefined;
      // The prefix may go anywhere up to a P ∧ ¬Q state, then must stay in ¬Q.
      return lasso(model, g, fair, name, starts, () => true, (v) => from[v] === 1 && region[v] === 1, region, undefined);
    }
    case 'eventually-always': {
      const p = evalAll(prop.holds);
      region = new Uint8Array(n).fill(1);
      starts = g.initial;
      mustVisit = (v) => p[v] === 0;
      break;
    }
    default:
      return undefined;
  }
  return lasso(model, g, fair, name, starts, prefixAllowed, (v) => region[v] === 1, region, mustVisit);
}

function lasso<S>(
  model: CompiledModel<S>,
  g: LivenessGraph<S>,
  fair: readonly Fairness[],
  name: string,
  starts: number[],
  prefixAllowed: (v: number) => boolean,
  pivot: (v: number) => boolean,
  region: Uint8Array,
  mustVisit: ((v: number) => boolean) | undefined,
): LivenessViolation<S> | undefined {
  void model;
  const inRegion = (v: number) => region[v] === 1;
  // Targets: states where stuttering forever is fair, and fair components.
  const stutter = (v: number) => inRegion(v) && g.enabled[v] === 0 && (!mustVisit || mustVisit(v));
  const comps = fairComponents(g, fair, region).filter((c) => !mustVisit || c.some(mustVisit));
  const inComp = new Int32Array(g.states.length).fill(-1);
  comps.forEach((c, k) => c.forEach((v) => (inComp[v] = k)));
  const target = (v: number) => stutter(v) || inComp[v]! >= 0;

  // Shortest prefix: start → pivot (through prefixAllowed) → target (inside the region). Pivots come
  // in order of distance, so the search stops once no later pivot can give a shorter lasso.
  let best: number[] | undefined;
  for (const [p, pathToP] of reachablePivots(g, starts, prefixAllowed, pivot)) {
    if (best && pathToP.length >= best.length) break;
    const rest = shortestPath(g, [p], inRegion, target);
    if (!rest) continue;
    const full = [...pathToP, ...rest.slice(1)];
    if (!best || full.length < best.length) best = full;
  }
  if (!best) return undefined;
  const end = best[best.length - 1]!;
  if (stutter(end)) return { name, trace: toTrace(g, best), stuttering: true };
  const comp = comps[inComp[end]!]!;
  const cycle = fairCycle(g, fair, comp, end, mustVisit);
  const path = [...best, ...cycle.slice(1, -1)];
  const trace = toTrace(g, path);
  const closing = g.edges[path[path.length - 1]!]!.find((x) => x.to === end);
  return { name, trace, loopStart: best.length - 1, loopAction: closing?.action };
}

/** Pivot states in order of distance, each with its shortest path from a start. */
function reachablePivots(g: LivenessGraph<unknown>, starts: number[], allowed: (v: number) => boolean, pivot: (v: number) => boolean): [number, number[]][] {
  const out: [number, number[]][] = [];
  bfs(g, starts, allowed, (v, path) => {
    if (pivot(v)) out.push([v, path()]);
  });
  return out;
}
