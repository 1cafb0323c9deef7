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

export type Property<S> =
  | { readonly kind: 'step'; readonly holds: (s: S, t: S) => boolean }
  | { readonly kind: 'sometimes'; readonly holds: StatePredicate<S> }
  | { readonly kind: 'eventually'; readonly holds: StatePredicate<S> }
  | { readonly kind: 'always-eventually'; readonly holds: StatePredicate<S> }
  | { readonly kind: 'eventually-always'; readonly holds: StatePredicate<S> }
  | { readonly kind: 'leads-to'; readonly from: StatePredicate<S>; readonly to: StatePredicate<S> };

export const always = {
  /** [][A]_v: every step (s, t) of every behavior satisfies A (stuttering steps are not checked). */
  step: <S>(holds: (s: S, t: S) => boolean): Property<S> => ({ kind: 'step', holds }),
};
export const sometimes = <S>(holds: StatePredicate<S>): Property<S> => ({ kind: 'sometimes', holds });
export const eventually = <S>(holds: StatePredicate<S>): Property<S> => ({ kind: 'eventually', holds });
export const alwaysEventually = <S>(holds: StatePredicate<S>): Property<S> => ({ kind: 'always-eventually', holds });
export const eventuallyAlways = <S>(holds: StatePredicate<S>): Property<S> => ({ kind: 'eventually-always', holds });
export const leadsTo = <S>(from: StatePredicate<S>, to: StatePredicate<S>): Property<S> => ({ kind: 'leads-to', from, to });

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
