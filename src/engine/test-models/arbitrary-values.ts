// Test support (not a model): random nested Immutable.js values for the fingerprint and codec
// property tests. A value is generated as a plain description (Desc) and then built, either
// canonically or in a random way (shuffled insertion order, withMutations, junk added then removed,
// lists with a non-zero origin...), so that equal values with different internal shapes can be compared.
import fc from 'fast-check';
import * as Immutable from 'immutable';
import { List, Map as IMap, OrderedMap, OrderedSet, Record, Set as ISet, is } from 'immutable';

const isMap = Immutable.isMap as (v: unknown) => boolean;
const isSet = Immutable.isSet as (v: unknown) => boolean;
const isList = Immutable.isList as (v: unknown) => boolean;
const isRecord = Immutable.isRecord as (v: unknown) => boolean;
const isOrdered = Immutable.isOrdered as (v: unknown) => boolean;

export type Prim = number | string | boolean | null;

export type Desc =
  | { k: 'prim'; v: Prim }
  | { k: 'list'; items: Desc[] }
  | { k: 'set'; items: Desc[] }
  | { k: 'oset'; items: Desc[] }
  | { k: 'map'; entries: [Desc, Desc][] }
  | { k: 'omap'; entries: [Desc, Desc][] }
  | { k: 'rec'; t: RecName; fields: { [field: string]: Desc } };

/** Record types: AB and AB2 have the same fields (Immutable.is treats their instances as equal when the values are). */
export const RecAB = Record<{ a: unknown; b: unknown }>({ a: 0, b: null }, 'AB');
export const RecAC = Record<{ a: unknown; c: unknown }>({ a: 0, c: 'c' }, 'AC');
export const RecAB2 = Record<{ a: unknown; b: unknown }>({ a: 0, b: null }, 'AB2');
/** A record with more than 32 fields: its values do not fit in one List tail node. */
const wideDefaults: { [k: string]: unknown } = {};
for (let i = 0; i < 40; i++) wideDefaults[`f${i}`] = i % 3 === 0 ? null : i;
export const RecWide = Record<{ [k: string]: unknown }>(wideDefaults, 'Wide');

export const RECORDS = { AB: RecAB, AC: RecAC, AB2: RecAB2, Wide: RecWide } as const;
export type RecName = keyof typeof RECORDS;
export const ALL_RECORD_FACTORIES = [RecAB, RecAC, RecAB2, RecWide];

const FIELDS: { [K in RecName]: string[] } = {
  AB: ['a', 'b'],
  AC: ['a', 'c'],
  AB2: ['a', 'b'],
  Wide: Object.keys(wideDefaults),
};

export const specialNumbers = [0, -0, 1, -1, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, 2 ** 32, -(2 ** 32) - 1, 2 ** 53, -(2 ** 53), Number.MAX_SAFE_INTEGER, Number.MAX_VALUE, Number.MIN_VALUE, 0.1, -0.5, 1e300, -1e-300, NaN, Infinity, -Infinity];

export const primArb: fc.Arbitrary<Prim> = fc.oneof(
  fc.integer({ min: -3, max: 3 }),
  fc.integer(),
  fc.double(),
  fc.constantFrom(...specialNumbers),
  // "Aa" and "BB" have the same Immutable hash code (a Java-style string hash), as do their concatenations.
  fc.constantFrom('a', 'b', 'Aa', 'BB', 'AaAa', 'BBBB', 'AaBB', ''),
  fc.string({ maxLength: 8 }),
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.boolean(),
  fc.constant(null),
);

