// A model instance prepared for fast exploration: parameter domains expanded once, the selected
// invariants and constraints looked up by name, and successor enumeration in a single tight loop.
import type { ActionDef, Args, ModelDefinition, ModelInstance } from '../model/model.js';
import { QuorumError } from '../model/errors.js';
import { showAction, showValue } from '../trace/show.js';
import type { Fairness, Property } from '../model/properties.js';
import { fingerprintInto, fingerprintRenamedInto } from './fingerprint.js';
import { symmetryRenamings } from './symmetry.js';

export interface CheckOptions {
  /** INVARIANT names; default: none. */
  readonly invariants?: readonly string[];
  /** CONSTRAINT names. */
  readonly constraints?: readonly string[];
  /** ACTION_CONSTRAINT names. */
  readonly actionConstraints?: readonly string[];
  /** CHECK_DEADLOCK; default true. */
  readonly checkDeadlock?: boolean;
  /** PROPERTY names (step properties, reachability, liveness). */
  readonly properties?: readonly string[];
  /** VIEW name. */
  readonly view?: string;
  /** SYMMETRY: the sets of model values whose permutations are symmetries (already resolved from constants). */
  readonly symmetrySets?: readonly (readonly string[])[];
  /** Fairness assumptions for liveness properties. */
  readonly fairness?: readonly Fairness[];
}

export interface CompiledAction<S> {
  readonly name: string;
  readonly index: number;
  /** The parameter combinations of an action with static domains, or null when they depend on the state. */
  readonly combos: readonly Args[] | null;
  readonly dynamic: ((s: S) => Iterable<Args>) | null;
  readonly step: (s: S, args: Args) => unknown;
  readonly format?: (args: Args) => string;
}

/** Thrown when model code throws: names the action (or property) and the state. */
export class ModelThrew extends QuorumError {
  constructor(readonly what: string, readonly cause: unknown, readonly state: unknown) {
    super('MODEL_THREW', `threw ${cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)}`, what);
  }
}

function product(domains: Record<string, readonly unknown[]>): Args[] {
  let out: Record<string, unknown>[] = [{}];
  for (const [name, values] of Object.entries(domains)) {
    const next: Record<string, unknown>[] = [];
    for (const partial of out) for (const v of values) next.push({ ...partial, [name]: v });
    out = next;
  }
  return out.map((a) => Object.freeze(a));
}

/** A static domain is an array (or another iterable of values, not a string): anything else is reported by action and parameter. */
function checkDomains(action: string, params: unknown): void {
  if (params === undefined || typeof params === 'function') return;
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    throw new QuorumError('BAD_PARAMS', `action ${action}: params must be an object of domains ({ c: ['c1', 'c2'] }) or a function of the state giving argument objects, got ${Array.isArray(params) ? 'an array' : String(params)}`, `action ${action}`);
  }
  for (const [name, dom] of Object.entries(params)) {
    const iterable = dom !== null && typeof dom === 'object' && typeof (dom as Iterable<unknown>)[Symbol.iterator] === 'function';
    if (!iterable) {
      const got = typeof dom === 'string' ? `the string ${JSON.stringify(dom)} (write ${name}: [${JSON.stringify(dom)}] for one value)` : dom === null ? 'null' : `a ${typeof dom} (${String(dom)})`;
      throw new QuorumError('BAD_PARAMS', `action ${action}: the domain of parameter ${name} must be an array of values, got ${got}`, `action ${action}`);
    }
  }
}

function pick<F>(table: Readonly<Record<string, F>> | undefined, names: readonly string[], kind: string, model: string): [string, F][] {
  return names.map((n) => {
    const f = table?.[n];
    if (!f) {
      const known = Object.keys(table ?? {});
      throw new QuorumError(
        'UNKNOWN_NAME',
        `model ${model} has no ${kind} ${n}; it has ${known.length ? known.join(', ') : 'none'}`,
      );
    }
    return [n, f];
  });
}

