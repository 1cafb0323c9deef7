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
});
