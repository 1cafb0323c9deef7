import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StringTable } from './string-table.js';

describe('StringTable', () => {
  it('gives one id per content, however the content was built', () => {
    const t = new StringTable();
    const empty = t.intern('');
    const ab = t.append(t.append(empty, 'a'), 'b');
    expect(t.append(ab, 'c')).toBe(t.append(t.append(empty, 'a'), 'bc'));
    expect(t.append(ab, 'c')).toBe(t.intern('abc'));
    expect(t.text(t.intern('abc'))).toBe('abc');
    expect(t.append(empty, 'abc')).toBe(t.intern('abc'));
    expect(t.intern('abd')).not.toBe(t.intern('abc'));
    expect(t.append(empty, '')).toBe(empty);
  });

  it('keeps an append that met a content built otherwise equal to it on every later meeting', () => {
    const t = new StringTable();
    const whole = t.intern('xyz');
    const x = t.intern('x');
    const yz = t.suffixId('yz');
    // The first meeting compares the contents; the later ones take the remembered answer.
    for (let k = 0; k < 3; k++) expect(t.appendSuffix(x, yz)).toBe(whole);
    expect(t.appendSuffix(t.intern('xy'), t.suffixId('z'))).toBe(whole);
    expect(t.appendSuffix(x, t.suffixId('y'))).toBe(t.intern('xy'));
    expect(t.size).toBe(3); // "xyz", "x", "xy"
  });

  it('ids are equal exactly when contents are (random appends and interns)', () => {
    const piece = fc.constantFrom('', 'a', 'b', 'ab', 'ba', 'x 1 0 y');
    const op = fc.oneof(
      fc.record({ kind: fc.constant('intern' as const), text: fc.array(piece, { maxLength: 4 }).map((p) => p.join('')) }),
      fc.record({ kind: fc.constant('append' as const), base: fc.nat(), suffix: piece }),
    );
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 60 }), (plan) => {
        const t = new StringTable();
        const made: { id: number; text: string }[] = [{ id: t.intern(''), text: '' }];
        for (const o of plan) {
          if (o.kind === 'intern') made.push({ id: t.intern(o.text), text: o.text });
          else {
            const b = made[o.base % made.length]!;
            made.push({ id: t.append(b.id, o.suffix), text: b.text + o.suffix });
          }
        }
        for (const a of made) {
          expect(t.text(a.id)).toBe(a.text);
          for (const b of made) expect(a.id === b.id).toBe(a.text === b.text);
        }
      }),
      { numRuns: 300, seed: 15 },
    );
  });
});