export class CompiledModel<S = unknown> {
  readonly actions: CompiledAction<S>[];
  readonly invariants: [string, (s: S) => boolean][];
  readonly constraints: [string, (s: S) => boolean][];
  readonly actionConstraints: [string, (s: S, t: S) => boolean][];
  readonly checkDeadlock: boolean;
  readonly init: readonly S[];
  /** Selected properties by kind. */
  readonly stepProperties: [string, (s: S, t: S) => boolean][];
  readonly reachability: [string, (s: S) => boolean][];
  readonly liveness: [string, Property<S>][];
  readonly fairness: readonly Fairness[];
  private readonly view: ((s: S) => unknown) | undefined;
  private readonly renamings: Map<string, string>[];
  private readonly keyScratch = new Uint32Array(2);

  constructor(readonly definition: ModelDefinition<any, S>, readonly instance: ModelInstance<S>, opts: CheckOptions) {
    const name = definition.name;
    this.init = instance.init;
    this.actions = Object.entries(instance.actions).map(([actionName, def], index) => {
      const d = def as ActionDef<S, Args>;
      const params = d.params;
      checkDomains(actionName, params);
      return {
        name: actionName,
        index,
        combos: params === undefined ? [Object.freeze({})] : typeof params === 'function' ? null : product(params as Record<string, readonly unknown[]>),
        dynamic: typeof params === 'function' ? (params as (s: S) => Iterable<Args>) : null,
        step: d.step.bind(d) as (s: S, args: Args) => unknown,
        format: d.format?.bind(d) as ((args: Args) => string) | undefined,
      };
    });
    this.invariants = pick(instance.invariants, opts.invariants ?? [], 'invariant', name);
    this.constraints = pick(instance.constraints, opts.constraints ?? [], 'constraint', name);
    this.actionConstraints = pick(instance.actionConstraints, opts.actionConstraints ?? [], 'action constraint', name);
    this.checkDeadlock = opts.checkDeadlock ?? true;
    const props = pick(instance.properties, opts.properties ?? [], 'property', name);
    this.stepProperties = props.filter(([, p]) => p.kind === 'step').map(([n, p]) => [n, (p as { holds: (s: S, t: S) => boolean }).holds]);
    this.reachability = props.filter(([, p]) => p.kind === 'sometimes').map(([n, p]) => [n, (p as { holds: (s: S) => boolean }).holds]);
    this.liveness = props.filter(([, p]) => p.kind !== 'step' && p.kind !== 'sometimes');
    this.fairness = opts.fairness ?? [];
    for (const f of this.fairness) {
      for (const g of f.group) {
        const a = this.actions.find((x) => x.name === g.action);
        if (!a) throw new QuorumError('UNKNOWN_NAME', `fairness ${f.text}: model ${name} has no action ${g.action}; it has ${this.actions.map((x) => x.name).join(', ')}`);
      }
    }
    this.view = opts.view ? pick(instance.views, [opts.view], 'view', name)[0]![1] : undefined;
    this.renamings = opts.symmetrySets ? symmetryRenamings(opts.symmetrySets) : [];
    const kinds = new Set(instance.init.map((s) => typeof s));
    this.stateType = kinds.size === 1 ? [...kinds][0]! : undefined;
  }

  /** typeof every initial state (when they agree): a successor of another type is a model bug. */
  private readonly stateType: string | undefined;

  private notAState(action: CompiledAction<S>, args: Args, r: unknown): QuorumError {
    const what = typeof r === 'string' ? JSON.stringify(r) : String(r);
    return new QuorumError(
      'STEP_RESULT',
      `action ${this.showAction(action, args)} returned ${what} (a ${typeof r}), not a state: a step returns a state (a ${this.stateType}, as the initial states are), an array of states, or undefined, null or false when it is disabled`,
      `action ${this.showAction(action, args)}`,
    );
  }

  /**
   * The fingerprint states are deduplicated on: of the VIEW when there is one, and the smallest over all
   * symmetric renamings when there is a SYMMETRY.
   */
  keyFingerprintInto(s: S, out: Uint32Array, at = 0): void {
    const v = this.view ? this.view(s) : s;
    fingerprintInto(v, out, at);
    if (this.renamings.length === 0) return;
    const tmp = this.keyScratch;
    const count = this.renamings.length;
    for (let k = 0; k < count; k++) {
      fingerprintRenamedInto(v, this.renamings, k, tmp, 0);
      if (tmp[0]! < out[at]! || (tmp[0] === out[at] && tmp[1]! < out[at + 1]!)) {
        out[at] = tmp[0]!;
        out[at + 1] = tmp[1]!;
      }
    }
  }

