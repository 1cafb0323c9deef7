// The explorer's logic, apart from the screen: the enabled steps of a state with what they change
// and where they lead, invariant status, and a breadth-first search for a violating state that runs
// in slices so the screen stays responsive.
import { is, isMap, isRecord } from 'immutable';
import type { Args } from '../model/model.js';
import type { CompiledModel } from '../engine/compiled-model.js';
import { fingerprint } from '../engine/fingerprint.js';
import { diffStates, showChange, type Change } from '../trace/diff.js';

export interface Successor<S> {
  /** `Phase1b(a1, 1a ballot 0)` */
  readonly label: string;
  readonly action: string;
  readonly args: Args;
  readonly state: S;
  readonly fp: bigint;
  readonly changes: Change[];
  /** The first selected invariant the successor violates. */
  readonly violates?: string;
  /** False when the successor is outside the CONSTRAINT (the checker would not expand it). */
  readonly inConstraint: boolean;
  /** False when an ACTION_CONSTRAINT discards the step. */
  readonly allowed: boolean;
}

export type SuccessorStatus = 'new' | 'visited' | 'outside' | 'excluded' | 'violates';

/** Every successor of `s`, in the model's order (stuttering steps included). May throw ModelThrew. */
export function enabledSteps<S>(model: CompiledModel<S>, s: S): Successor<S>[] {
  const out: Successor<S>[] = [];
  const show = (v: unknown) => model.showValue(v);
  model.successors(s, (action, args, t) => {
    out.push({
      label: model.showAction(action, args),
      action: action.name,
      args,
      state: t,
      fp: fingerprint(t),
      changes: diffStates(s, t, show),
      violates: model.violatedInvariant(t),
      inConstraint: model.satisfiesConstraints(t),
      allowed: model.allowsStep(s, t),
    });
  });
  return out;
}

/** How a successor is shown: a violation first, then constraints, then whether it was seen. */
export function statusOf(succ: Successor<unknown>, visited: ReadonlySet<bigint>): SuccessorStatus {
  if (succ.violates !== undefined) return 'violates';
  if (!succ.allowed) return 'excluded';
  if (!succ.inConstraint) return 'outside';
  return visited.has(succ.fp) ? 'visited' : 'new';
}

export function statusText(succ: Successor<unknown>, status: SuccessorStatus): string {
  switch (status) {
    case 'violates':
      return `violates ${succ.violates}`;
    case 'excluded':
      return 'action constraint';
    case 'outside':
      return 'outside constraint';
    default:
      return status;
  }
}

export function previewOf(succ: Successor<unknown>): string {
  return succ.changes.length === 0 ? '(no change)' : succ.changes.map(showChange).join('; ');
}

export interface InvariantStatus {
  readonly name: string;
  /** Selected by the spec (INVARIANT). */
  readonly selected: boolean;
  readonly holds: boolean;
  readonly error?: string;
}

/** Every invariant the model defines, evaluated in `s`; the spec's selection marked. */
export function invariantStatuses<S>(model: CompiledModel<S>, s: S): InvariantStatus[] {
  const selected = new Set(model.invariants.map(([n]) => n));
  const all = Object.entries(model.instance.invariants ?? {});
  return all.map(([name, pred]) => {
    try {
      return { name, selected: selected.has(name), holds: Boolean(pred(s)) };
    } catch (e) {
      return { name, selected: selected.has(name), holds: false, error: e instanceof Error ? e.message : String(e) };
    }
  });
}

/** What a search looks for: a state violating an invariant, a step violating an action property, a
 * state satisfying a reachability ("sometimes") property, or a deadlock. */
export interface SearchGoal {
  readonly kind: 'invariant' | 'action' | 'reachability' | 'deadlock';
  readonly name: string;
}

export const DEADLOCK_GOAL = 'Deadlock';

/** Everything a search can target: invariants (the spec's first), action and reachability properties, deadlock. */
export function searchGoals(model: CompiledModel<unknown>): SearchGoal[] {
  const selected = model.invariants.map(([n]) => n);
  const invariants = [...selected, ...Object.keys(model.instance.invariants ?? {}).filter((n) => !selected.includes(n))];
  const props = Object.entries(model.instance.properties ?? {});
  return [
    ...invariants.map((name) => ({ kind: 'invariant' as const, name })),
    ...props.filter(([, p]) => p.kind === 'step').map(([name]) => ({ kind: 'action' as const, name })),
    ...props.filter(([, p]) => p.kind === 'sometimes').map(([name]) => ({ kind: 'reachability' as const, name })),
    { kind: 'deadlock', name: DEADLOCK_GOAL },
  ];
}

