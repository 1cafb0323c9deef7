// The state codec: frontiers are stored, and cross worker threads, as bytes. Decoding must give back
// a value Immutable.is-equal to the one encoded, with the same fingerprint (the engine relies on both).
import fc from 'fast-check';
import { List, Map as IMap, OrderedMap, OrderedSet, Record, Set as ISet, is } from 'immutable';
import { describe, expect, it } from 'vitest';
import { ByteReader, ByteWriter, StateCodec } from './codec.js';
import { fingerprint } from './fingerprint.js';
import { QuorumError } from '../model/errors.js';
import { ALL_RECORD_FACTORIES, build, descArb, normalize, RecAB, RecAB2, RecAC, RecWide, rng, specialNumbers } from './test-models/arbitrary-values.js';
import { expectCode } from './test-models/expect-code.js';

const codec = new StateCodec(ALL_RECORD_FACTORIES);

function roundTrip(v: unknown, c = codec): unknown {
  return c.decodeBytes(c.encodeToBytes(v));
}

function expectRoundTrip(v: unknown, c = codec): unknown {
  const back = roundTrip(v, c);
  expect(is(back, v)).toBe(true);
  expect(fingerprint(back)).toBe(fingerprint(v));
  return back;
}


/** Any string: lone surrogates and characters past latin-1 included. */
const anyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 50 }).map((cs) => String.fromCharCode(...cs)),
  fc.array(fc.integer({ min: 0x80, max: 0xff }), { maxLength: 50 }).map((cs) => String.fromCharCode(...cs)),
);

