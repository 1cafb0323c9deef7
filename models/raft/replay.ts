// Test helper: follows a trace written the way quorum prints it (`Timeout(s1)`,
// `Receive(RequestVoteResponse s2→s1 term 2 granted)`), step by step, through a model instance.
import type { Args, ModelInstance } from '../../src/model/model.js';

function label(name: string, args: Args, format?: (a: Args) => string): string {
  if (format) return format(args);
  const vals = Object.values(args);
  return vals.length ? `${name}(${vals.map(String).join(', ')})` : name;
}

/** Every successor of `s` by label; throws when a label is ambiguous (two different successors). */
export function successorsByLabel<S>(inst: ModelInstance<S>, s: S): Map<string, S> {
  const out = new Map<string, S>();
  for (const [name, a] of Object.entries(inst.actions)) {
    let combos: Args[];
    if (a.params === undefined) combos = [{}];
    else if (typeof a.params === 'function') combos = [...(a.params as (s: S) => Iterable<Args>)(s)];
    else {
      combos = [{}];
      for (const [k, vals] of Object.entries(a.params as Record<string, readonly unknown[]>)) {
        combos = combos.flatMap((c) => vals.map((v) => ({ ...c, [k]: v })));
      }
    }
    for (const args of combos) {
      const r = a.step(s, args);
      if (r === undefined || r === null || r === false) continue;
      const ts = Array.isArray(r) ? (r as S[]) : [r as S];
      if (ts.length !== 1) throw new Error(`${name} gives ${ts.length} successors`);
      out.set(label(name, args, a.format?.bind(a)), ts[0]!);
    }
  }
  return out;
}

/** The states along `steps` from the first initial state (initial state included). */
export function replay<S>(inst: ModelInstance<S>, steps: readonly string[]): S[] {
  const states: S[] = [inst.init[0]!];
  for (const [n, step] of steps.entries()) {
    const next = successorsByLabel(inst, states[states.length - 1]!).get(step);
    if (next === undefined) throw new Error(`step ${n + 1} (${step}) is not enabled`);
    states.push(next);
  }
  return states;
}
