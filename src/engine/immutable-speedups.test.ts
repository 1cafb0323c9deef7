// immutable-speedups.ts replaces Record.prototype.get, equals and hashCode with faster versions.
// They must behave exactly as Immutable's originals, restated here from Immutable 5's source:
//   get(k, notSet)  = has(k) ? (value at k's index, or the default when undefined) : notSet
//   equals(other)   = this === other || (isRecord(other) && recordSeq(this).equals(recordSeq(other)))
//   hashCode()      = recordSeq(this).hashCode()
// where recordSeq(r) is the keyed Seq of [key, r.get(key)] over the record type's keys.
import fc from 'fast-check';
import * as Immutable from 'immutable';
import { List, Map as IMap, Record, Seq, Set as ISet, is } from 'immutable';
import { describe, expect, it } from 'vitest';
import { fingerprint } from './fingerprint.js';
import { K_LIST, K_MAP, K_OMAP, K_OSET, K_REC, K_SET, kindOf } from './immutable-speedups.js';
import { build, descArb, mutate, normalize, RecAB, RecAB2, RecAC, RecWide, rng } from './test-models/arbitrary-values.js';

const isRecord = Immutable.isRecord as (v: unknown) => boolean;

function refGet(r: any, k: string, notSet?: unknown): unknown {
  if (!Object.prototype.hasOwnProperty.call(r._indices, k)) return notSet;
  const value = r._values.get(r._indices[k]);
  return value === undefined ? r._defaultValues[k] : value;
}
function refSeq(r: any) {
  return Seq.Keyed((r._keys as string[]).map((k) => [k, refGet(r, k)] as [string, unknown]));
}
function refEquals(r: any, other: unknown): boolean {
  return r === other || (isRecord(other) && refSeq(r).equals(refSeq(other)));
}
function refHash(r: any): number {
  return refSeq(r).hashCode();
}

/** Random records (of the four test types) and values derived from them. */
const recordsArb = fc.tuple(fc.array(descArb, { minLength: 1, maxLength: 6 }), fc.integer()).map(([descs, seed]) => {
  const r = rng(seed);
  const out: unknown[] = [];
  for (const d of descs) {
    const v = build(normalize(d), r);
    if (isRecord(v)) {
      out.push(v);
      out.push(mutate(v, r)); // often a record differing in one field
      out.push(build(normalize(d), r)); // an equal record built separately
    }
  }
  out.push(RecAB({ a: 1, b: 2 }), RecAB2({ a: 1, b: 2 }), RecAC({ a: 1, c: 2 }), RecAB(), RecWide(), RecWide({ f5: 'x' }));
  return out;
});

