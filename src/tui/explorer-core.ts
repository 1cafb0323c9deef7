// The explorer's logic, apart from the screen: the enabled steps of a state with what they change
// and where they lead, invariant status, and a breadth-first search for a violating state that runs
// in slices so the screen stays responsive.
import { isMap, isRecord } from 'immutable';
import type { CompiledModel } from '../engine/compiled-model.js';
import { fingerprint } from '../engine/fingerprint.js';
import { diffStates, showChange, type Change } from '../trace/diff.js';

export interface Successor<S> {
  /** `Phase1b(a1, 1a ballot 0)` */
  readonly label: string;
  readonly action: string;
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

/** The invariants a search can target: the model's, the spec's selection first. */
export function searchTargets(model: CompiledModel<unknown>): string[] {
  const selected = model.invariants.map(([n]) => n);
  const rest = Object.keys(model.instance.invariants ?? {}).filter((n) => !selected.includes(n));
  return [...selected, ...rest];
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
  readonly state: S;
}

interface SearchNode<S> {
  readonly state: S;
  readonly parent: number;
  readonly label: string;
  readonly depth: number;
}

export const DEFAULT_SEARCH_BUDGET = 200_000;

/**
 * Breadth-first search from `start` for a state violating the invariant `name`, over steps the
 * action constraints allow, not expanding states outside the constraint (TLC's semantics). Call
 * `run()` repeatedly until it returns something other than 'running'.
 */
export class ViolationSearch<S> {
  status: SearchStatus = 'running';
  error: string | undefined;
  private readonly pred: (s: S) => boolean;
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
    const pred = model.instance.invariants?.[name];
    if (!pred) throw new Error(`the model has no invariant ${name}; it has ${searchTargets(model as CompiledModel<unknown>).join(', ') || 'none'}`);
    this.pred = pred;
    this.nodes.push({ state: start, parent: -1, label: '', depth: 0 });
    this.seen.add(fingerprint(start));
    if (this.violates(start)) {
      this.found = 0;
      this.status = this.status === 'error' ? 'error' : 'found';
    } else this.queue.push(0);
  }

  private violates(s: S): boolean {
    try {
      return !this.pred(s);
    } catch (e) {
      this.status = 'error';
      this.error = `invariant ${this.name} threw: ${e instanceof Error ? e.message : String(e)}`;
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
        model.successors(node.state, (action, args, t) => {
          if (hit >= 0 || this.status !== 'running') return;
          if (!model.allowsStep(node.state, t)) {
            // A discarded step's state is still reachable, so it is checked (as TLC does), but not stored.
            if (this.violates(t)) hit = this.nodes.push({ state: t, parent: at, label: model.showAction(action, args), depth: node.depth + 1 }) - 1;
            return;
          }
          const fp = fingerprint(t);
          if (this.seen.has(fp)) return;
          if (this.seen.size >= this.budget) {
            this.status = 'budget';
            return;
          }
          this.seen.add(fp);
          const index = this.nodes.push({ state: t, parent: at, label: model.showAction(action, args), depth: node.depth + 1 }) - 1;
          if (this.violates(t)) hit = index;
          else if (model.satisfiesConstraints(t)) this.queue.push(index);
        });
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
      out.push({ label: node.label, state: node.state });
    }
    return out.reverse();
  }
}
