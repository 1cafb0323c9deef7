// Fingerprints are the state identity of the whole engine: equal values (Immutable.is) must get equal
// fingerprints however they were built, and different values different ones (a 64-bit collision on a
// few thousand random values would be a real bug).
import fc from 'fast-check';
import { List, Map as IMap, OrderedMap, OrderedSet, Record, Seq, Set as ISet, Stack, hash, is } from 'immutable';
import { describe, expect, it } from 'vitest';
import { fingerprint, fingerprintHex, fingerprintInto, fingerprintRenamedInto, fpToHex } from './fingerprint.js';
import { rename } from './symmetry.js';
import { QuorumError } from '../model/errors.js';
import { build, describe as describeValue, descArb, mutate, normalize, primArb, RecAB, RecAB2, RecAC, RecWide, rng, specialNumbers } from './test-models/arbitrary-values.js';
import { expectCode } from './test-models/expect-code.js';

const RUNS = 300;

function expectNotImmutable(f: () => unknown): void {
  expectCode(f, 'STATE_NOT_IMMUTABLE');
}

/** Asserts that fingerprints agree with Immutable.is on every pair of `values`. */
function expectFingerprintsMatchEquality(values: readonly unknown[]): void {
  const fps = values.map(fingerprint);
  for (let i = 0; i < values.length; i++) {
    for (let j = i + 1; j < values.length; j++) {
      const same = is(values[i], values[j]);
      if (same !== (fps[i] === fps[j])) {
        throw new Error(`Immutable.is = ${same} but fingerprints ${same ? 'differ' : 'collide'}: ${String(values[i])} vs ${String(values[j])}`);
      }
    }
  }
}

describe('fingerprint: equal values, equal fingerprints', () => {
  it('does not depend on how a value was built (insertion order, withMutations, junk added and removed, list origin)', () => {
    fc.assert(
      fc.property(descArb, fc.integer(), fc.integer(), (raw, s1, s2) => {
        const d = normalize(raw);
        const canonical = build(d);
        const a = build(d, rng(s1));
        const b = build(d, rng(s2));
        expect(is(a, canonical)).toBe(true);
        expect(is(b, canonical)).toBe(true);
        expect(fingerprint(a)).toBe(fingerprint(canonical));
        expect(fingerprint(b)).toBe(fingerprint(canonical));
        // Rebuilt from scratch from a toJS-like description of the value.
        const rebuilt = build(describeValue(a), rng(s1 ^ s2));
        expect(fingerprint(rebuilt)).toBe(fingerprint(canonical));
      }),
      { numRuns: RUNS },
    );
  });

  it('treats -0 as 0 and NaN as NaN (as Immutable.is does), and distinguishes int-valued floats from nothing', () => {
    expect(fingerprint(-0)).toBe(fingerprint(0));
    expect(fingerprint(List([-0]))).toBe(fingerprint(List([0])));
    expect(fingerprint(ISet([-0, 1]))).toBe(fingerprint(ISet([1, 0])));
    expect(fingerprint(IMap([[-0, 'x']]))).toBe(fingerprint(IMap([[0, 'x']])));
    expect(fingerprint(NaN)).toBe(fingerprint(0 / 0));
    expect(fingerprint(NaN)).toBe(fingerprint(Number('x')));
    // 2 and 2.0 are the same JS number; 2**31 is past int32 and takes the float path, consistently.
    expect(fingerprint(2)).toBe(fingerprint(4 / 2));
    expect(fingerprint(2 ** 31)).toBe(fingerprint(2147483648));
    expectFingerprintsMatchEquality([...specialNumbers, 0.30000000000000004, 0.1 + 0.2, 0.3, -1e-300]);
  });

  it('a float whose bits look like an integer tag does not share its fingerprint', () => {
    // The denormal with bits 0x00000003_00000005: its high half is the float tag xor the int tag.
    const bits = new Uint32Array([5, 3]);
    const denormal = new Float64Array(bits.buffer)[0]!;
    expect(denormal).toBeGreaterThan(0);
    expect(fingerprint(denormal)).not.toBe(fingerprint(5));
    expect(fingerprint(List([denormal]))).not.toBe(fingerprint(List([5])));
  });

  it('records of two types with the same fields are Immutable.is-equal, and fingerprint alike', () => {
    const a = RecAB({ a: 1, b: ISet(['x']) });
    const b = RecAB2({ a: 1, b: ISet(['x']) });
    expect(is(a, b)).toBe(true);
    expect(fingerprint(a)).toBe(fingerprint(b));
    expect(is(a, RecAC({ a: 1 }))).toBe(false);
    expect(fingerprint(RecAB({ a: 1 }))).not.toBe(fingerprint(RecAC({ a: 1 })));
  });

  it('a record field set to its default equals the field left unset', () => {
    const a = RecAB({ a: 0 });
    const b = RecAB();
    const c = RecAB({ a: 5 }).set('a', 0);
    expect(is(a, b) && is(a, c)).toBe(true);
    expect(new Set([fingerprint(a), fingerprint(b), fingerprint(c)]).size).toBe(1);
    const w = RecWide({ f38: 'x' }).set('f38', 38); // back to the default (f38 defaults to 38)
    expect(fingerprint(w)).toBe(fingerprint(RecWide()));
  });
});

