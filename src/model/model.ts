// The vocabulary a protocol model is written in. It is deliberately small (as Stateright's Model is):
// initial states, named actions with parameters giving successor states, and named properties.
// States are Immutable.js values (Map, Set, List, Record) or primitives, so TLA+ functions,
// sets, sequences and records keep their value semantics.
import type { ConstantSchema, ConstantsOf } from './constants.js';
import type { Property } from './properties.js';

/** An action's arguments, by parameter name, in the order the parameters are declared. */
export type Args = Readonly<Record<string, unknown>>;

/** What a step gives: one successor, several, or nothing when the action is disabled. */
export type StepResult<S> = S | readonly S[] | undefined | null | false;

export interface ActionDef<S, A = Args> {
  /**
   * The parameter domains: an object of finite domains (the action runs for every combination, in
   * declaration order), or a function of the state giving the argument objects (e.g. one per message
   * in the network). Omit for an action without parameters.
   */
  params?: { readonly [K in keyof A]: readonly A[K][] } | ((s: S) => Iterable<A>);
  /** The successor state(s) for these arguments, or nothing when disabled. */
  step(s: S, args: A): StepResult<S>;
  /** How the arguments read in a trace; by default `Name(v1, v2)` with the values of the parameters. */
  format?(args: A): string;
}

/** Per-node presentation for trace views: one column per node. */
export interface NodeView<S> {
  /** The node (process) identifiers, e.g. the Server constant. */
  readonly nodes: readonly string[];
  /** The variables of one node in a state, by name. */
  view(s: S, node: string): Readonly<Record<string, unknown>>;
}

/** Where a model keeps its messages, so a trace can be drawn as a message-sequence chart. */
export interface MessageView<S> {
  /** Every message in flight (or ever sent) in the state; compared by value between steps. */
  messages(s: S): Iterable<unknown>;
  /** Sender and receiver of a message (receiver undefined for a broadcast), and a short label. */
  describe(m: unknown): { from: string; to?: string; label: string };
}

/** Everything a model instance has besides its actions. */
export interface ModelParts<S> {
  /** The initial states. */
  readonly init: readonly S[];
  /** State predicates that must hold in every reachable state (INVARIANT). */
  readonly invariants?: Readonly<Record<string, (s: S) => boolean>>;
  /** State predicates bounding the search (CONSTRAINT), with TLC's semantics. */
  readonly constraints?: Readonly<Record<string, (s: S) => boolean>>;
  /** Step predicates discarding steps (ACTION_CONSTRAINT). */
  readonly actionConstraints?: Readonly<Record<string, (s: S, t: S) => boolean>>;
  /** Temporal properties (PROPERTY): see properties.ts for the forms. */
  readonly properties?: Readonly<Record<string, Property<S>>>;
  /**
   * The states where the protocol has properly finished (like PlusCal's termination): a state with no
   * successor that satisfies it is not a deadlock. Other states with no successor still are.
   */
  readonly terminal?: (s: S) => boolean;
  /** Functions of the state to deduplicate on instead of the whole state (VIEW). */
  readonly views?: Readonly<Record<string, (s: S) => unknown>>;
  /**
   * The Immutable Record factories used inside states. States cross worker threads in a compact
   * encoding, and a Record is rebuilt from its factory; list every Record type the states contain.
   */
  readonly records?: readonly unknown[];
  /** Optional presentation hints for the trace viewer. */
  readonly nodeView?: NodeView<S>;
  readonly messageView?: MessageView<S>;
  /** Optional custom rendering of a value inside a state (e.g. a message); undefined for the default. */
  showValue?(v: unknown): string | undefined;
}

export interface ModelInstance<S> extends ModelParts<S> {
  readonly actions: Readonly<Record<string, ActionDef<S, any>>>;
}

/**
 * What `instance` takes: a model instance whose state type is inferred from `init` and each action's
 * argument type from its `params` (NoInfer: only `init` decides the state type).
 */
// P is left unconstrained: a constraint makes one action without params (inferred as unknown) reset
// every action's arguments to the constraint.
export interface TypedInstance<S, P> extends ModelParts<S> {
  readonly actions: { readonly [K in keyof P]: ActionDef<NoInfer<S>, P[K]> };
}

/**
 * Types a model instance without annotations: `build(k) { return instance({ init, actions, ... }) }`.
 * The state type is inferred from `init`, each action's arguments from its `params`, and every
 * step, invariant and property is checked against them. (Returning the object literal directly also
 * works, but TypeScript cannot infer a state type through build's unannotated parameter, so its
 * functions need annotations.) At run time it returns its argument.
 */
export function instance<S, P>(def: TypedInstance<S, P>): ModelInstance<S> {
  return def as ModelInstance<S>;
}

export interface ModelDefinition<C extends ConstantSchema = ConstantSchema, S = unknown> {
  /** The name specs use after MODEL. */
  readonly name: string;
  readonly description?: string;
  readonly constants: C;
  /** Builds the model for validated constants. Called once per thread. */
  build(k: ConstantsOf<C>): ModelInstance<S>;
}

/** Declares a model; the default export of a model module. */
export function defineModel<C extends ConstantSchema, S>(def: ModelDefinition<C, S>): ModelDefinition<C, S> {
  return def;
}

export function isModelDefinition(x: unknown): x is ModelDefinition {
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof (x as ModelDefinition).name === 'string' &&
    typeof (x as ModelDefinition).build === 'function' &&
    typeof (x as ModelDefinition).constants === 'object'
  );
}
