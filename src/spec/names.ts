// Names a spec uses that the model or the spec itself does not have: errors with a "did you mean".
import { is } from 'immutable';
import { QuorumError } from '../model/errors.js';
import type { ModelInstance } from '../model/model.js';
import { showValue } from '../trace/show.js';
import type { Spec } from './cfg.js';

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1));
    }
  }
  return d[a.length]![b.length]!;
}

/** The closest of `candidates` to `name` (at most a third of its length away), or undefined. */
export function closest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const dist = editDistance(name, c);
    if (dist < bestD) {
      best = c;
      bestD = dist;
    }
  }
  return best !== undefined && bestD <= Math.max(1, Math.ceil(name.length / 3)) ? best : undefined;
}

/** " (did you mean X?)" when one candidate is close, else "". */
export function didYouMean(name: string, candidates: readonly string[]): string {
  const c = closest(name, candidates);
  return c === undefined ? '' : ` (did you mean ${c}?)`;
}

/** The argument lists of an action with static parameter domains, in declaration order; null when they depend on the state. */
function staticInstances(params: unknown): unknown[][] | null {
  if (params === undefined) return [[]];
  if (typeof params !== 'object' || params === null) return null;
  let out: unknown[][] = [[]];
  for (const values of Object.values(params as Record<string, Iterable<unknown>>)) {
    if (typeof values === 'string' || !values || typeof (values as Iterable<unknown>)[Symbol.iterator] !== 'function') return null;
    const next: unknown[][] = [];
    for (const partial of out) for (const v of values) next.push([...partial, v]);
    out = next;
  }
  return out;
}

/**
 * Every WF/SF instance names arguments some instance of the action has (for actions with static
 * domains; a domain that is a function of the state is only known while exploring).
 */
export function checkFairnessInstances(spec: Spec, instance: ModelInstance<unknown>, modelName: string): void {
  const show = (v: unknown) => showValue(v, instance.showValue?.bind(instance));
  for (const f of spec.fairness) {
    for (const g of f.group) {
      const def = instance.actions[g.action];
      if (!def) {
        const names = Object.keys(instance.actions);
        throw new QuorumError('UNKNOWN_NAME', `model ${modelName} has no action ${g.action}${didYouMean(g.action, names)}; it has ${names.join(', ')}`, f.where);
      }
      if (g.args.length === 0) continue;
      const all = staticInstances(def.params);
      if (all === null) continue;
      const written = `${g.action}(${g.args.map(show).join(', ')})`;
      if (g.args.length > (all[0]?.length ?? 0)) {
        throw new QuorumError('UNKNOWN_NAME', `${f.text}: ${written} gives ${g.args.length} argument${g.args.length === 1 ? '' : 's'}, but ${g.action} has ${all[0]?.length ?? 0}`, f.where);
      }
      if (all.some((args) => g.args.every((a, i) => is(a, args[i])))) continue;
      const known = [...new Set(all.map((args) => `${g.action}(${args.slice(0, g.args.length).map(show).join(', ')})`))];
      const hint = closest(written, known);
      throw new QuorumError(
        'UNKNOWN_NAME',
        `${f.text}: no instance of ${g.action} has the arguments ${written}${hint ? ` (did you mean ${hint}?)` : ''}; its instances are ${known.slice(0, 8).join(', ')}${known.length > 8 ? ', …' : ''}`,
        f.where,
      );
    }
  }
}

/** EXPECT VIOLATION X names something this spec checks: one of its invariants or properties, or Deadlock. */
export function checkExpectName(spec: Spec): void {
  const e = spec.expect;
  if (!e || e.kind !== 'violation' || e.name === undefined) return;
  const checked = [...spec.invariants.map((x) => x.name), ...spec.properties.map((x) => x.name), ...(spec.checkDeadlock ? ['Deadlock'] : [])];
  if (checked.includes(e.name)) return;
  throw new QuorumError(
    'UNKNOWN_NAME',
    `EXPECT VIOLATION ${e.name}: this spec checks no invariant or property named ${e.name}${didYouMean(e.name, checked)}; it checks ${checked.length ? checked.join(', ') : 'nothing that can be violated'}`,
    e.where,
  );
}