describe('fingerprint: different values, different fingerprints', () => {
  it('random pairs of values: fingerprints are equal exactly when Immutable.is says so', () => {
    fc.assert(
      fc.property(fc.array(descArb, { minLength: 2, maxLength: 8 }), fc.integer(), (descs, seed) => {
        const r = rng(seed);
        const values = descs.map((d) => build(normalize(d), r));
        expectFingerprintsMatchEquality(values);
      }),
      { numRuns: RUNS },
    );
  });

  it('a value and a successor differing in one place (set/add/remove/push/pop at any depth)', () => {
    fc.assert(
      fc.property(descArb, fc.integer(), fc.integer({ min: 1, max: 6 }), (raw, seed, steps) => {
        const r = rng(seed);
        const chain: unknown[] = [build(normalize(raw), r)];
        for (let i = 0; i < steps; i++) chain.push(mutate(chain[chain.length - 1], r));
        expectFingerprintsMatchEquality(chain);
      }),
      { numRuns: RUNS },
    );
  });

  it('primitives: kinds are kept apart (1, "1", true, null, 1.5, "true", "null")', () => {
    fc.assert(
      fc.property(fc.array(primArb, { maxLength: 20 }), (xs) => {
        expectFingerprintsMatchEquality([...xs, 1, '1', true, 'true', null, 'null', 1.5, '1.5', 0, '', false]);
      }),
      { numRuns: RUNS },
    );
  });

  it('no collision among ~200,000 distinct small values', () => {
    const seen = new Map<bigint, unknown>();
    let n = 0;
    const add = (v: unknown) => {
      n++;
      const f = fingerprint(v);
      const prev = seen.get(f);
      if (prev !== undefined && !is(prev, v)) throw new Error(`fingerprint collision: ${String(prev)} vs ${String(v)}`);
      seen.set(f, v);
    };
    // Every subset of 0..15 (sets are sums of their elements' hashes: the weakest spot for collisions).
    for (let mask = 0; mask < 1 << 16; mask++) {
      const xs: number[] = [];
      for (let i = 0; i < 16; i++) if (mask & (1 << i)) xs.push(i);
      add(ISet(xs));
    }
    // Every map from 4 keys to {absent, 0, 1, 2, 3, 4}, and the same as records where they fit.
    const keys = ['a1', 'a2', 'a3', 'a4'];
    for (let code = 0; code < 6 ** 4; code++) {
      let c = code;
      const entries: [string, number][] = [];
      for (const k of keys) {
        const x = c % 6;
        c = Math.floor(c / 6);
        if (x > 0) entries.push([k, x - 1]);
      }
      add(IMap(entries));
      add(OrderedMap(entries));
      if (entries.length === keys.length) add(List(entries.map(([, x]) => x)));
    }
    // Integers, floats next to them, and strings spelling them.
    for (let i = -40000; i < 40000; i++) {
      add(i);
      add(String(i));
      if (i % 4 === 0) add(i + 0.5);
    }
    // Sets of pairs and lists of lists.
    for (let i = 0; i < 30; i++) {
      for (let j = 0; j < 30; j++) {
        add(ISet([List([i, j])]));
        add(List([List([i]), List([j])]));
        add(ISet([i, j + 100]));
      }
    }
    // Singleton sets and one-entry maps: an element's whole fingerprint must count, not half of it.
    for (let i = 0; i < 60000; i++) {
      add(ISet([`m${i}`]));
      add(ISet([i + 16])); // 0..15 were added above
      add(IMap([[`k${i % 300}`, `v${Math.floor(i / 300)}`]]));
    }
    expect(seen.size).toBe(n); // every value above is distinct from every other
  });

  it('a map and its inverse differ: Map {a: b} vs Map {b: a} (key and value do not commute)', () => {
    fc.assert(
      fc.property(primArb, primArb, (a, b) => {
        fc.pre(!is(a, b));
        expect(fingerprint(IMap([[a, b]]))).not.toBe(fingerprint(IMap([[b, a]])));
        expect(fingerprint(OrderedMap([[a, b]]))).not.toBe(fingerprint(OrderedMap([[b, a]])));
        expect(fingerprint(IMap([[a, a], [b, b]]))).not.toBe(fingerprint(IMap([[a, b], [b, a]])));
      }),
      { numRuns: RUNS },
    );
    expect(fingerprint(IMap({ s1: 's2' }))).not.toBe(fingerprint(IMap({ s2: 's1' })));
  });
});

