// Where in a state a value that is not an Immutable.js value or a primitive sits (e.g. `local.c1`):
// looked for only after the fingerprint or the encoding rejected a state, so it costs nothing while
// a model is correct.
import { isList, isMap, isRecord, isSet } from 'immutable';

export interface NonValue {
  /** Keys from the state down to the value, e.g. ['local', 'c1']. */
  readonly path: readonly unknown[];
  /** What it is: "a plain object", "an array", "a function", ... */
  readonly what: string;
}

function describe(v: unknown): string | undefined {
  switch (typeof v) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'undefined':
      return undefined;
    case 'object':
      if (v === null || isRecord(v) || isMap(v) || isSet(v) || isList(v)) return undefined;
      if (Array.isArray(v)) return 'an array';
      if (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null) return 'a plain object';
      return `a ${(v as object).constructor?.name ?? 'object'}`;
    default:
      return `a ${typeof v}`;
  }
}

/** The first value in `s` (depth first, in iteration order) that cannot be part of a state, or undefined. */
export function findNonValue(s: unknown, path: unknown[] = []): NonValue | undefined {
  const what = describe(s);
  if (what !== undefined) return { path, what };
  if (isRecord(s)) {
    for (const [k, v] of s.toSeq().entries()) {
      const r = findNonValue(v, [...path, k]);
      if (r) return r;
    }
  } else if (isMap(s)) {
    for (const [k, v] of s.entries()) {
      const rk = findNonValue(k, [...path, '(a key)']);
      if (rk) return rk;
      const r = findNonValue(v, [...path, k]);
      if (r) return r;
    }
  } else if (isList(s) || isSet(s)) {
    let i = 0;
    for (const v of s as Iterable<unknown>) {
      const r = findNonValue(v, [...path, isList(s) ? i : '(an element)']);
      if (r) return r;
      i++;
    }
  }
  return undefined;
}

/** `local.c1`, or "the state itself" for an empty path. */
export function showPath(path: readonly unknown[]): string {
  return path.length === 0 ? 'the state itself' : path.map((k) => (typeof k === 'string' ? k : String(k))).join('.');
}
