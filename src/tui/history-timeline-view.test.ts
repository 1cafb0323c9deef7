import { describe, expect, it } from 'vitest';
import { badPartitionsOf, sharedHistoriesPresent, SHARED_HISTORIES } from '../history/test-histories.js';
import { layoutPartition, type PartitionLayout } from '../history/timeline-layout.js';
import { initialWindow, pan, reveal, stateRows, step, tickStep, timelineRows, windowText, ZOOMS, zoomBy, type Geometry } from './history-timeline-view.js';
import { lineText } from './segments.js';

if (!sharedHistoriesPresent) console.warn(`skipping the shared histories: ${SHARED_HISTORIES}expected.tsv is absent`);

describe('tickStep', () => {
  it('ticks at least 8 columns apart, on 1, 2, 5 times a power of ten', () => {
    expect(tickStep(8)).toBe(1);
    expect(tickStep(4)).toBe(2);
    expect(tickStep(2)).toBe(5);
    expect(tickStep(1)).toBe(10);
    expect(tickStep(1 / 16)).toBe(200);
  });
});

describe('stateRows', () => {
  it('shows both states around their first difference, the differing part marked', () => {
    const prefix = Array.from({ length: 30 }, (_, i) => `x ${i} 0 y`).join('');
    const [state, needs] = stateRows(`"9" = "${prefix}x 35 1 yx 19 1 y"`, `"9" = "${prefix}x 35 9 y"`, 60);
    expect(lineText(state).length).toBeLessThanOrEqual(60);
    expect(lineText(state)).toMatch(/^state …/);
    expect(lineText(state)).toContain('x 35 1 yx 19 1 y"');
    expect(lineText(needs)).toMatch(/^needs ….*x 35 9 y"$/);
    expect(state.find((s) => s.inverse)?.text).toBe('1 yx 19 1');
    expect(needs.find((s) => s.inverse)?.text).toBe('9');
  });

  it('short states are shown whole', () => {
    const [state, needs] = stateRows('1', 'value = 2', 60);
    expect(lineText(state)).toBe('state 1');
    expect(lineText(needs)).toBe('needs value = 2');
  });
});

describe.skipIf(!sharedHistoriesPresent)('the window on the shared histories', () => {
  const g: Geometry = { plotWidth: 90, laneRows: 20 };
  let small: PartitionLayout;
  let long: PartitionLayout;
  if (sharedHistoriesPresent) {
    small = layoutPartition(badPartitionsOf('knossos/cas-register/bad/bad-analysis.edn', 'cas-register')[0]!.explanation);
    long = layoutPartition(badPartitionsOf('knossos/cas-register/bad/cas-failure.edn', 'cas-register')[0]!.explanation);
  }

  it('a small partition fits whole, zoomed in as far as it fits; the offending op is selected', () => {
    const w = initialWindow(small, g);
    expect(ZOOMS[w.zoom]).toBe(4); // 17 ranks × 4 columns ≤ 90
    expect(w.start).toBe(0);
    expect(small.ops[w.selected]!.role).toBe('offending');
    const rows = timelineRows(small, w, g);
    expect(rows.lanes).toHaveLength(9);
    const text = rows.lanes.map(lineText);
    // p21's read 2 (events 13–14) is the ✘ bar; p4's write 2 is #1 of the prefix.
    expect(text[7]).toMatch(/^ p21 {53}\[!✘!\]$/);
    expect(text[1]).toMatch(/^ {2}p4 \[=1=\]$/);
    // Never completed: runs to the end with '>'.
    expect(text[2]).toMatch(/^ {2}p6 {9}\[-+\?-+>$/);
    expect(lineText(rows.axis[1]!)).toMatch(/^event 0 {7}2 {7}4/);
  });

  it('a long partition opens around the offending op, which stays in the window while zooming', () => {
    expect(long.ops.length).toBe(206);
    const off = long.ops[long.offending]!;
    let w = initialWindow(long, g);
    expect(ZOOMS[w.zoom]).toBe(2);
    const inWindow = (x: typeof w) => off.from >= x.start && off.to <= x.start + g.plotWidth / ZOOMS[x.zoom]!;
    expect(inWindow(w)).toBe(true);
    expect(w.start).toBeGreaterThan(0);
    expect(timelineRows(long, w, g).lanes.map(lineText).join('\n')).toContain('[✘]');
    for (let i = 0; i < 3; i++) {
      w = zoomBy(long, w, 1, g);
      expect(inWindow(w)).toBe(true);
    }
    expect(ZOOMS[w.zoom]).toBe(6);
    for (let i = 0; i < 8; i++) w = zoomBy(long, w, -1, g);
    expect(ZOOMS[w.zoom]).toBe(1 / 16); // the whole partition in the window
    expect(w.start).toBe(0);
    expect(windowText(long, w, g)).toBe(`events 0–${long.span} of ${long.span} · 16 events per column`);
  });

  it('panning stops at both ends; stepping through ops brings each into the window', () => {
    let w = initialWindow(long, g);
    for (let i = 0; i < 100; i++) w = pan(long, w, -1, g);
    expect(w.start).toBe(0);
    for (let i = 0; i < 100; i++) w = pan(long, w, 1, g);
    expect(w.start + g.plotWidth / ZOOMS[w.zoom]!).toBeGreaterThanOrEqual(long.span + 1);
    w = reveal(long, w, 0, g);
    expect(w.start).toBe(0);
    for (let i = 1; i < long.ops.length; i++) {
      w = step(long, w, 1, g);
      const o = long.ops[w.selected]!;
      expect(w.selected).toBe(i);
      expect(o.from).toBeGreaterThanOrEqual(w.start);
      expect(o.from).toBeLessThan(w.start + g.plotWidth / ZOOMS[w.zoom]!);
    }
  });
});