export const descArb: fc.Arbitrary<Desc> = fc.letrec<{ value: Desc; key: Desc }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 3 },
    primArb.map((v): Desc => ({ k: 'prim', v })),
    fc.array(tie('value'), { maxLength: 6 }).map((items): Desc => ({ k: 'list', items })),
    fc.array(tie('key'), { maxLength: 6 }).map((items): Desc => ({ k: 'set', items })),
    fc.array(tie('key'), { maxLength: 5 }).map((items): Desc => ({ k: 'oset', items })),
    fc.array(fc.tuple(tie('key'), tie('value')), { maxLength: 6 }).map((entries): Desc => ({ k: 'map', entries })),
    fc.array(fc.tuple(tie('key'), tie('value')), { maxLength: 5 }).map((entries): Desc => ({ k: 'omap', entries })),
    fc
      .tuple(fc.constantFrom<RecName>('AB', 'AC', 'AB2', 'Wide'), fc.array(tie('value'), { minLength: 3, maxLength: 3 }), fc.array(fc.nat(39), { maxLength: 3 }))
      .map(([t, vals, picks]): Desc => {
        const fields: { [f: string]: Desc } = {};
        const names = FIELDS[t];
        // Some fields set, the others left at their defaults.
        if (t === 'Wide') picks.forEach((p, i) => (fields[names[p % names.length]!] = vals[i]!));
        else names.forEach((f, i) => {
          if (i < picks.length || i === 0) fields[f] = vals[i]!;
        });
        return { k: 'rec', t, fields };
      }),
  ),
  // Keys: mostly primitives, sometimes small collections (hashed through hashCode).
  key: fc.oneof(
    { depthSize: 'small', maxDepth: 2 },
    primArb.map((v): Desc => ({ k: 'prim', v })),
    primArb.map((v): Desc => ({ k: 'prim', v })),
    fc.array(tie('key'), { maxLength: 3 }).map((items): Desc => ({ k: 'list', items })),
    fc.array(tie('key'), { maxLength: 3 }).map((items): Desc => ({ k: 'set', items })),
    fc.tuple(tie('key'), tie('key')).map(([a, b]): Desc => ({ k: 'rec', t: 'AB', fields: { a, b } })),
  ),
})).value;

/** A seeded generator (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(xs: readonly T[], r: () => number): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const pick = (r: () => number, n: number) => Math.floor(r() * n);
/** Keys that no generated value equals. */
const junk = (i: number) => List(['\u0000junk\u0000', i]);

/** Drops map entries whose key equals an earlier one (so that any insertion order gives the same map). */
export function normalize(d: Desc): Desc {
  switch (d.k) {
    case 'prim':
      return d;
    case 'list':
    case 'set':
    case 'oset':
      return { k: d.k, items: d.items.map(normalize) };
    case 'map':
    case 'omap': {
      const keys: unknown[] = [];
      const entries: [Desc, Desc][] = [];
      for (const [k, v] of d.entries) {
        const built = build(k);
        if (keys.some((x) => is(x, built))) continue;
        keys.push(built);
        entries.push([normalize(k), normalize(v)]);
      }
      return { k: d.k, entries };
    }
    case 'rec': {
      const fields: { [f: string]: Desc } = {};
      for (const [f, v] of Object.entries(d.fields)) fields[f] = normalize(v);
      return { k: 'rec', t: d.t, fields };
    }
  }
}

/**
 * Builds the value a (normalized) description stands for. Without `r`, canonically (constructors);
 * with `r`, each collection in one of several ways chosen at random, all giving an Immutable.is-equal value.
 */
