// One random walk through a model, as a pure function of a plan (a sequence of choices), so that
// fast-check can generate plans, shrink them and replay them. Every successor of every visited state is
// checked as breadth-first search checks it (invariants, action properties, constraints, deadlock);
// the walk then moves to one successor chosen by rendezvous hashing of the step's label with the choice.
import { is } from 'immutable';
import type { CompiledAction, CompiledModel } from '../engine/compiled-model.js';
import { fingerprintInto } from '../engine/fingerprint.js';
import type { TraceStep } from '../engine/trace.js';
import type { Args } from '../model/model.js';

/**
 * A walk: `choices[len - 1 - i]` picks the state at position i (i = 0: the initial state), so a walk is
 * as long as its choices (up to the depth). Reversed because fast-check shrinks an array by dropping
 * its first items: those are the walk's last steps, which a violation found earlier never used.
 */
export interface WalkPlan {
  /** Per-walk salt of the hash: each walk ranks the steps of a state in its own order. */
  readonly salt: number;
  /** Swarm: per action index, its weight for this walk (0 = not taken while another step is possible); null = all 1. */
  readonly weights: readonly number[] | null;
  readonly choices: readonly number[];
}

/** How a state's successors share the choice. */
export type Balance = 'successor' | 'action';

export interface WalkViolation {
  readonly kind: 'invariant' | 'deadlock' | 'action' | 'error';
  readonly name: string;
  /** States in the counterexample (the initial state counts). */
  readonly length: number;
  /** For kind 'error': the model's exception, as the checker reports it. */
  readonly error?: { code: string; message: string; where?: string };
}

export interface WalkOutcome {
  readonly violation?: WalkViolation;
  /** States on the walk (the initial state counts), the violating successor included. */
  readonly states: number;
}

export interface WalkOptions {
  readonly balance: Balance;
  /** Called with every state the walk moves to (for counting distinct states). */
  readonly visit?: (s: unknown) => void;
  /** Collects the trace (only when it is shown: it formats every action). */
  readonly trace?: TraceStep[];
  /**
   * Prefer successors that are new by some measure of novelty (`isNew`, told about every state the walk
   * moves to by `add`), and write to `choices` the choices that make the plain walk take the same steps
   * (same layout as the plan's).
   */
  readonly novelty?: Novelty;
  /**
   * Start at this state, reached at `position` by the plan's first choices in an earlier walk that
   * checked them (the explore search restarts from archived states without walking their prefix again).
   */
  readonly start?: { readonly state: unknown; readonly position: number };
}

/** A measure of novelty for the walks of one seed. */
export interface Novelty {
  /** Whether successor t of s would be new. */
  isNew(t: unknown, s: unknown): boolean;
  /** The walk moved to s (from parent, undefined for the initial state) at `position` (0: the initial state). */
  add(s: unknown, parent: unknown, position: number): void;
  readonly choices: number[];
  /** Positions up to this one follow the plan as it is (a prefix that reaches a state already found). */
  readonly follow?: number;
}

export interface Candidate {
  action: CompiledAction<unknown>;
  args: Args;
  t: unknown;
  /** The step's label hashed: action, arguments, and position among the action's results. */
  key: number;
  /** A step the ACTION_CONSTRAINT allows to a state within the CONSTRAINT. */
  good: boolean;
  allowed: boolean;
}

function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const fpScratch = new Uint32Array(2);
const comboIndexes = new WeakMap<object, Map<Args, number>>();

/** A hash of an action's arguments that does not depend on the state (so a step keeps its label when earlier steps change). */
function argsKey(model: CompiledModel<unknown>, action: CompiledAction<unknown>, args: Args): number {
  if (action.combos !== null) {
    let m = comboIndexes.get(action);
    if (m === undefined) {
      m = new Map(action.combos.map((c, i) => [c, i]));
      comboIndexes.set(action, m);
    }
    const i = m.get(args);
    if (i !== undefined) return mix(i + 0x9e3779b9);
  }
  let h = 0x27d4eb2f;
  try {
    for (const v of Object.values(args)) {
      fingerprintInto(v, fpScratch, 0);
      h = mix(h ^ fpScratch[0]!) ^ fpScratch[1]!;
    }
  } catch {
    // an argument that is not an Immutable value or a primitive: its rendering stands for it
    const text = model.showAction(action, args);
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  }
  return mix(h);
}

/** Thrown out of the successor enumeration at the first violation. */
const STOP = Symbol('violation found');

/** The first successor of a state that violates an invariant or an action property. */
export interface Found {
  readonly kind: 'invariant' | 'action';
  readonly name: string;
  readonly c: Candidate;
}

