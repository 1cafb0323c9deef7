// What a step changed, computed on the live Immutable values: keyed values (records, maps) are
// followed down to the entries that changed; sets report the elements added and removed;
// sequences that grew report the appended items. Used by the text trace and the viewer.
import * as Immutable from 'immutable';
import { is } from 'immutable';
// Untyped guards: these modules read Immutable's internals, where the typed guards narrow too far.
const isList = Immutable.isList as (v: unknown) => boolean;
const isMap = Immutable.isMap as (v: unknown) => boolean;
const isOrdered = Immutable.isOrdered as (v: unknown) => boolean;
const isRecord = Immutable.isRecord as (v: unknown) => boolean;
const isSet = Immutable.isSet as (v: unknown) => boolean;

export interface Change {
  /** Path from the state's root, e.g. ["maxBal", "a2"]. */
  readonly path: string[];
  /** For a value replaced: its display before and after (undefined when absent). */
  readonly before?: string;
  readonly after?: string;
  /** For sets (and sequences that grew): the elements added / removed. */
  readonly added?: string[];
  readonly removed?: string[];
}

type Show = (v: unknown) => string;

function keyed(v: unknown): boolean {
  return isRecord(v) || (isMap(v) && !isOrdered(v));
}

function keysOf(v: any): unknown[] {
  if (isRecord(v)) return [...((v as any)._keys as string[])];
  const out: unknown[] = [];
  (v as any).forEach((_: unknown, k: unknown) => out.push(k));
  return out;
}

function getKey(v: any, k: unknown): unknown {
  return v.has(k) ? v.get(k) : undefined;
}

export function diffStates(a: unknown, b: unknown, show: Show, path: string[] = []): Change[] {
  if (is(a, b)) return [];
  if (a !== undefined && b !== undefined && keyed(a) && keyed(b) && isRecord(a) === isRecord(b)) {
    const out: Change[] = [];
    const keys = keysOf(a);
    for (const k of keysOf(b)) if (!keys.some((x) => is(x, k))) keys.push(k);
    for (const k of keys) {
      const x = getKey(a, k), y = getKey(b, k);
      if (!is(x, y)) out.push(...diffStates(x, y, show, [...path, typeof k === 'string' ? k : show(k)]));
    }
    return out;
  }
  if (isSet(a) && isSet(b)) {
    const added: string[] = [], removed: string[] = [];
    (b as any).forEach((x: unknown) => {
      if (!(a as any).has(x)) added.push(show(x));
    });
    (a as any).forEach((x: unknown) => {
      if (!(b as any).has(x)) removed.push(show(x));
    });
    return [{ path, added: added.sort(), removed: removed.sort() }];
  }
  if (isList(a) && isList(b)) {
    const la = (a as any).size as number, lb = (b as any).size as number;
    if (lb > la && is((b as any).slice(0, la), a)) {
      const added: string[] = [];
      (b as any).slice(la).forEach((x: unknown) => added.push(show(x)));
      return [{ path, added, removed: [] }];
    }
  }
  return [{ path, before: a === undefined ? undefined : show(a), after: b === undefined ? undefined : show(b) }];
}

/** One line per change: `maxBal.a2: -1 → 0`, `msgs: + 1b{…}`. */
export function showChange(c: Change): string {
  const p = c.path.length ? c.path.join('.') : '(state)';
  if (c.added || c.removed) {
    const parts = [...(c.added ?? []).map((x) => `+ ${x}`), ...(c.removed ?? []).map((x) => `- ${x}`)];
    return `${p}: ${parts.join(', ')}`;
  }
  if (c.before === undefined) return `${p}: (new) ${c.after}`;
  if (c.after === undefined) return `${p}: ${c.before} (removed)`;
  return `${p}: ${c.before} → ${c.after}`;
}