export function build(d: Desc, r?: () => number): unknown {
  switch (d.k) {
    case 'prim':
      return d.v;
    case 'list': {
      const items = d.items.map((x) => build(x, r));
      if (!r) return List(items);
      switch (pick(r, 6)) {
        case 0:
          return List(items);
        case 1:
          return items.reduce((l: List<unknown>, x) => l.push(x), List());
        case 2:
          return List().withMutations((l) => {
            for (const x of items) l.push(x);
          });
        case 3:
          return List(['junk', ...items]).shift(); // a list whose origin is not 0
        case 4:
          return List([...items, 'junk', 'junk']).pop().pop();
        default:
          return items.reduce((l: List<unknown>, x, i) => l.set(i, x), List().setSize(items.length));
      }
    }
    case 'set':
    case 'oset': {
      const ordered = d.k === 'oset';
      const empty = ordered ? OrderedSet<unknown>() : ISet<unknown>();
      const items = d.items.map((x) => build(x, r));
      if (!r) return ordered ? OrderedSet(items) : ISet(items);
      const order = ordered ? items : shuffled(items, r);
      switch (pick(r, 6)) {
        case 0:
          return ordered ? OrderedSet(order) : ISet(order);
        case 1:
          return order.reduce((s: ISet<unknown>, x) => s.add(x), empty);
        case 2:
          return empty.withMutations((s) => {
            for (const x of order) s.add(x);
          });
        case 3: {
          // Grows past the small-node sizes, then shrinks back.
          let s = empty;
          const n = 1 + pick(r, 40);
          for (let i = 0; i < order.length; i++) {
            if (i === Math.floor(order.length / 2)) for (let j = 0; j < n; j++) s = s.add(junk(j));
            s = s.add(order[i]);
          }
          if (order.length === 0) for (let j = 0; j < n; j++) s = s.add(junk(j));
          for (let j = 0; j < n; j++) s = s.remove(junk(j));
          return s;
        }
        case 4:
          return order.reduce((s: ISet<unknown>, x) => s.add(x).add(x), empty); // duplicates
        default: {
          const half = Math.floor(order.length / 2);
          const a = ordered ? OrderedSet(order.slice(0, half)) : ISet(order.slice(0, half));
          return a.union(order.slice(half));
        }
      }
    }
    case 'map':
    case 'omap': {
      const ordered = d.k === 'omap';
      const empty = ordered ? OrderedMap<unknown, unknown>() : IMap<unknown, unknown>();
      const entries = d.entries.map(([k, v]) => [build(k, r), build(v, r)] as [unknown, unknown]);
      if (!r) return ordered ? OrderedMap(entries) : IMap(entries);
      const order = ordered ? entries : shuffled(entries, r);
      switch (pick(r, 6)) {
        case 0:
          return ordered ? OrderedMap(order) : IMap(order);
        case 1:
          return order.reduce((m: IMap<unknown, unknown>, [k, v]) => m.set(k, v), empty);
        case 2:
          return empty.withMutations((m) => {
            for (const [k, v] of order) m.set(k, v);
          });
        case 3: {
          let m = empty;
          const n = 1 + pick(r, 40);
          for (let i = 0; i < order.length; i++) {
            if (i === Math.floor(order.length / 2)) for (let j = 0; j < n; j++) m = m.set(junk(j), j);
            m = m.set(order[i]![0], order[i]![1]);
          }
          if (order.length === 0) for (let j = 0; j < n; j++) m = m.set(junk(j), j);
          return m.withMutations((mm) => {
            for (let j = 0; j < n; j++) mm.remove(junk(j));
          });
        }
        case 4: {
          // Placeholder values first, then the real ones (keeps the keys' positions in an OrderedMap).
          const m = order.reduce((acc: IMap<unknown, unknown>, [k]) => acc.set(k, 'placeholder'), empty);
          return order.reduce((acc: IMap<unknown, unknown>, [k, v]) => acc.set(k, v), m);
        }
        default: {
          const half = Math.floor(order.length / 2);
          const a = ordered ? OrderedMap(order.slice(0, half)) : IMap(order.slice(0, half));
          return a.merge(ordered ? OrderedMap(order.slice(half)) : IMap(order.slice(half)));
        }
      }
    }
    case 'rec': {
      const F = RECORDS[d.t] as unknown as (v?: object) => any;
      const fields = Object.entries(d.fields).map(([f, v]) => [f, build(v, r)] as const);
      if (!r) return F(Object.fromEntries(fields));
      switch (pick(r, 4)) {
        case 0:
          return F(Object.fromEntries(fields));
        case 1:
          return shuffled(fields, r).reduce((rec: any, [f, v]) => rec.set(f, v), F());
        case 2:
          return F().withMutations((rec: any) => {
            for (const [f, v] of shuffled(fields, r)) rec.set(f, v);
          });
        default: {
          // Every field written, the unset ones explicitly to their defaults.
          const defaults = F().toObject() as { [f: string]: unknown };
          return F({ ...defaults, ...Object.fromEntries(fields) });
        }
      }
    }
  }
}