/**
 * Generates a state's successors as a walk sees them (labels, constraints) and checks each as
 * breadth-first search does, stopping at the first violation. Shared by walks and the explore
 * search's breadth-first finisher (finisher.ts), so both check exactly the same things.
 */
export class Expander {
  /** The successors of the state last expanded (up to the violating one). */
  readonly cands: Candidate[] = [];
  private s: unknown = undefined;
  private found: Found | undefined;
  private sameAction: CompiledAction<unknown> | undefined;
  private sameArgs: Args | undefined;
  private sameKey = 0;
  private sameIndex = 0;
  private readonly hasInvariants: boolean;
  private readonly hasStepProperties: boolean;
  private readonly hasActionConstraints: boolean;
  private readonly hasConstraints: boolean;

  constructor(private readonly model: CompiledModel<unknown>) {
    this.hasInvariants = model.invariants.length > 0;
    this.hasStepProperties = model.stepProperties.length > 0;
    this.hasActionConstraints = model.actionConstraints.length > 0;
    this.hasConstraints = model.constraints.length > 0;
  }

  private readonly onSuccessor = (action: CompiledAction<unknown>, args: Args, t: unknown) => {
    const model = this.model;
    const s = this.s;
    // Results of one action call arrive together: the k-th of them gets its own label.
    if (action === this.sameAction && args === this.sameArgs) this.sameIndex++;
    else {
      this.sameAction = action;
      this.sameArgs = args;
      this.sameKey = mix(argsKey(model, action, args) ^ Math.imul(action.index + 1, 0x9e3779b1));
      this.sameIndex = 0;
    }
    const allowed = !this.hasActionConstraints || model.allowsStep(s, t);
    const good = allowed && (!this.hasConstraints || model.satisfiesConstraints(t));
    const c: Candidate = { action, args, t, key: this.sameIndex === 0 ? this.sameKey : mix(this.sameKey + this.sameIndex), good, allowed };
    this.cands.push(c);
    if (this.hasStepProperties && !is(s, t)) {
      const bad = model.violatedStepProperty(s, t);
      if (bad !== undefined) {
        this.found = { kind: 'action', name: bad, c };
        throw STOP;
      }
    }
    if (this.hasInvariants) {
      const bad = model.violatedInvariant(t);
      if (bad !== undefined) {
        this.found = { kind: 'invariant', name: bad, c };
        throw STOP;
      }
    }
  };

  /** Fills `cands` with the successors of s; returns the first violation among them. Throws what the model throws. */
  expand(s: unknown): Found | undefined {
    this.cands.length = 0;
    this.sameAction = undefined;
    this.found = undefined;
    this.s = s;
    try {
      this.model.successors(s, this.onSuccessor);
    } catch (e) {
      if (e !== STOP) throw e;
    }
    return this.found;
  }
}

/** Runs the walk of `plan` (at most plan.choices.length states). */
export function runWalk(model: CompiledModel<unknown>, plan: WalkPlan, opts: WalkOptions): WalkOutcome {
  const { choices, salt, weights } = plan;
  const len = choices.length;
  if (len === 0 || model.init.length === 0) return { states: 0 };
  const trace = opts.trace;
  const visit = opts.visit;
  const hasInvariants = model.invariants.length > 0;
  const push = (c: { action: string; actionName: string; args: Args; state: unknown; discarded?: boolean }) => trace?.push(c);
  const fail = (e: unknown, states: number): WalkOutcome => {
    const q = e as { code?: string; message?: string; where?: string };
    const error = { code: q.code ?? 'INTERNAL', message: q.message ?? String(e), where: q.where };
    return { states, violation: { kind: 'error', name: error.where ?? error.code, length: states, error } };
  };

  let s: unknown = undefined;
  const from = opts.start?.position ?? 0;
  if (opts.start !== undefined) s = opts.start.state;
  else {
    s = model.init[Math.floor((choices[len - 1]! / 0x80000000) * model.init.length)]!;
    push({ action: 'Init', actionName: 'Init', args: {}, state: s });
    visit?.(s);
    if (opts.novelty) {
      opts.novelty.choices[len - 1] = choices[len - 1]!;
      opts.novelty.add(s, undefined, 0);
    }
    try {
      const bad = hasInvariants ? model.violatedInvariant(s) : undefined;
      if (bad !== undefined) return { states: 1, violation: { kind: 'invariant', name: bad, length: 1 } };
    } catch (e) {
      return fail(e, 1);
    }
  }
  const expander = new Expander(model);
  const cands = expander.cands;
  for (let i = from + 1; i < len; i++) {
    let found: Found | undefined;
    try {
      found = expander.expand(s);
    } catch (e) {
      return fail(e, i);
    }
    if (found !== undefined) {
      const c = found.c;
      push({ action: model.showAction(c.action, c.args), actionName: c.action.name, args: c.args, state: c.t, ...(c.allowed ? {} : { discarded: true }) });
      visit?.(c.t);
      return { states: i + 1, violation: { kind: found.kind, name: found.name, length: i + 1 } };
    }
    if (cands.length === 0) {
      if (model.checkDeadlock) return { states: i, violation: { kind: 'deadlock', name: 'Deadlock', length: i } };
      return { states: i };
    }
    const c = choices[len - 1 - i]!;
    const next = opts.novelty && i > (opts.novelty.follow ?? 0) ? chooseNovel(cands, s, c, salt, weights, opts.balance, opts.novelty, len - 1 - i) : choose(cands, c, salt, weights, opts.balance);
    if (next === undefined) return { states: i }; // every step is discarded or leaves the CONSTRAINT: the walk ends here
    push({ action: model.showAction(next.action, next.args), actionName: next.action.name, args: next.args, state: next.t });
    const parent = s;
    s = next.t;
    visit?.(s);
    opts.novelty?.add(s, parent, i);
  }
  return { states: len };
}