describe('codec: decode(encode(v)) is v', () => {
  it('random nested values (Map, Set, List, OrderedMap, OrderedSet, registered Records, primitives)', () => {
    fc.assert(
      fc.property(descArb, fc.integer(), (raw, seed) => {
        const v = build(normalize(raw), rng(seed));
        const back = expectRoundTrip(v);
        // The kinds survive: ordered collections keep their order (Immutable.is compares it), records their type.
        if (v !== null && typeof v === 'object') expect(Object.getPrototypeOf(back)).toBe(Object.getPrototypeOf(v));
        // And decoding again what the decoded value encodes to gives the same value.
        expectRoundTrip(back);
      }),
      { numRuns: 400 },
    );
  });

  it('several values in one byte stream, read back in order (as frontier chunks are)', () => {
    fc.assert(
      fc.property(fc.array(descArb, { maxLength: 10 }), fc.integer(), (descs, seed) => {
        const r = rng(seed);
        const values = descs.map((d) => build(normalize(d), r));
        const w = new ByteWriter(8); // tiny: the writer must grow
        const offsets: number[] = [];
        for (const v of values) {
          offsets.push(w.pos);
          codec.encode(v, w);
        }
        const bytes = w.take();
        expect(w.pos).toBe(0);
        const reader = new ByteReader(bytes);
        for (const [i, v] of values.entries()) {
          expect(reader.pos).toBe(offsets[i]);
          const back = codec.decode(reader);
          expect(is(back, v)).toBe(true);
        }
        expect(reader.pos).toBe(bytes.length);
        // Random access from the recorded offsets.
        for (const [i, v] of [...values.entries()].reverse()) {
          reader.pos = offsets[i]!;
          expect(fingerprint(codec.decode(reader))).toBe(fingerprint(v));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('strings: non-latin-1 characters, lone surrogates, latin-1 bytes above 0x7f, long and short ones', () => {
    fc.assert(
      fc.property(fc.array(anyString, { maxLength: 8 }), (strs) => {
        for (const s of strs) {
          expect(roundTrip(s)).toBe(s);
          expect(roundTrip(List([s, s]))).toEqual(List([s, s]));
          expectRoundTrip(IMap([[s, ISet([s])]]));
          expectRoundTrip(RecAB({ a: s, b: s + s }));
        }
      }),
      { numRuns: 200 },
    );
    for (const s of ['', 'a', 'é', 'ÿ', '\u0100', '€', '日本語', '😀', '\ud800', '\udfff', 'x'.repeat(32), 'x'.repeat(33), 'é'.repeat(32), 'é'.repeat(33), '€'.repeat(300), 'ÿ'.repeat(100_000)]) {
      expect(roundTrip(s)).toBe(s);
    }
  });

  it('numbers: int32 bounds, big and fractional numbers, -0, NaN and infinities', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.double(), fc.maxSafeInteger(), fc.constantFrom(...specialNumbers)), (n) => {
        const back = roundTrip(n) as number;
        expect(is(back, n)).toBe(true);
        if (!Object.is(n, -0)) expect(Object.is(back, n)).toBe(true); // exact, bit for bit (NaN is NaN)
        expectRoundTrip(List([n]));
      }),
      { numRuns: 1000 },
    );
    for (const n of [0, 1, -1, 63, 64, -64, -65, 127, 128, 2 ** 14, 2 ** 21, 2 ** 28, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, -(2 ** 31) - 1, 2 ** 53, 1e300, 5e-324]) {
      expect(roundTrip(n)).toBe(n);
    }
  });

  it('true, false, null and undefined', () => {
    for (const v of [true, false, null, undefined]) expect(roundTrip(v)).toBe(v);
    expectRoundTrip(IMap({ t: true, f: false, n: null, u: undefined }));
  });

  it('records whose encoding is past 127 bytes (multi-byte length), at and around the boundary', () => {
    // RecAB{a: string of n latin-1 chars}: body = 1 (tag) + 1..3 (length) + n (chars) + 1 (b = null).
    for (const n of [...Array.from({ length: 20 }, (_, i) => 115 + i), 200, 1000, 16_383, 16_384, 70_000]) {
      const rec = RecAB({ a: 'q'.repeat(n), b: null });
      const bytes = codec.encodeToBytes(rec);
      const back = codec.decodeBytes(bytes);
      expect(is(back, rec)).toBe(true);
      expect(back).toBeInstanceOf(RecAB);
      // In a list, so the record is followed by more bytes.
      expectRoundTrip(List([rec, 1, RecAC({ a: n })]));
    }
    const big = RecAB({ a: ISet(Array.from({ length: 500 }, (_, i) => `m${i}`)), b: RecAC({ a: List(Array.from({ length: 100 }, (_, i) => i * 1e6)), c: RecAB() }) });
    expectRoundTrip(big);
    expectRoundTrip(ISet([big, RecAB({ a: 1 })]));
    const wide: { [k: string]: unknown } = {};
    for (let i = 0; i < 40; i++) wide[`f${i}`] = 'w'.repeat(i * 3);
    expectRoundTrip(RecWide(wide));
    expectRoundTrip(RecWide({ f39: 'only the last field' }));
  });

  it('fields left at their defaults decode as defaults; records of the same shape keep their own type', () => {
    const back = expectRoundTrip(RecAB({ a: 5 })) as ReturnType<typeof RecAB>;
    expect(back.get('b')).toBe(null);
    const b2 = roundTrip(RecAB2({ a: 5 }));
    expect(b2).toBeInstanceOf(RecAB2);
    expect(b2).not.toBeInstanceOf(RecAB);
  });

  it('a small nested value decodes to the very instance that was encoded (shared messages keep their identity)', () => {
    const c = new StateCodec(ALL_RECORD_FACTORIES);
    const m = RecAB({ a: '1b', b: 2 });
    const back = c.decodeBytes(c.encodeToBytes(ISet([m]))) as ISet<unknown>;
    expect(back.first()).toBe(m);
    // Small collections too, once decoded: a per-node map recurs in many states.
    const perNode = IMap({ n1: 1, n2: List([m]) });
    const back2 = c.decodeBytes(c.encodeToBytes(List([perNode, perNode]))) as List<unknown>;
    expect(is(back2.get(0), perNode)).toBe(true);
    expect(back2.get(1)).toBe(back2.get(0));
    // A nested record encoded at the top level is written without its length, and back.
    expect(c.decodeBytes(c.encodeToBytes(m))).toEqual(m);
    // Two decodings of the same bytes, from a codec that never encoded them, share their nested values too.
    const other = new StateCodec(ALL_RECORD_FACTORIES);
    const bytes = c.encodeToBytes(List([RecAC({ a: 'x', c: 1 }), ISet([1, 2])]));
    const [x, y] = [other.decodeBytes(bytes), other.decodeBytes(bytes)] as List<unknown>[];
    expect(x).not.toBe(y); // a whole state is decoded once per run: not interned
    expect(x!.get(0)).toBe(y!.get(0));
    expect(x!.get(1)).toBe(y!.get(1));
  });

  it('decoded records are built as the Record constructor builds them (same slots, same behaviour)', () => {
    const c = new StateCodec(ALL_RECORD_FACTORIES);
    for (const made of [RecAB({ a: 1, b: 2 }), RecAB({ a: 1 }), RecAB(), RecAC({ a: List([1]), c: IMap({ x: 1 }) }), RecWide({ f5: 'x' })] as any[]) {
      const back = c.decodeBytes(c.encodeToBytes(made)) as any;
      expect(Object.getPrototypeOf(back)).toBe(Object.getPrototypeOf(made));
      expect(back._values.toArray()).toEqual(made._values.toArray()); // defaults are undefined slots in both
      expect(back.toJS()).toEqual(made.toJS());
      expect(back.hashCode()).toBe(made.hashCode());
      const k = made._keys[0];
      expect(is(back.set(k, 'changed'), made.set(k, 'changed'))).toBe(true);
      expect(back.set(k, 'changed').get(k)).toBe('changed');
      expect(is(back.remove(k), made.remove(k))).toBe(true);
    }
  });

  it('values past the interning size are encoded and decoded like the others', () => {
    const c = new StateCodec(ALL_RECORD_FACTORIES);
    const big = List([IMap(Array.from({ length: 200 }, (_, i) => [`key${i}`, i] as const)), ISet(Array.from({ length: 300 }, (_, i) => i * 1000))]);
    const back = c.decodeBytes(c.encodeToBytes(big));
    expect(is(back, big)).toBe(true);
    expect(fingerprint(back)).toBe(fingerprint(big));
  });

  it('codecs that register the same records in different orders each decode correctly', () => {
    const forward = new StateCodec([RecAB, RecAC]);
    const backward = new StateCodec([RecAC, RecAB]);
    const values = [RecAB({ a: 1, b: 2 }), RecAC({ a: 1, c: 2 }), IMap({ m: RecAB({ a: RecAC({ c: 'nested' }) }) })];
    for (const v of values) {
      for (const c of [forward, backward, forward, backward]) {
        const back = expectRoundTrip(v, c);
        expect(Object.getPrototypeOf(back)).toBe(Object.getPrototypeOf(v));
      }
    }
  });
});

describe('codec: what it refuses', () => {
  it('a Record type the model did not register: STATE_NOT_IMMUTABLE, naming the record', () => {
    const Unlisted = Record({ x: 1 }, 'Unlisted');
    const e = expectCode(() => codec.encodeToBytes(Unlisted({ x: 2 })), 'STATE_NOT_IMMUTABLE');
    expect(e.message).toContain('Unlisted');
    expectCode(() => codec.encodeToBytes(IMap({ deep: List([Unlisted()]) })), 'STATE_NOT_IMMUTABLE');
    expectCode(() => new StateCodec([RecAB]).encodeToBytes(RecAC()), 'STATE_NOT_IMMUTABLE');
  });

  it('plain objects, arrays, functions, bigints: STATE_NOT_IMMUTABLE', () => {
    for (const bad of [{ a: 1 }, [1, 2], () => 1, 10n, IMap({ x: { y: 1 } }), ISet([[1]]), OrderedMap({ a: new Date(0) }), OrderedSet([new Map()])]) {
      expectCode(() => codec.encodeToBytes(bad), 'STATE_NOT_IMMUTABLE');
    }
  });

  it('records lists that are not record factories: MODEL_LOAD', () => {
    expectCode(() => new StateCodec([{ not: 'a factory' }]), 'MODEL_LOAD');
  });

  it('corrupt bytes: INTERNAL with the offset', () => {
    const e = expectCode(() => codec.decodeBytes(Uint8Array.from([99])), 'INTERNAL');
    expect(e.message).toMatch(/tag 99 at byte 0/);
  });
});