describe('fingerprint: kinds of collections are kept apart', () => {
  it('Set {x}, List [x], Map {x: x}, OrderedSet, OrderedMap, records and x itself all differ', () => {
    fc.assert(
      fc.property(descArb, (raw) => {
        const x = build(normalize(raw));
        const values = [
          x,
          ISet([x]),
          OrderedSet([x]),
          List([x]),
          List([List([x])]),
          IMap([[x, x]]),
          IMap([[x, true]]),
          IMap([['a', x]]),
          OrderedMap([[x, x]]),
          RecAB({ a: x }),
          RecAB({ b: x }),
          RecAC({ a: x }),
          ISet(),
          List(),
          IMap(),
          OrderedSet(),
          OrderedMap(),
        ];
        expectFingerprintsMatchEquality(values);
      }),
      { numRuns: RUNS },
    );
  });

  it('an empty list, ordered set, ordered map or field-less record fingerprints the same however it was reached', () => {
    const Empty = Record({});
    const noise = () => fingerprint(IMap({ noise: Math.random() })); // leaves other values in the engine's registers
    const lists = [List(), List([1]).pop(), List([1, 2]).slice(1, 1), List([1]).shift(), List([3]).withMutations((l) => l.pop()), List().setSize(0)];
    const osets = [OrderedSet(), OrderedSet([1]).remove(1), OrderedSet([1, 2]).withMutations((s) => s.remove(1).remove(2)), OrderedSet([1]).filter(() => false)];
    const omaps = [OrderedMap(), OrderedMap({ a: 1 }).remove('a'), OrderedMap({ a: 1, b: 2 }).withMutations((m) => m.remove('a').remove('b')), OrderedMap({ a: 1 }).filter(() => false)];
    const recs = [Empty(), Empty({})];
    for (const group of [lists, osets, omaps, recs]) {
      const fps = group.map((v) => {
        noise();
        return fingerprint(v);
      });
      expect(new Set(fps).size).toBe(1);
    }
  });

  it('empty collections of each kind differ from each other and from null', () => {
    const values = [ISet(), List(), IMap(), OrderedSet(), OrderedMap(), null, '', 0, false, RecAB(), RecAC()];
    expect(new Set(values.map(fingerprint)).size).toBe(values.length);
  });

  it('order matters for lists and ordered collections, not for sets and maps', () => {
    expect(fingerprint(List([1, 2]))).not.toBe(fingerprint(List([2, 1])));
    expect(fingerprint(OrderedSet([1, 2]))).not.toBe(fingerprint(OrderedSet([2, 1])));
    expect(fingerprint(OrderedMap([[1, 'a'], [2, 'b']]))).not.toBe(fingerprint(OrderedMap([[2, 'b'], [1, 'a']])));
    expect(fingerprint(ISet([1, 2]))).toBe(fingerprint(ISet([2, 1])));
    expect(fingerprint(IMap([[1, 'a'], [2, 'b']]))).toBe(fingerprint(IMap([[2, 'b'], [1, 'a']])));
    // Keys and values are bound together: swapping values between keys changes the map.
    expect(fingerprint(IMap({ a: 1, b: 2 }))).not.toBe(fingerprint(IMap({ a: 2, b: 1 })));
    expect(fingerprint(IMap({ a: 'b' }))).not.toBe(fingerprint(IMap({ b: 'a' })));
    // A set is not the sum of its elements' fingerprints in a way that cancels: {x, y} vs {x} vs {y}.
    expect(new Set([ISet([1, 2]), ISet([1]), ISet([2]), ISet([3]), ISet([1, 2, 3])].map(fingerprint)).size).toBe(5);
  });
});