/** The description of a built value (a toJS-like walk), to rebuild it from scratch. */
export function describe(v: unknown): Desc {
  if (typeof v !== 'object' || v === null) return { k: 'prim', v: v as Prim };
  const c = v as any;
  if (isRecord(c)) {
    const t = (Object.keys(RECORDS) as RecName[]).find((n) => c instanceof (RECORDS[n] as any));
    if (!t) throw new Error('unknown record type');
    const fields: { [f: string]: Desc } = {};
    for (const f of FIELDS[t]) fields[f] = describe(c.get(f));
    return { k: 'rec', t, fields };
  }
  if (isList(c)) return { k: 'list', items: c.toArray().map(describe) };
  if (isSet(c)) return { k: isOrdered(c) ? 'oset' : 'set', items: c.toArray().map(describe) };
  if (isMap(c)) {
    const entries: [Desc, Desc][] = [];
    c.forEach((val: unknown, key: unknown) => entries.push([describe(key), describe(val)]));
    return { k: isOrdered(c) ? 'omap' : 'map', entries };
  }
  throw new Error(`cannot describe ${String(v)}`);
}

const smallPrims: Prim[] = [0, 1, 2, -1, -0, 0.5, 'a', 'b', 'Aa', 'BB', true, false, null, 2 ** 40];

/**
 * A successor of `v` derived with Immutable's own operations at one random place (set, add,
 * remove, push, pop, update inside withMutations...). It may equal `v` (e.g. adding an element already there).
 */
export function mutate(v: unknown, r: () => number, depth = 0): unknown {
  const prim = () => smallPrims[pick(r, smallPrims.length)]!;
  if (typeof v !== 'object' || v === null) return pick(r, 4) === 0 ? IMap({ was: v }) : prim();
  const c = v as any;
  const descend = depth < 4 && r() < 0.5;
  if (isRecord(c)) {
    const keys = c._keys as string[];
    const f = keys[pick(r, keys.length)]!;
    const nv = mutate(c.get(f), r, depth + 1);
    return pick(r, 2) === 0 ? c.set(f, nv) : c.withMutations((m: any) => m.set(f, nv));
  }
  if (isList(c)) {
    const n = c.size as number;
    if (n > 0 && descend) {
      const i = pick(r, n);
      return c.update(i, (x: unknown) => mutate(x, r, depth + 1));
    }
    switch (pick(r, 4)) {
      case 0:
        return c.push(prim());
      case 1:
        return n > 0 ? c.pop() : c.push(prim());
      case 2:
        return n > 0 ? c.set(pick(r, n), prim()) : c.unshift(prim());
      default:
        return c.withMutations((l: any) => l.push(prim()).push(prim()));
    }
  }
  if (isMap(c)) {
    const keys = c.keySeq().toArray() as unknown[];
    if (keys.length > 0 && descend) {
      const k = keys[pick(r, keys.length)];
      return c.update(k, (x: unknown) => mutate(x, r, depth + 1));
    }
    switch (pick(r, 4)) {
      case 0:
        return c.set(prim(), prim());
      case 1:
        return keys.length ? c.remove(keys[pick(r, keys.length)]) : c.set(prim(), prim());
      case 2:
        return keys.length ? c.set(keys[pick(r, keys.length)], prim()) : c.set(prim(), prim());
      default:
        return c.withMutations((m: any) => m.set(prim(), prim()).set(prim(), prim()));
    }
  }
  if (isSet(c)) {
    const items = c.toArray() as unknown[];
    if (items.length > 0 && descend) {
      const x = items[pick(r, items.length)];
      return c.remove(x).add(mutate(x, r, depth + 1));
    }
    switch (pick(r, 3)) {
      case 0:
        return c.add(prim());
      case 1:
        return items.length ? c.remove(items[pick(r, items.length)]) : c.add(prim());
      default:
        return c.withMutations((s: any) => s.add(prim()).add(prim()));
    }
  }
  throw new Error(`cannot mutate ${String(v)}`);
}
