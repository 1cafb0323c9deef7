// How values and actions read in traces: TLA+'s notation, which protocol engineers already read
// ({a, b} for sets, <<x, y>> for sequences, [k |-> v] for functions and records), model values bare.
import * as Immutable from 'immutable';
// Untyped guards: these modules read Immutable's internals, where the typed guards narrow too far.
const isMap = Immutable.isMap as (v: unknown) => boolean;
const isSet = Immutable.isSet as (v: unknown) => boolean;
const isList = Immutable.isList as (v: unknown) => boolean;
const isRecord = Immutable.isRecord as (v: unknown) => boolean;
const isOrdered = Immutable.isOrdered as (v: unknown) => boolean;

export type ValueFormatter = (v: unknown) => string | undefined;

export function showValue(v: unknown, custom?: ValueFormatter): string {
  if (custom) {
    const s = custom(v);
    if (s !== undefined) return s;
  }
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
      return String(v);
    case 'boolean':
      return v ? 'TRUE' : 'FALSE';
    case 'undefined':
      return 'undefined';
    case 'object': {
      if (v === null) return 'null';
      const c = v as any;
      if (isRecord(c)) {
        const keys = c._keys as string[];
        return `[${keys.map((k) => `${k} |-> ${showValue(c.get(k), custom)}`).join(', ')}]`;
      }
      if (isMap(c)) {
        const parts: string[] = [];
        c.forEach((val: unknown, key: unknown) => parts.push(`${showValue(key, custom)} |-> ${showValue(val, custom)}`));
        if (!isOrdered(c)) parts.sort();
        return `[${parts.join(', ')}]`;
      }
      if (isSet(c)) {
        const parts: string[] = [];
        c.forEach((item: unknown) => parts.push(showValue(item, custom)));
        if (!isOrdered(c)) parts.sort();
        return `{${parts.join(', ')}}`;
      }
      if (isList(c)) {
        const parts: string[] = [];
        c.forEach((item: unknown) => parts.push(showValue(item, custom)));
        return `<<${parts.join(', ')}>>`;
      }
      return String(v);
    }
    default:
      return String(v);
  }
}

/** `Phase1b(a2)`, `TMCommit`, `Phase2a(1, v1)`. */
export function showAction(name: string, args: Readonly<Record<string, unknown>>, custom?: ValueFormatter): string {
  const vals = Object.values(args);
  if (vals.length === 0) return name;
  return `${name}(${vals.map((x) => showValue(x, custom)).join(', ')})`;
}

/** A JSON-friendly copy of a value: sets become sorted arrays, maps and records objects (non-string keys shown). */
export function toPlain(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  const c = v as any;
  if (isRecord(c)) {
    const out: Record<string, unknown> = {};
    for (const k of c._keys as string[]) out[k] = toPlain(c.get(k));
    return out;
  }
  if (isMap(c)) {
    const entries: [string, unknown][] = [];
    c.forEach((val: unknown, key: unknown) => entries.push([typeof key === 'string' ? key : showValue(key), toPlain(val)]));
    if (!isOrdered(c)) entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return Object.fromEntries(entries);
  }
  if (isSet(c)) {
    const items: unknown[] = [];
    c.forEach((item: unknown) => items.push(toPlain(item)));
    if (!isOrdered(c)) items.sort((a, b) => cmpPlain(a, b));
    return items;
  }
  if (isList(c)) {
    const items: unknown[] = [];
    c.forEach((item: unknown) => items.push(toPlain(item)));
    return items;
  }
  return String(v);
}

function cmpPlain(a: unknown, b: unknown): number {
  const x = JSON.stringify(a), y = JSON.stringify(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