describe('fingerprint: caches stay correct across derived values', () => {
  it('a successor derived from a fingerprinted value fingerprints like the same value built fresh', () => {
    fc.assert(
      fc.property(descArb, fc.integer(), fc.integer({ min: 1, max: 8 }), (raw, seed, steps) => {
        const r = rng(seed);
        let v = build(normalize(raw), r);
        for (let i = 0; i < steps; i++) {
          const before = fingerprint(v); // fills every cache in v
          const next = mutate(v, r);
          const fresh = build(describeValue(next)); // no shared structure, no caches
          expect(is(next, fresh)).toBe(true);
          expect(fingerprint(next)).toBe(fingerprint(fresh));
          // The parent's cached fingerprint is untouched by deriving the child.
          expect(fingerprint(v)).toBe(before);
          expect(fingerprint(build(describeValue(v)))).toBe(before);
          v = next;
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('withMutations on a fingerprinted value (big and small maps and sets) does not reuse stale caches', () => {
    for (const n of [3, 8, 9, 17, 33, 200]) {
      const m = IMap<string, ISet<number>>(Array.from({ length: n }, (_, i) => [`k${i}`, ISet([i])] as const));
      const f0 = fingerprint(m);
      const m2 = m.withMutations((x) => {
        x.set('k0', ISet([-1])).remove(`k${n - 1}`).set('new', ISet());
      });
      const fresh = IMap([...Array.from({ length: n - 1 }, (_, i) => [`k${i}`, ISet([i === 0 ? -1 : i])] as const), ['new', ISet<number>()] as const]);
      expect(is(m2, fresh)).toBe(true);
      expect(fingerprint(m2)).toBe(fingerprint(fresh));
      expect(fingerprint(m)).toBe(f0);
      // And back: undoing the edits gives the original fingerprint.
      const back = m2.set('k0', ISet([0])).set(`k${n - 1}`, ISet([n - 1])).remove('new');
      expect(fingerprint(back)).toBe(f0);

      const s = ISet(Array.from({ length: n }, (_, i) => i));
      const fs = fingerprint(s);
      const s2 = s.withMutations((x) => {
        x.remove(0).add(-5);
      });
      expect(fingerprint(s2)).toBe(fingerprint(ISet([...Array.from({ length: n - 1 }, (_, i) => i + 1), -5])));
      expect(fingerprint(s2.add(0).remove(-5))).toBe(fs);
    }
  });

  it('a record edited inside withMutations is fingerprinted as it is at that moment, and correctly afterwards', () => {
    const r0 = RecAB({ a: 1, b: 2 });
    let inside: bigint | undefined;
    const r1 = r0.withMutations((r) => {
      r.set('a', 10);
      inside = fingerprint(r);
      r.set('b', 20);
    });
    expect(inside).toBe(fingerprint(RecAB({ a: 10, b: 2 })));
    expect(fingerprint(r1)).toBe(fingerprint(RecAB({ a: 10, b: 20 })));
    const l1 = List([1]).withMutations((l) => {
      l.push(2);
      inside = fingerprint(l);
      l.push(3);
    });
    expect(inside).toBe(fingerprint(List([1, 2])));
    expect(fingerprint(l1)).toBe(fingerprint(List([1, 2, 3])));
  });
});

describe('fingerprint: caches live in the slots Immutable already has (value-cache.ts)', () => {
  /** Own property names of a value and of every internal object below it, except map entries ([k, v] arrays, which carry their own cache). */
  function shapes(v: unknown): string[] {
    const out: string[] = [];
    const seen = new Set<object>();
    const walk = (x: unknown, path: string): void => {
      if (typeof x !== 'object' || x === null || seen.has(x)) return;
      seen.add(x);
      const isEntry = Array.isArray(x) && x.length === 2 && path.endsWith('entry');
      if (!isEntry) out.push(`${path}: ${Object.getOwnPropertyNames(x).join(',')}`);
      for (const k of Object.getOwnPropertyNames(x)) {
        if (k === 'ownerID' || k === '__ownerID' || k === '_keys' || k === '_indices' || k === '_defaultValues') continue;
        walk((x as { [key: string]: unknown })[k], /^\d+$/.test(k) ? (path.endsWith('entries') ? `${path}.entry` : path) : `${path}.${k}`);
      }
    };
    walk(v, '$');
    return out;
  }

  it('fingerprinting, hashing records and encoding add no property to values, records, lists or trie nodes', async () => {
    const { StateCodec } = await import('./codec.js');
    const codec = new StateCodec([RecAB]);
    const values: unknown[] = [
      IMap({ a: 1, b: ISet(['x', 'y']) }),
      IMap(Array.from({ length: 40 }, (_, i) => [`k${i}`, List([i, i + 1])] as const)),
      ISet(Array.from({ length: 40 }, (_, i) => RecAB({ a: i, b: 'z' }))),
      RecAB({ a: IMap({ q: 1 }), b: List(['m']) }),
      List([RecAB({ a: 2 }), 3]),
    ];
    for (const v of values) {
      const before = shapes(v);
      fingerprint(v);
      if (Record.isRecord(v)) hash(v); // (Immutable itself adds __hash to the collections it hashes)
      codec.decodeBytes(codec.encodeToBytes(IMap({ outer: v })));
      expect(shapes(v)).toEqual(before);
    }
  });

  it('a map fingerprinted while its edit session is still open is not changed by the rest of the session', () => {
    for (const n of [4, 20, 100]) {
      const m = IMap<string, number>().asMutable();
      for (let i = 0; i < n; i++) m.set(`k${i}`, i);
      const mid = fingerprint(m); // nodes owned by the session: read, not cached
      for (let i = 0; i < n; i += 2) m.set(`k${i}`, -i);
      const done = m.asImmutable();
      const fresh = IMap(Array.from({ length: n }, (_, i) => [`k${i}`, i % 2 === 0 ? -i : i] as const));
      expect(fingerprint(done)).toBe(fingerprint(fresh));
      expect(mid).toBe(fingerprint(IMap(Array.from({ length: n }, (_, i) => [`k${i}`, i] as const))));
      // Once fingerprinted (caches in the nodes' owner slots), later versions still edit correctly.
      const later = done.withMutations((x) => {
        x.set('k1', 100).remove('k0');
      });
      expect(is(later, fresh.set('k1', 100).remove('k0'))).toBe(true);
      expect(fingerprint(later)).toBe(fingerprint(fresh.set('k1', 100).remove('k0')));
      expect(is(done, fresh)).toBe(true);
    }
  });
});

describe('fingerprint: large maps and sets (bitmap, array and hash-collision trie nodes)', () => {
  const sizes = [0, 1, 7, 8, 9, 16, 17, 32, 33, 100, 1000, 5000];

  it('maps and sets of every node size fingerprint the same in any insertion order, and differ when one entry differs', () => {
    const r = rng(42);
    for (const n of sizes) {
      const entries = Array.from({ length: n }, (_, i) => [i % 2 ? `key${i}` : i * 7919, List([i, 'v'])] as [unknown, unknown]);
      const shuffled = [...entries].sort(() => r() - 0.5);
      const a = IMap(entries);
      const b = IMap<unknown, unknown>().withMutations((m) => {
        for (const [k, v] of shuffled) m.set(k, v);
      });
      let c = IMap<unknown, unknown>();
      for (const [k, v] of [...shuffled].reverse()) c = c.set(k, v);
      // Built bigger, then shrunk back: a different trie shape for the same map.
      let d = IMap<unknown, unknown>(entries);
      for (let j = 0; j < 300; j++) d = d.set(`extra${j}`, j);
      for (let j = 0; j < 300; j++) d = d.remove(`extra${j}`);
      expect(is(a, b) && is(a, c) && is(a, d)).toBe(true);
      const fa = fingerprint(a);
      expect([fingerprint(b), fingerprint(c), fingerprint(d)]).toEqual([fa, fa, fa]);
      if (n > 0) {
        const k = entries[Math.floor(n / 2)]![0];
        const changed = [a.set(k, List([-1, 'v'])), a.remove(k), a.set('absent', 1), a.set(k, List([Math.floor(n / 2), 'v']).push('x'))];
        for (const x of changed) expect(fingerprint(x)).not.toBe(fa);
        expect(fingerprint(a.set(k, List([Math.floor(n / 2), 'v'])))).toBe(fa); // same value again
      }
      const keys = entries.map(([k]) => k);
      const s1 = ISet(keys);
      const s2 = ISet([...keys].reverse());
      expect(fingerprint(s1)).toBe(fingerprint(s2));
      expect(fingerprint(s1)).not.toBe(fa);
      if (n > 0) expect(fingerprint(s1.remove(keys[0]))).not.toBe(fingerprint(s1));
    }
  });

  it('keys with equal Immutable hash codes (hash-collision nodes)', () => {
    // "Aa" and "BB" share a hash code, so do all strings made of those two blocks.
    const blocks = ['Aa', 'BB'];
    let words = [''];
    for (let i = 0; i < 4; i++) words = words.flatMap((w) => blocks.map((b) => w + b));
    expect(new Set(words.map((w) => hash(w))).size).toBe(1);
    const entries = words.map((w, i) => [w, i] as const);
    const a = IMap(entries);
    const b = IMap([...entries].reverse());
    const c = IMap(entries.slice(0, 8)).merge(IMap(entries.slice(8)));
    expect(fingerprint(a)).toBe(fingerprint(b));
    expect(fingerprint(a)).toBe(fingerprint(c));
    // Each single change is seen, including swapping the values of two colliding keys.
    const seen = new Set<bigint>([fingerprint(a)]);
    for (const [w, i] of entries) {
      seen.add(fingerprint(a.set(w, i + 100)));
      seen.add(fingerprint(a.remove(w)));
    }
    seen.add(fingerprint(a.set(words[0]!, 1).set(words[1]!, 0)));
    expect(seen.size).toBe(1 + 2 * entries.length + 1);
    // The same inside a bigger map (collision nodes under bitmap nodes) and in sets.
    const big = IMap<unknown, unknown>([...entries, ...Array.from({ length: 100 }, (_, i) => [i, i] as [unknown, unknown])]);
    const bigShuffled = IMap<unknown, unknown>([...Array.from({ length: 100 }, (_, i) => [99 - i, 99 - i] as [unknown, unknown]), ...[...entries].reverse()]);
    expect(fingerprint(big)).toBe(fingerprint(bigShuffled));
    expect(fingerprint(big.remove('AaAaAaAa'))).not.toBe(fingerprint(big));
    expect(fingerprint(ISet(words))).toBe(fingerprint(ISet([...words].reverse())));
    expect(fingerprint(ISet(words).remove('BBBBBBBB'))).not.toBe(fingerprint(ISet(words)));
  });
});

describe('fingerprint: states must be Immutable values', () => {
  it('throws STATE_NOT_IMMUTABLE for plain objects, arrays and other non-values anywhere in a state', () => {
    expectNotImmutable(() => fingerprint({ a: 1 }));
    expectNotImmutable(() => fingerprint([1, 2]));
    expectNotImmutable(() => fingerprint(IMap({ a: [1, 2] })));
    expectNotImmutable(() => fingerprint(IMap({ a: { x: 1 } })));
    expectNotImmutable(() => fingerprint(List([1, new Map()])));
    expectNotImmutable(() => fingerprint(ISet([{ x: 1 }])));
    expectNotImmutable(() => fingerprint(IMap([[{ k: 1 }, 1]]))); // a plain object as a key
    expectNotImmutable(() => fingerprint(RecAB({ a: [1] })));
    expectNotImmutable(() => fingerprint(OrderedMap({ a: new Date(0) })));
    expectNotImmutable(() => fingerprint(Seq([1, 2])));
    expectNotImmutable(() => fingerprint(Stack([1])));
    expectNotImmutable(() => fingerprint(() => 1));
    expectNotImmutable(() => fingerprint(10n));
    expectNotImmutable(() => fingerprint(Symbol('s')));
  });

  it('a record type nobody registered is still fine to fingerprint (only the codec needs registration)', () => {
    const Free = Record({ z: 1 });
    expect(fingerprint(Free({ z: 2 }))).toBe(fingerprint(Free({ z: 2 })));
    expect(fingerprint(Free({ z: 2 }))).not.toBe(fingerprint(Free({ z: 3 })));
  });
});

describe('fingerprint under a renaming of model values (symmetry)', () => {
  it('fingerprints a map while withMutations edits it, without caching what may still change', () => {
    const big = IMap<string, number>(Array.from({ length: 40 }, (_, i) => [`k${i}`, i] as const));
    const edited = big.withMutations((m) => {
      for (let i = 0; i < 40; i++) {
        m.set(`k${i}`, i + 1);
        fingerprint(m); // mid-edit
      }
      m.set('k0', 99);
      fingerprint(m);
      m.set('k0', 100);
    });
    const fresh = IMap<string, number>(Array.from({ length: 40 }, (_, i) => [`k${i}`, i === 0 ? 100 : i + 1] as const));
    expect(fingerprint(edited)).toBe(fingerprint(fresh));
  });

  it('keeps the per-object cache of one symmetry apart from another one with as many renamings', () => {
    const v = IMap({ x: 'p1', y: 'p2', z: 'p3' });
    const out = new Uint32Array(2);
    const swap12 = [new Map([['p1', 'p2'], ['p2', 'p1']])];
    const swap13 = [new Map([['p1', 'p3'], ['p3', 'p1']])];
    fingerprintRenamedInto(v, swap12, 0, out, 0);
    fingerprintRenamedInto(v, swap13, 0, out, 0);
    expect((BigInt(out[0]!) << 32n) | BigInt(out[1]!)).toBe(fingerprint(rename(v, swap13[0]!)));
  });

  it('equals the fingerprint of the renamed value, for every kind of value (empty ones included)', () => {
    const renamings = [
      new Map([['a', 'b'], ['b', 'a']]),
      new Map([['a', 'Aa'], ['Aa', 'BB'], ['BB', 'a']]),
    ];
    const out = new Uint32Array(2);
    fc.assert(
      fc.property(descArb, fc.integer(), (raw, seed) => {
        const v = build(normalize(raw), rng(seed));
        for (const [k, m] of renamings.entries()) {
          fingerprintRenamedInto(v, renamings, k, out, 0);
          expect((BigInt(out[0]!) << 32n) | BigInt(out[1]!)).toBe(fingerprint(rename(v, m)));
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe('fingerprint: encodings', () => {
  it('fingerprintInto never writes a zero half, and agrees with fingerprint/fingerprintHex/fpToHex', () => {
    fc.assert(
      fc.property(descArb, (raw) => {
        const v = build(normalize(raw));
        const out = new Uint32Array(4);
        fingerprintInto(v, out, 2);
        expect(out[0]).toBe(0);
        expect(out[2]).not.toBe(0);
        expect(out[3]).not.toBe(0);
        const f = fingerprint(v);
        expect(f).toBe((BigInt(out[2]!) << 32n) | BigInt(out[3]!));
        expect(fingerprintHex(v)).toBe(fpToHex(out[2]!, out[3]!));
        expect(fingerprintHex(v)).toMatch(/^[0-9a-f]{16}$/);
      }),
      { numRuns: 100 },
    );
  });
});
