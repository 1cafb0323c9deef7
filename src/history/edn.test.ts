// readMapEntries' one-regex path for plain one-line op maps must read exactly what the general
// reader reads (the map, the position after it, the line), and leave anything else to it.
import fc from 'fast-check';
import { is, Map as IMap } from 'immutable';
import { describe, expect, it } from 'vitest';
import { EdnReader } from './edn.js';

function viaEntries(text: string): { value: unknown; pos: number; line: number } | { error: string } {
  const r = new EdnReader(text, 'f');
  try {
    r.skip();
    const kv: unknown[] = [];
    r.readMapEntries(kv);
    let m = IMap<unknown, unknown>();
    for (let i = 0; i < kv.length; i += 2) m = m.set(kv[i], kv[i + 1]);
    return { value: m, pos: r.pos, line: r.line };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

function viaRead(text: string): { value: unknown; pos: number; line: number } | { error: string } {
  const r = new EdnReader(text, 'f');
  try {
    return { value: r.read(), pos: r.pos, line: r.line };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

const piece = fc.constantFrom(
  ':process', ':type', ':f', ':key', ':value', ':invoke', ':ok', ':a.b/c', ':x?', '::bad', ':', ':1',
  '"x 6 0 y"', '""', '"a\\"b"', '"a\\nb"', '"line\nbreak"', '"{[(,;"',
  '0', '7', '-3', '007', '+5', '123456789012345', '1234567890123456789', '1.5', '2N', '-',
  'nil', 'true', 'false', 'sym', '#_ :gone', '; c\n', '\n', ' ', ',', '\t', '\u00a0', '[1 2]', '{:n 1}', '\\a', '#{1}',
);

describe('EdnReader.readMapEntries', () => {
  it('reads plain op maps as the general reader does, and hands anything else to it', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 10 }), fc.constantFrom(' ', ', ', ''), fc.constantFrom('', ' ', '\n', ' :more'), (pieces, sep, after) => {
        const text = `{${pieces.join(sep === '' ? ' ' : sep)}}${after}`;
        const a = viaEntries(text);
        const b = viaRead(text);
        if ('error' in b) {
          expect(a).toEqual(b);
          return;
        }
        expect('error' in a).toBe(false);
        if ('error' in a) return;
        expect(is(a.value, b.value)).toBe(true);
        expect([a.pos, a.line]).toEqual([b.pos, b.line]);
      }),
      { numRuns: 2000, seed: 15 },
    );
  });

  it('reads a Porcupine kv line', () => {
    const kv: unknown[] = [];
    const r = new EdnReader('{:process 6, :type :invoke, :f :append, :key "0", :value "x 6 0 y"}\n{:process 7}', 'f');
    r.readMapEntries(kv);
    expect(kv.map(String)).toEqual([':process', '6', ':type', ':invoke', ':f', ':append', ':key', '0', ':value', 'x 6 0 y']);
    expect(r.text[r.pos]).toBe('\n');
  });
});
