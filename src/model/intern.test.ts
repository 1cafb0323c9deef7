import fc from 'fast-check';
import { List, Record, is } from 'immutable';
import { describe, expect, it } from 'vitest';
import { interned } from './intern.js';

const Msg = Record<{ type: string; from: string | null; bal: number; entries: List<number> }>({ type: 'a', from: null, bal: -1, entries: List() }, 'Msg');

describe('interned record factories', () => {
  it('equal values give one instance, with defaults filled in; unequal values give equal-to-factory records', () => {
    const make = interned(Msg);
    const a = make({ type: '1b', from: 'a1', bal: 2 });
    expect(make({ type: '1b', from: 'a1', bal: 2, entries: List() })).toBe(a);
    expect(make({ from: 'a1', bal: 2, type: '1b' })).toBe(a);
    expect(is(a, Msg({ type: '1b', from: 'a1', bal: 2 }))).toBe(true);
    // null is not the string "null", nor -1 the string "-1".
    expect(make({ from: 'null' })).not.toBe(make({ from: null }));
    expect(make({ bal: '-1' as unknown as number })).not.toBe(make({ bal: -1 }));
    // Strings that contain the key's separator still compare by value.
    expect(make({ type: 'x\u0000string:y' })).not.toBe(make({ type: 'x', from: 'y' }));
    expect(make({ type: 'x\u0000' })).toBe(make({ type: 'x\u0000' }));
    // Collections are compared by value.
    expect(make({ entries: List([1, 2]) })).toBe(make({ entries: List([1]).push(2) }));
    expect(make({ entries: List([1, 2]) })).not.toBe(make({ entries: List([2, 1]) }));
  });

  it('returns a record equal to what the factory builds, and the same instance exactly when the values are equal', () => {
    const make = interned(Msg);
    const arb = fc.record({
      type: fc.constantFrom('1a', '1b', 'null', 'a\u0000', 'a\u0000string:a1'),
      from: fc.constantFrom(null, 'a1', 'a2', 'null'),
      bal: fc.integer({ min: -1, max: 3 }),
      entries: fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 2 }).map((xs) => List(xs)),
    });
    fc.assert(
      fc.property(arb, arb, (x, y) => {
        const mx = make(x), my = make(y);
        expect(is(mx, Msg(x))).toBe(true);
        expect(mx === my).toBe(is(Msg(x), Msg(y)));
      }),
      { numRuns: 500 },
    );
  });
});