/** The names a search can target, in searchGoals' order. */
export function searchTargets(model: CompiledModel<unknown>): string[] {
  return searchGoals(model).map((g) => g.name);
}

/** How a found goal reads: `a state violating Agreement`, `a state satisfying SomeChosen`, `a deadlock`. */
export function goalText(g: SearchGoal): string {
  switch (g.kind) {
    case 'invariant':
      return `a state violating ${g.name}`;
    case 'action':
      return `a step violating ${g.name}`;
    case 'reachability':
      return `a state satisfying ${g.name}`;
    case 'deadlock':
      return 'a deadlock';
  }
}

/** `Agreement 500000` or `Agreement 500k`: the target and an optional budget of distinct states. */
export function parseSearch(text: string): { name: string; budget?: number } | { error: string } {
  const [name = '', budget, ...rest] = text.trim().split(/\s+/);
  if (rest.length > 0) return { error: `expected a property name and a budget, e.g. ${name || 'Agreement'} 500000` };
  if (budget === undefined) return { name };
  const m = /^(\d[\d,_]*)([km]?)$/i.exec(budget);
  const x = m ? Number(m[1]!.replace(/[,_]/g, '')) * (m[2]!.toLowerCase() === 'k' ? 1e3 : m[2]!.toLowerCase() === 'm' ? 1e6 : 1) : NaN;
  if (!(x >= 1)) return { error: `the budget is a number of states (e.g. 500000 or 500k), got '${budget}'` };
  return { name, budget: x };
}

/** Top-level variables of a state and their displays (records and maps by key). */
export function stateVars(s: unknown, show: (v: unknown) => string): Record<string, string> {
  const out: Record<string, string> = {};
  if (isRecord(s)) {
    for (const k of (s as unknown as { _keys: string[] })._keys) out[k] = show((s as unknown as { get(k: string): unknown }).get(k));
  } else if (isMap(s)) {
    (s as { forEach(f: (v: unknown, k: unknown) => void): void }).forEach((v, k) => (out[typeof k === 'string' ? k : show(k)] = show(v)));
  } else out.state = show(s);
  return out;
}

export interface SearchStats {
  /** Distinct states seen, the start included. */
  readonly distinct: number;
  /** Depth of the states being expanded, in steps from the start. */
  readonly depth: number;
  readonly queue: number;
}

export type SearchStatus = 'running' | 'found' | 'exhausted' | 'budget' | 'error';

export interface PathStep<S> {
  readonly label: string;
  readonly action: string;
  readonly args: Args;
  readonly state: S;
}

interface SearchNode<S> {
  readonly state: S;
  readonly parent: number;
  readonly label: string;
  readonly action: string;
  readonly args: Args;
  readonly depth: number;
}

export const DEFAULT_SEARCH_BUDGET = 200_000;

/**
 * Breadth-first search from `start` for the goal named `name` (searchGoals: a state violating an
 * invariant, a step violating an action property, a state satisfying a reachability property, or a
 * deadlock), over steps the action constraints allow, not expanding states outside the constraint
 * (TLC's semantics). Call `run()` repeatedly until it returns something other than 'running'.
 */
export class ViolationSearch<S> {
  status: SearchStatus = 'running';
  error: string | undefined;
  readonly goal: SearchGoal;
  private readonly stateGoal: ((s: S) => boolean) | undefined;
  private readonly stepGoal: ((s: S, t: S) => boolean) | undefined;
  private readonly nodes: SearchNode<S>[] = [];
  private readonly queue: number[] = [];
  private head = 0;
  private readonly seen = new Set<bigint>();
  private found = -1;

