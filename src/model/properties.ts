// Temporal properties a model can name, and a spec can select with PROPERTY.
// They mirror the TLA+ forms users write:
//   [][A]_v   always.step((s, t) => …)      every step satisfies A
//   <>P       eventually(P)                 every fair behavior reaches P
//   []<>P     alwaysEventually(P)           P holds infinitely often
//   <>[]P     eventuallyAlways(P)           P holds from some point on
//   P ~> Q    leadsTo(P, Q)                 whenever P holds, Q holds then or later
// and one TLC lacks:
//   sometimes(P)                            some reachable state satisfies P (catches vacuous models)

export type StatePredicate<S> = (s: S) => boolean;

// Each form also has a call signature, in its type only (calling one throws): TypeScript then infers
// a helper's state type from where it is used (eventually((s) => ...) inside instance()), since a
// generic call returning a function is typed after the context it sits in.
export interface StepProperty<S> {
  (notCallable: never): never;
  readonly kind: 'step';
  readonly holds: (s: S, t: S) => boolean;
}
export interface StateProperty<S, K extends 'sometimes' | 'eventually' | 'always-eventually' | 'eventually-always'> {
  (notCallable: never): never;
  readonly kind: K;
  readonly holds: StatePredicate<S>;
}
export interface LeadsToProperty<S> {
  (notCallable: never): never;
  readonly kind: 'leads-to';
  readonly from: StatePredicate<S>;
  readonly to: StatePredicate<S>;
}

export type Property<S> =
  | StepProperty<S>
  | StateProperty<S, 'sometimes'>
  | StateProperty<S, 'eventually'>
  | StateProperty<S, 'always-eventually'>
  | StateProperty<S, 'eventually-always'>
  | LeadsToProperty<S>;

function property<F extends object>(fields: F): F & ((notCallable: never) => never) {
  const notCallable = (): never => {
    throw new TypeError('a property is a value, not a function');
  };
  return Object.assign(notCallable, fields);
}

export const always = {
  /** [][A]_v: every step (s, t) of every behavior satisfies A (stuttering steps are not checked). */
  step: <S>(holds: (s: S, t: S) => boolean): StepProperty<S> => property({ kind: 'step' as const, holds }),
};
export const sometimes = <S>(holds: StatePredicate<S>): StateProperty<S, 'sometimes'> => property({ kind: 'sometimes' as const, holds });
export const eventually = <S>(holds: StatePredicate<S>): StateProperty<S, 'eventually'> => property({ kind: 'eventually' as const, holds });
export const alwaysEventually = <S>(holds: StatePredicate<S>): StateProperty<S, 'always-eventually'> => property({ kind: 'always-eventually' as const, holds });
export const eventuallyAlways = <S>(holds: StatePredicate<S>): StateProperty<S, 'eventually-always'> => property({ kind: 'eventually-always' as const, holds });
export const leadsTo = <S>(from: StatePredicate<S>, to: StatePredicate<S>): LeadsToProperty<S> => property({ kind: 'leads-to' as const, from, to });

export function isLiveness(p: Property<unknown>): boolean {
  return p.kind === 'eventually' || p.kind === 'always-eventually' || p.kind === 'eventually-always' || p.kind === 'leads-to';
}

/**
 * A fairness assumption: weak (WF) or strong (SF) fairness of a group of action instances, taken
 * together as one action (TLA+'s WF_vars(A1 \/ A2)). An instance names an action and, optionally, a
 * prefix of its arguments in declaration order: Phase1b(a1) matches Phase1b with a = a1 and any b.
 */
export interface Fairness {
  readonly kind: 'weak' | 'strong';
  readonly group: readonly { readonly action: string; readonly args: readonly unknown[] }[];
  /** How it was written, for messages. */
  readonly text: string;
}