describe('immutable-speedups: Record get/equals/hashCode keep Immutable semantics', () => {
  it('get agrees with the original definition, for every field and for names that are not fields', () => {
    fc.assert(
      fc.property(recordsArb, (recs) => {
        for (const rec of recs as any[]) {
          for (const k of [...(rec._keys as string[]), 'zzz', 'toString', 'constructor', '__proto__', 'hasOwnProperty', 'size']) {
            expect(rec.get(k)).toBe(refGet(rec, k));
            expect(rec.get(k, 'NOT SET')).toBe(refGet(rec, k, 'NOT SET'));
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('equals and hashCode agree with the original definitions on random pairs, before and after fingerprints are cached', () => {
    fc.assert(
      fc.property(recordsArb, fc.boolean(), (recs, fingerprintFirst) => {
        if (fingerprintFirst) for (const x of recs) fingerprint(x);
        for (const a of recs as any[]) {
          expect(a.hashCode()).toBe(refHash(a));
          for (const b of recs) {
            const want = refEquals(a, b);
            expect(a.equals(b)).toBe(want);
            expect(is(a, b)).toBe(want);
            if (want) expect(a.hashCode()).toBe((b as any).hashCode());
          }
          expect(a.equals(null)).toBe(false);
          expect(a.equals(undefined)).toBe(false);
          expect(a.equals(1)).toBe(false);
          expect(a.equals(IMap(a.toObject()))).toBe(false); // a record never equals a map
        }
        // hashCode is stable (cached) and still right after fingerprinting.
        for (const a of recs as any[]) expect(a.hashCode()).toBe(refHash(a));
      }),
      { numRuns: 200 },
    );
  });

  it('records of different types with the same fields compare through the original path', () => {
    const a = RecAB({ a: ISet([1]), b: 'x' });
    const b = RecAB2({ a: ISet([1]), b: 'x' });
    fingerprint(a);
    fingerprint(b);
    expect(a.equals(b)).toBe(true);
    expect(b.equals(a)).toBe(true);
    expect(a.hashCode()).toBe(b.hashCode());
    expect(a.equals(RecAB2({ a: ISet([2]), b: 'x' }))).toBe(false);
    expect(RecAB({ a: 1 }).equals(RecAC({ a: 1 }))).toBe(false);
  });

  it('set and map membership of records works by value', () => {
    const msgs = [RecAB({ a: '1b', b: List([1, 'v1']) }), RecAB({ a: '2a', b: List([1, 'v1']) }), RecAC({ a: '1b', c: 3 })];
    const set = ISet(msgs);
    for (const m of msgs) fingerprint(m);
    expect(set.has(RecAB({ a: '1b', b: List([1, 'v1']) }))).toBe(true);
    expect(set.has(RecAB2({ a: '1b', b: List([1, 'v1']) }))).toBe(true); // equal by Immutable's rules
    expect(set.has(RecAB({ a: '1b', b: List([2, 'v1']) }))).toBe(false);
    expect(set.has(RecAC({ a: '1b', c: 4 }))).toBe(false);
    const map = IMap(msgs.map((m, i) => [m, i] as const));
    expect(map.get(RecAC({ a: '1b', c: 3 }))).toBe(2);
    expect(set.add(RecAB({ a: '2a', b: List([1, 'v1']) })).size).toBe(3);
  });

  it('a record edited inside withMutations is never served from a stale cache', () => {
    const r0 = RecAB({ a: 1, b: 2 });
    r0.hashCode();
    fingerprint(r0);
    let h1 = 0, h2 = 0;
    let eqInside = true;
    const r1 = r0.withMutations((m) => {
      m.set('a', 10);
      h1 = m.hashCode();
      fingerprint(m);
      m.set('b', 20);
      h2 = m.hashCode();
      eqInside = m.equals(RecAB({ a: 10, b: 20 }));
    });
    expect(h1).toBe(refHash(RecAB({ a: 10, b: 2 })));
    expect(h2).toBe(refHash(RecAB({ a: 10, b: 20 })));
    expect(eqInside).toBe(true);
    expect(r1.hashCode()).toBe(refHash(r1));
    expect(r1.equals(RecAB({ a: 10, b: 20 }))).toBe(true);
    expect(r1.equals(r0)).toBe(false);
    expect(r0.hashCode()).toBe(refHash(r0));
  });

  it('a record with more than 32 fields (values beyond one List node) reads every field', () => {
    const values: { [k: string]: unknown } = {};
    for (let i = 0; i < 40; i++) values[`f${i}`] = `v${i}`;
    const w = RecWide(values);
    for (let i = 0; i < 40; i++) expect(w.get(`f${i}`)).toBe(`v${i}`);
    const d = RecWide();
    for (let i = 0; i < 40; i++) expect(d.get(`f${i}`)).toBe(i % 3 === 0 ? null : i);
    expect(w.set('f35', 'x').get('f35')).toBe('x');
    expect(w.equals(RecWide(values))).toBe(true);
    expect(w.equals(w.set('f39', 'y'))).toBe(false);
    expect(w.hashCode()).toBe(refHash(w));
    // Only fields past the 32nd set: the values List has no root node, and its tail starts at index 32.
    const late = RecWide({ f39: 'late', f33: 'also' });
    expect(late.get('f7')).toBe(7);
    expect(late.get('f1')).toBe(1);
    expect(late.get('f39')).toBe('late');
    expect(late.get('f33')).toBe('also');
    expect(late.f7).toBe(7);
    expect(late.equals(RecWide({ f7: 'late', f1: 'also' }))).toBe(false);
    expect(fingerprint(late)).not.toBe(fingerprint(RecWide({ f7: 'late', f1: 'also' })));
    expect(late.toObject()).toEqual({ ...RecWide().toObject(), f39: 'late', f33: 'also' });
  });

  it('falsy field values (0, "", false, null) are returned as stored, not replaced by defaults', () => {
    const R = Record<{ x: unknown }>({ x: 'default' });
    for (const v of [0, '', false, null, NaN]) {
      expect(is(R({ x: v }).get('x'), v)).toBe(true);
      expect(is(R({ x: v }).x, v)).toBe(true);
    }
    expect(R({ x: undefined }).get('x')).toBe('default');
    expect(R().get('x')).toBe('default');
    expect(R({ x: 1 }).remove('x').get('x')).toBe('default');
  });
});

describe('immutable-speedups: kindOf', () => {
  it('tells each kind of collection apart, also for values of another copy of Immutable.js', async () => {
    // The ES build is a second copy (Node loads dist/immutable.js): its prototypes carry no kind tag.
    // @ts-expect-error -- no type declarations for the file itself
    const other = (await import('immutable/dist/immutable.es.js')) as typeof Immutable;
    expect(other.Map).not.toBe(Immutable.Map);
    class Sub extends Record({ q: 1 }) {}
    for (const I of [Immutable, other]) {
      const R = I.Record({ a: 1, __qkind: 5 });
      const cases: [unknown, number][] = [
        [I.Map(), K_MAP],
        [I.Map({ a: 1 }).asMutable(), K_MAP],
        [I.OrderedMap(), K_OMAP],
        [I.Set([1]), K_SET],
        [I.OrderedSet(), K_OSET],
        [I.List([1, 2]), K_LIST],
        [R(), K_REC],
        [R({ __qkind: 2 }), K_REC],
        [I.Stack(), 0],
        [I.Seq([1]), 0],
        [{}, 0],
        [[], 0],
      ];
      for (const [v, k] of cases) expect(kindOf(v)).toBe(k);
    }
    expect(kindOf(new Sub())).toBe(K_REC);
  });
});

describe('immutable-speedups: small Map lookups', () => {
  it('get and has agree with a lookup by Immutable.is, for keys of every kind', () => {
    const keyArb = fc.oneof(
      fc.constantFrom('s1', 's2', 's3', '', 0, -0, 1, NaN, null, true, false, undefined),
      fc.integer({ min: -2, max: 2 }),
      fc.constantFrom(List([1]), List([1]), IMap({ a: 1 }), RecAB({ a: 1, b: 2 }), RecAB2({ a: 1, b: 2 }), ISet(['s1'])),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(keyArb, fc.integer()), { maxLength: 12 }), fc.array(keyArb, { maxLength: 8 }), (entries, probes) => {
        const m = IMap<unknown, number>(entries);
        const ref = (k: unknown) => {
          for (const [key, v] of m.entries()) if (is(k, key)) return v;
          return 'NOT SET';
        };
        for (const k of [...probes, ...entries.map(([key]) => key)]) {
          expect(m.get(k, 'NOT SET' as never)).toBe(ref(k));
          expect(m.has(k)).toBe(ref(k) !== 'NOT SET');
        }
      }),
      { numRuns: 500 },
    );
  });
});