  constructor(
    private readonly model: CompiledModel<S>,
    start: S,
    readonly name: string,
    readonly budget = DEFAULT_SEARCH_BUDGET,
  ) {
    const goal = searchGoals(model as CompiledModel<unknown>).find((g) => g.name === name);
    if (!goal) throw new Error(`the model has no invariant or property ${name}; a search can look for ${searchTargets(model as CompiledModel<unknown>).join(', ')}`);
    this.goal = goal;
    if (goal.kind === 'invariant') {
      const pred = model.instance.invariants![name]!;
      this.stateGoal = (s) => !pred(s);
    } else if (goal.kind === 'reachability') {
      const pred = (model.instance.properties![name] as { holds: (s: S) => boolean }).holds;
      this.stateGoal = (s) => Boolean(pred(s));
    } else if (goal.kind === 'action') {
      const holds = (model.instance.properties![name] as { holds: (s: S, t: S) => boolean }).holds;
      // Stuttering steps never violate an action property ([A]_v).
      this.stepGoal = (s, t) => !is(s, t) && !holds(s, t);
    }
    this.nodes.push({ state: start, parent: -1, label: '', action: '', args: {}, depth: 0 });
    this.seen.add(fingerprint(start));
    if (this.violates(start)) {
      this.found = 0;
      this.status = this.status === 'error' ? 'error' : 'found';
    } else this.queue.push(0);
  }

  /** The goal is met in state t, reached from s (undefined for the start). */
  private violates(t: S, s?: S): boolean {
    try {
      if (this.stateGoal) return this.stateGoal(t);
      if (this.stepGoal && s !== undefined) return this.stepGoal(s, t);
      return false;
    } catch (e) {
      this.status = 'error';
      this.error = `${this.goal.kind === 'action' ? 'property' : this.goal.kind === 'reachability' ? 'property' : 'invariant'} ${this.name} threw: ${e instanceof Error ? e.message : String(e)}`;
      return false;
    }
  }

  get stats(): SearchStats {
    const next = this.queue[this.head];
    const depth = next === undefined ? (this.nodes.at(-1)?.depth ?? 0) : this.nodes[next]!.depth;
    return { distinct: this.seen.size, depth, queue: this.queue.length - this.head };
  }

  /** Expands states until `sliceMs` have passed (checked after each state) or the search ends. */
  run(sliceMs = 25): SearchStatus {
    if (this.status !== 'running') return this.status;
    const deadline = performance.now() + sliceMs;
    const model = this.model;
    try {
      while (this.head < this.queue.length) {
        const at = this.queue[this.head++]!;
        const node = this.nodes[at]!;
        let hit = -1;
        let successors = 0;
        model.successors(node.state, (action, args, t) => {
          successors++;
          if (hit >= 0 || this.status !== 'running') return;
          const make = (): SearchNode<S> => ({ state: t, parent: at, label: model.showAction(action, args), action: action.name, args, depth: node.depth + 1 });
          if (this.stepGoal && this.violates(t, node.state)) {
            hit = this.nodes.push(make()) - 1;
            return;
          }
          if (!model.allowsStep(node.state, t)) {
            // A discarded step's state is still reachable, so it is checked (as TLC does), but not stored.
            if (this.violates(t)) hit = this.nodes.push(make()) - 1;
            return;
          }
          const fp = fingerprint(t);
          if (this.seen.has(fp)) return;
          if (this.seen.size >= this.budget) {
            this.status = 'budget';
            return;
          }
          this.seen.add(fp);
          const index = this.nodes.push(make()) - 1;
          if (this.violates(t)) hit = index;
          else if (model.satisfiesConstraints(t)) this.queue.push(index);
        });
        if (this.goal.kind === 'deadlock' && successors === 0 && hit < 0 && !model.isTerminal(node.state)) hit = at;
        if (this.status !== 'running') return this.status;
        if (hit >= 0) {
          this.found = hit;
          return (this.status = 'found');
        }
        if (performance.now() >= deadline) return 'running';
      }
      return (this.status = 'exhausted');
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
      return (this.status = 'error');
    }
  }

  /** The steps from the start to the violating state (empty when the start violates it). */
  path(): PathStep<S>[] {
    const out: PathStep<S>[] = [];
    for (let i = this.found; i > 0; i = this.nodes[i]!.parent) {
      const node = this.nodes[i]!;
      out.push({ label: node.label, action: node.action, args: node.args, state: node.state });
    }
    return out.reverse();
  }
}