const fresh: Candidate[] = [];

/** Picks among the successors not seen yet (all of them if none is new), and finds the choice that picks it plainly. */
function chooseNovel(cands: readonly Candidate[], s: unknown, c: number, salt: number, weights: readonly number[] | null, balance: Balance, nov: Novelty, at: number): Candidate | undefined {
  fresh.length = 0;
  let good = 0;
  for (const x of cands) {
    if (!x.good) continue;
    good++;
    if (nov.isNew(x.t, s)) fresh.push(x);
  }
  const plain = choose(cands, c, salt, weights, balance);
  nov.choices[at] = c;
  if (fresh.length === 0 || fresh.length === good || (plain !== undefined && fresh.includes(plain))) return plain;
  const want = choose(fresh, c, salt, weights, balance)!;
  const c2 = choiceFor(cands, want, c, salt, weights, balance, 4096);
  if (c2 === undefined) return plain;
  nov.choices[at] = c2;
  return want;
}

/**
 * A choice (tried in a fixed order from c) that picks `want` among `cands`, within `tries`; a choice
 * picks a step with probability about its share of the weight, so a few hundred tries usually do.
 */
export function choiceFor(cands: readonly Candidate[], want: Candidate, c: number, salt: number, weights: readonly number[] | null, balance: Balance, tries: number): number | undefined {
  if (choose(cands, c, salt, weights, balance) === want) return c;
  for (let k = 1; k <= tries; k++) {
    const c2 = mix(c + Math.imul(k, 0x9e3779b9)) & 0x7fffffff;
    if (choose(cands, c2, salt, weights, balance) === want) return c2;
  }
  return undefined;
}

const actionCounts: number[] = [];

/**
 * Rendezvous hashing: each candidate scores hash(choice, label)^(1/weight), the highest wins. For a
 * uniformly random choice the winner is drawn in proportion to the weights; for a fixed choice it stays
 * the winner when other steps come and go, so a shrunk walk keeps taking the steps it took.
 */
export function choose(cands: readonly Candidate[], choice: number, salt: number, weights: readonly number[] | null, balance: Balance): Candidate | undefined {
  const seed = mix(choice ^ mix(salt + 0x632be5ab));
  let anyGood = false;
  let anyWeighted = false;
  for (const c of cands) {
    if (!c.good) continue;
    anyGood = true;
    if (weights === null || weights[c.action.index]! > 0) anyWeighted = true;
  }
  if (!anyGood) return undefined;
  if (balance === 'action') {
    actionCounts.length = 0;
    for (const c of cands) if (c.good) actionCounts[c.action.index] = (actionCounts[c.action.index] ?? 0) + 1;
  }
  let best: Candidate | undefined;
  let bestScore = -Infinity;
  for (const c of cands) {
    if (!c.good) continue;
    let w = weights === null || !anyWeighted ? 1 : weights[c.action.index]!;
    if (w <= 0) continue;
    if (balance === 'action') w /= actionCounts[c.action.index]!;
    const u = (mix(seed ^ c.key) + 0.5) / 4294967296;
    const score = Math.log(u) / w;
    if (score > bestScore) {
      bestScore = score;
      best = c;
    }
  }
  return best;
}
