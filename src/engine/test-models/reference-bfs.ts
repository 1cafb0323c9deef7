// Test support (not a model): a deliberately plain breadth-first search over a model definition,
// independent of the engine (no fingerprints, no codec, no seen table, no chunks): states are
// deduplicated on a canonical string built from their contents. TLC's conventions: initial states
// are level 1, "generated" counts initial states and every successor, duplicates included. Like the
// engine, it finishes the level it is expanding when an invariant fails, then stops.
import * as Immutable from 'immutable';
import type { Args, ModelDefinition } from '../../model/model.js';

const isMap = Immutable.isMap as (v: unknown) => boolean;
const isSet = Immutable.isSet as (v: unknown) => boolean;
const isList = Immutable.isList as (v: unknown) => boolean;
const isRecord = Immutable.isRecord as (v: unknown) => boolean;
const isOrdered = Immutable.isOrdered as (v: unknown) => boolean;

const recordKeys = new WeakMap<object, string>();

/** A canonical string for a value: equal values (Immutable.is) give equal strings for the values models use. */
export function canonicalKey(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
      return Object.is(v, -0) ? 'n0' : `n${v}`;
    case 'boolean':
      return v ? 'T' : 'F';
    case 'undefined':
      return 'U';
    case 'object': {
      if (v === null) return 'N';
      const c = v as any;
      if (isRecord(c)) {
        const hit = recordKeys.get(c);
        if (hit !== undefined) return hit;
        const k = `R{${(c._keys as string[]).map((f) => `${f}=${canonicalKey(c.get(f))}`).join(',')}}`;
        recordKeys.set(c, k);
        return k;
      }
      if (isList(c)) return `L[${c.toArray().map(canonicalKey).join(',')}]`;
      if (isMap(c)) {
        const parts: string[] = [];
        c.forEach((val: unknown, key: unknown) => parts.push(`${canonicalKey(key)}:${canonicalKey(val)}`));
        return isOrdered(c) ? `OM{${parts.join(',')}}` : `M{${parts.sort().join(',')}}`;
      }
      if (isSet(c)) {
        const parts = c.toArray().map(canonicalKey) as string[];
        return isOrdered(c) ? `OS{${parts.join(',')}}` : `S{${parts.sort().join(',')}}`;
      }
      throw new Error(`not an Immutable value: ${String(v)}`);
    }
    default:
      throw new Error(`not a state value: ${typeof v}`);
  }
}

export interface ReferenceResult<S> {
  distinct: number;
  generated: number;
  depth: number;
  /** The states of each level (levels[0] are the initial states). */
  levels: S[][];
  /** Invariant violations found, with their level; the run stopped after that level. */
  violations: { level: number; name: string; state: S }[];
}

/** All successors of `s`, by action, as the engine enumerates them (actions and arguments in declaration order). */
export function successorsOf<S>(actions: Readonly<Record<string, { params?: unknown; step(s: S, a: Args): unknown }>>, s: S): { action: string; args: Args; state: S }[] {
  const out: { action: string; args: Args; state: S }[] = [];
  for (const [name, a] of Object.entries(actions)) {
    let argsList: Iterable<Args>;
    if (a.params === undefined) argsList = [{}];
    else if (typeof a.params === 'function') argsList = (a.params as (s: S) => Iterable<Args>)(s);
    else {
      let combos: Args[] = [{}];
      for (const [k, vals] of Object.entries(a.params as Record<string, unknown[]>)) combos = combos.flatMap((c) => vals.map((v) => ({ ...c, [k]: v })));
      argsList = combos;
    }
    for (const args of argsList) {
      const r = a.step(s, args);
      if (r === undefined || r === null || r === false) continue;
      for (const t of Array.isArray(r) ? r : [r]) out.push({ action: name, args, state: t as S });
    }
  }
  return out;
}

export function referenceBfs<S>(
  def: ModelDefinition<any, S>,
  constants: Record<string, unknown>,
  opts: { invariants?: readonly string[]; maxLevels?: number } = {},
): ReferenceResult<S> {
  const inst = def.build(constants as never);
  const invariants = (opts.invariants ?? []).map((n) => [n, inst.invariants![n]!] as const);
  const seen = new Set<string>();
  const violations: ReferenceResult<S>['violations'] = [];
  const check = (s: S, level: number) => {
    for (const [name, inv] of invariants) if (!inv(s)) violations.push({ level, name, state: s });
  };
  let generated = 0;
  const first: S[] = [];
  for (const s of inst.init) {
    generated++;
    const k = canonicalKey(s);
    if (seen.has(k)) continue;
    seen.add(k);
    first.push(s);
    check(s, 1);
  }
  const levels: S[][] = first.length ? [first] : [];
  const max = opts.maxLevels ?? Infinity;
  while (levels.length > 0 && levels.length < max && violations.length === 0) {
    const level = levels.length;
    const next: S[] = [];
    for (const s of levels[level - 1]!) {
      for (const { state: t } of successorsOf(inst.actions, s)) {
        generated++;
        const k = canonicalKey(t);
        if (seen.has(k)) continue;
        seen.add(k);
        next.push(t);
        check(t, level + 1);
      }
    }
    if (next.length === 0) break;
    levels.push(next);
  }
  return { distinct: seen.size, generated, depth: levels.length, levels, violations };
}
