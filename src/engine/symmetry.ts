// Symmetry reduction (SYMMETRY): states that differ only by a permutation of the model values of some
// sets are one state. Each state is keyed by the smallest fingerprint over all permutations, which is
// the same for every member of its equivalence class and differs between classes (up to fingerprint
// collisions): the count is exactly the number of classes, for any worker count.
import * as Immutable from 'immutable';
import { List, Map as IMap, OrderedMap, OrderedSet, Set as ISet } from 'immutable';
// Untyped guards: these modules read Immutable's internals, where the typed guards narrow too far.
const isList = Immutable.isList as (v: unknown) => boolean;
const isMap = Immutable.isMap as (v: unknown) => boolean;
const isOrdered = Immutable.isOrdered as (v: unknown) => boolean;
const isRecord = Immutable.isRecord as (v: unknown) => boolean;
const isSet = Immutable.isSet as (v: unknown) => boolean;

function permutationsOf<T>(xs: readonly T[]): T[][] {
  if (xs.length <= 1) return [[...xs]];
  const out: T[][] = [];
  xs.forEach((x, i) => {
    for (const rest of permutationsOf([...xs.slice(0, i), ...xs.slice(i + 1)])) out.push([x, ...rest]);
  });
  return out;
}

/** Every renaming that permutes each set within itself, the identity excluded. */
export function symmetryRenamings(sets: readonly (readonly string[])[]): Map<string, string>[] {
  let renamings: Map<string, string>[] = [new Map()];
  for (const set of sets) {
    const next: Map<string, string>[] = [];
    for (const perm of permutationsOf(set)) {
      for (const r of renamings) {
        const m = new Map(r);
        set.forEach((x, i) => {
          if (x !== perm[i]) m.set(x, perm[i]!);
        });
        next.push(m);
      }
    }
    renamings = next;
  }
  return renamings.filter((m) => m.size > 0);
}

/** The value with every model value renamed. */
export function rename(v: unknown, m: ReadonlyMap<string, string>): unknown {
  if (typeof v === 'string') return m.get(v) ?? v;
  if (typeof v !== 'object' || v === null) return v;
  const c = v as any;
  if (isRecord(c)) {
    return c.withMutations((r: any) => {
      for (const k of c._keys as string[]) r.set(k, rename(c.get(k), m));
    });
  }
  if (isMap(c)) {
    const empty = isOrdered(c) ? OrderedMap<unknown, unknown>() : IMap<unknown, unknown>();
    return empty.withMutations((out) => {
      c.forEach((val: unknown, key: unknown) => out.set(rename(key, m), rename(val, m)));
    });
  }
  if (isSet(c)) {
    const empty = isOrdered(c) ? OrderedSet<unknown>() : ISet<unknown>();
    return empty.withMutations((out) => {
      c.forEach((x: unknown) => out.add(rename(x, m)));
    });
  }
  if (isList(c)) return List(c.map((x: unknown) => rename(x, m)));
  return v;
}
