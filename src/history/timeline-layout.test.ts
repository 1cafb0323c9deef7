import { describe, expect, it } from 'vitest';
import { badPartitionsOf, sharedHistoriesPresent, SHARED_HISTORIES } from './test-histories.js';
import { difference, laneName, layoutPartition, roleText } from './timeline-layout.js';
import type { Explanation } from './types.js';

if (!sharedHistoriesPresent) console.warn(`skipping the shared histories: ${SHARED_HISTORIES}expected.tsv is absent`);

describe('layoutPartition', () => {
  it('one lane per process, bars on the ranks of the partition events, the prefix numbered in its order', () => {
    // p1 writes 1, p2 reads 2 (cannot be placed), p1 then invokes again while p3's write never completes.
    const e: Explanation = {
      partition: 0,
      ops: [
        { id: 0, process: 1, status: 'ok', call: 10, ret: 20, text: 'write 1' },
        { id: 1, process: 2, status: 'ok', call: 30, ret: 40, text: 'read 2' },
        { id: 2, process: 3, status: 'info', call: 15, ret: null, text: 'write 3 (info)' },
        { id: 3, process: 1, status: 'ok', call: 50, ret: 60, text: 'read 1' },
      ],
      prefix: [0],
      state: '1',
      offending: 1,
      needs: 'value = 2',
      candidates: [
        { id: 1, legal: false },
        { id: 2, legal: true },
      ],
    };
    const l = layoutPartition(e);
    expect(l.span).toBe(7); // 10 15 20 30 40 50 60
    expect(l.lanes.map(laneName)).toEqual(['p1', 'p2', 'p3']);
    expect(l.ops.map((o) => [o.id, o.lane, o.from, o.to, o.role, o.order ?? null])).toEqual([
      [0, 0, 0, 2, 'prefix', 1],
      [2, 2, 1, 7, 'candidate', null],
      [1, 1, 3, 4, 'offending', null],
      [3, 0, 5, 6, 'other', null],
    ]);
    expect(l.ops[l.offending]!.id).toBe(1);
    expect(l.ops.find((o) => o.id === 2)).toMatchObject({ open: true, legal: true });
    expect(roleText(l.ops[l.offending]!, e)).toBe('cannot be placed after the prefix: it needs value = 2 (the state is 1)');
    expect(roleText(l.ops[0]!, e)).toBe('#1 of the 1 ops of the linearizable prefix');
  });

  it("a process whose ops overlap (one never completed) gets a second lane", () => {
    const e: Explanation = {
      partition: 0,
      ops: [
        { id: 0, process: 'a', status: 'info', call: 0, ret: null, text: 'write 1 (info)' },
        { id: 1, process: 'a', status: 'ok', call: 1, ret: 2, text: 'read 2' },
        { id: 2, process: 'a', status: 'ok', call: 3, ret: 4, text: 'read 2' },
      ],
      prefix: [],
      state: '0',
      offending: 1,
      candidates: [{ id: 1, legal: false }],
    };
    const l = layoutPartition(e);
    expect(l.lanes.map(laneName)).toEqual(['pa.1', 'pa.2']);
    expect(l.ops.map((o) => o.lane)).toEqual([0, 1, 1]);
  });

  describe.skipIf(!sharedHistoriesPresent)('on the shared histories', () => {
    it("knossos bad-analysis: 9 ops on 9 lanes, the 6-op prefix numbered, p21's read 2 cannot be placed", () => {
      const [bad, ...rest] = badPartitionsOf('knossos/cas-register/bad/bad-analysis.edn', 'cas-register');
      expect(rest).toEqual([]);
      const l = layoutPartition(bad!.explanation);
      expect(l.lanes.map(laneName)).toEqual(['p1', 'p4', 'p6', 'p9', 'p14', 'p19', 'p20', 'p21', 'p22']);
      expect(l.span).toBe(16); // 7 completed ops and 2 that never completed
      const off = l.ops[l.offending]!;
      expect([off.process, off.text, off.from, off.to]).toEqual([21, 'read 2', 13, 14]);
      expect(l.ops.filter((o) => o.role === 'prefix').map((o) => o.order).sort()).toEqual([1, 2, 3, 4, 5, 6]);
      // Bars in one lane never overlap.
      for (let k = 0; k < l.lanes.length; k++) {
        const bars = l.ops.filter((o) => o.lane === k);
        for (let i = 1; i < bars.length; i++) expect(bars[i]!.from).toBeGreaterThan(bars[i - 1]!.to);
      }
    });
  });
});

describe('difference', () => {
  const marked = (s: string, r: readonly (readonly [number, number])[]) => r.map(([a, b]) => s.slice(a, b));
  it('marks the element that differs and the elements only one value has', () => {
    const state = '"9" = "x 35 1 yx 19 1 yx 40 2 yx 13 0 yx 30 2 y"';
    const needs = '"9" = "x 35 9 yx 19 1 yx 40 2 y"';
    const d = difference(state, needs);
    expect(marked(state, d.a)).toEqual(['1', 'yx 13 0 yx 30 2 ']);
    expect(marked(needs, d.b)).toEqual(['9']);
  });
  it('values of different shapes differ whole; equal values not at all', () => {
    expect(difference('1', 'value = 2')).toEqual({ a: [[0, 1]], b: [[0, 9]] });
    expect(difference('{:x 1}', '{:x 1}')).toEqual({ a: [], b: [] });
  });
});