  /** Evaluates a state predicate of a property, naming it if the model throws. */
  holds(p: [string, (s: S) => boolean], s: S): boolean {
    try {
      return p[1](s);
    } catch (e) {
      throw new ModelThrew(`property ${p[0]}`, e, s);
    }
  }

  /** The first selected step property that the step s → t violates (stuttering steps never do). */
  violatedStepProperty(s: S, t: S): string | undefined {
    for (const [name, p] of this.stepProperties) {
      let ok: boolean;
      try {
        ok = p(s, t);
      } catch (e) {
        throw new ModelThrew(`property ${name}`, e, s);
      }
      if (!ok) return name;
    }
    return undefined;
  }

  /**
   * Calls `emit` for every successor of `s` (stuttering steps included), in a fixed order:
   * actions in declaration order, arguments in domain order. Model exceptions become ModelThrew.
   */
  successors(s: S, emit: (action: CompiledAction<S>, args: Args, t: S) => void): void {
    const actions = this.actions;
    for (let a = 0; a < actions.length; a++) {
      const action = actions[a]!;
      let argsList: Iterable<Args>;
      if (action.combos !== null) {
        argsList = action.combos;
      } else {
        try {
          argsList = action.dynamic!(s);
        } catch (e) {
          throw new ModelThrew(`the parameters of action ${action.name}`, e, s);
        }
      }
      for (const args of argsList) {
        let r: unknown;
        try {
          r = action.step(s, args);
        } catch (e) {
          throw new ModelThrew(`action ${this.showAction(action, args)}`, e, s);
        }
        if (r === undefined || r === null || r === false) continue;
        if (Array.isArray(r)) {
          for (const t of r) {
            if (typeof t !== this.stateType && this.stateType !== undefined) throw this.notAState(action, args, t);
            emit(action, args, t as S);
          }
        } else {
          if (typeof r !== this.stateType && this.stateType !== undefined) throw this.notAState(action, args, r);
          emit(action, args, r as S);
        }
      }
    }
  }

  showAction(action: CompiledAction<S>, args: Args): string {
    if (action.format) {
      try {
        return action.format(args);
      } catch {
        // fall through to the default rendering
      }
    }
    return showAction(action.name, args, this.instance.showValue?.bind(this.instance));
  }

  showValue(v: unknown): string {
    return showValue(v, this.instance.showValue?.bind(this.instance));
  }

  /** The first selected invariant that `s` violates, or undefined. */
  violatedInvariant(s: S): string | undefined {
    for (const [name, inv] of this.invariants) {
      let ok: boolean;
      try {
        ok = inv(s);
      } catch (e) {
        throw new ModelThrew(`invariant ${name}`, e, s);
      }
      if (!ok) return name;
    }
    return undefined;
  }

  /** True when the model declares `s` a proper end state (`terminal`): not a deadlock. */
  isTerminal(s: S): boolean {
    const t = this.instance.terminal;
    if (!t) return false;
    try {
      return t.call(this.instance, s) === true;
    } catch (e) {
      throw new ModelThrew('terminal', e, s);
    }
  }

  satisfiesConstraints(s: S): boolean {
    for (const [name, c] of this.constraints) {
      let ok: boolean;
      try {
        ok = c(s);
      } catch (e) {
        throw new ModelThrew(`constraint ${name}`, e, s);
      }
      if (!ok) return false;
    }
    return true;
  }

  allowsStep(s: S, t: S): boolean {
    for (const [name, c] of this.actionConstraints) {
      let ok: boolean;
      try {
        ok = c(s, t);
      } catch (e) {
        throw new ModelThrew(`action constraint ${name}`, e, s);
      }
      if (!ok) return false;
    }
    return true;
  }
}
