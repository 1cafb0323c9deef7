// Which top-level variables of a state a property reads, found by evaluating the property on a
// state that records the fields asked of it. Used to highlight them in the violating state; a
// property that does something the recording cannot follow gives no answer (undefined), never a
// wrong verdict: the property's value is discarded.
import * as Immutable from 'immutable';
import type { CompiledModel } from '../engine/compiled-model.js';

const isMap = Immutable.isMap as (v: unknown) => boolean;
const isRecord = Immutable.isRecord as (v: unknown) => boolean;

/** The state's top-level variable names (a Record's fields, a Map's string keys), or none. */
function variablesOf(s: unknown): string[] {
  const v = s as any;
  if (isRecord(v)) return [...(v._keys as string[])];
  if (isMap(v)) {
    const out: string[] = [];
    v.forEach((_: unknown, k: unknown) => {
      if (typeof k === 'string') out.push(k);
    });
    return out;
  }
  return [];
}

// Methods whose first argument names a variable (or, for the *In forms, starts a path to one).
const BY_KEY = new Set(['get', 'has', 'update', 'set', 'delete', 'remove']);
const BY_PATH = new Set(['getIn', 'hasIn', 'updateIn', 'setIn', 'deleteIn', 'removeIn']);

function firstOf(path: unknown): unknown {
  if (path === null || typeof path !== 'object' || !(Symbol.iterator in path)) return undefined;
  for (const x of path as Iterable<unknown>) return x;
  return undefined;
}

function recording(s: object, vars: ReadonlySet<string>, reads: Set<string>): object {
  return new Proxy(s, {
    get(target, key) {
      if (typeof key === 'string') {
        if (vars.has(key)) reads.add(key);
        else if (BY_KEY.has(key) || BY_PATH.has(key)) {
          const f = Reflect.get(target, key, target) as (...a: unknown[]) => unknown;
          return (...args: unknown[]) => {
            const first = BY_PATH.has(key) ? firstOf(args[0]) : args[0];
            if (typeof first === 'string' && vars.has(first)) reads.add(first);
            return f.apply(target, args);
          };
        }
      }
      const value = Reflect.get(target, key, target);
      // Other methods run on the real state, so its internals are read directly.
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * The variables the violated property reads in the trace's last state (and, for an action
 * property, the state before it), in the state's order; undefined when not known.
 */
export function variablesRead(model: CompiledModel<unknown>, violation: { kind: string; name: string }, states: readonly unknown[]): string[] | undefined {
  const last = states.at(-1);
  if (last === undefined || typeof last !== 'object' || last === null) return undefined;
  const names = variablesOf(last);
  if (names.length === 0) return undefined;
  const vars = new Set(names);
  const reads = new Set<string>();
  try {
    if (violation.kind === 'invariant') {
      const inv = model.instance.invariants?.[violation.name];
      if (!inv) return undefined;
      inv.call(model.instance.invariants, recording(last, vars, reads) as never);
    } else if (violation.kind === 'action') {
      const prop = model.instance.properties?.[violation.name] as { kind?: string; holds?: (s: unknown, t: unknown) => boolean } | undefined;
      const prev = states.at(-2);
      if (!prop || prop.kind !== 'step' || !prop.holds || typeof prev !== 'object' || prev === null) return undefined;
      prop.holds(recording(prev, vars, reads), recording(last, vars, reads));
    } else if (violation.kind === 'liveness') {
      // The state the behavior ends in (or cycles through) fails the property's predicates.
      const prop = model.instance.properties?.[violation.name] as { holds?: (s: unknown) => boolean; from?: (s: unknown) => boolean; to?: (s: unknown) => boolean } | undefined;
      if (!prop) return undefined;
      for (const f of [prop.holds, prop.from, prop.to]) if (f) f(recording(last, vars, reads));
    } else return undefined;
  } catch {
    return undefined;
  }
  return names.filter((n) => reads.has(n));
}
