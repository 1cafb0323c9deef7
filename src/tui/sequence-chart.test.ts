import { describe, expect, test } from 'vitest';
import { TRACE_FORMAT, type TraceFile, type TraceFileStep } from '../trace/trace-file.js';
import { messageChartLines } from './MessageChart.js';
import { buildSequenceChart, chartWindowStart, laneNames } from './sequence-chart.js';
import { lineText } from './segments.js';

function step(index: number, action: string, extra: Partial<TraceFileStep> = {}): TraceFileStep {
  return { index, action, actionName: action.replace(/\(.*/, ''), args: {}, state: {}, vars: {}, changes: [], sent: [], received: [], ...extra };
}

const trace: TraceFile = {
  format: TRACE_FORMAT,
  model: 'toy',
  violation: { kind: 'invariant', name: 'Safe' },
  nodes: ['TM', 'r1', 'r2'],
  trace: [
    step(1, 'Init'),
    step(2, 'RMPrepare(r2)', { sent: [{ from: 'r2', to: 'TM', label: 'Prepared' }] }),
    step(3, 'TMCommit', { sent: [{ from: 'TM', label: 'Commit' }] }),
    step(4, 'Deliver(r2)', { received: [{ from: 'r2', to: 'TM', label: 'Prepared' }], sent: [{ from: 'client', to: 'r1', label: 'a rather long label that cannot fit' }] }),
  ],
};

const text = (w: number) => buildSequenceChart(trace, w).rows.map((r) => lineText(r.line));

describe('sequence chart', () => {
  test('one lane per node, then other endpoints in order of appearance', () => {
    expect(laneNames(trace)).toEqual(['TM', 'r1', 'r2', 'client']);
    const chart = buildSequenceChart(trace, 100);
    expect(lineText(chart.header).trim().split(/\s+/)).toEqual(['TM', 'r1', 'r2', 'client']);
    expect(chart.hasMessages).toBe(true);
  });

  test('a block per step: a separator naming the action, then its messages', () => {
    const chart = buildSequenceChart(trace, 100);
    expect(chart.rows.map((r) => `${r.step}:${r.kind}`)).toEqual(['0:step', '1:step', '1:sent', '2:step', '2:sent', '3:step', '3:sent', '3:received']);
    expect(lineText(chart.rows[1]!.line)).toMatch(/^ {3}2 ─ RMPrepare\(r2\) ─+$/);
  });

  test('arrows point from sender to receiver, with the label inline when it fits', () => {
    const rows = text(100);
    // r2 (third lane) to TM (first lane): the arrowhead on the left, the sender's dot on the right.
    expect(rows[2]).toMatch(/◀─+ Prepared ─+●/);
    // A long label goes to the margin after the lanes.
    expect(rows[6]).toMatch(/◀─+●\s+a rather long label/);
  });

  test('a broadcast reaches every other lane', () => {
    const rows = text(100);
    expect(rows[4]).toMatch(/●─+▸─+▸─+▶\s+Commit \(to all\)/);
  });

  test('a received message is marked on the receiver lane', () => {
    const rows = text(100);
    expect(rows[7]).toMatch(/^\s+◆\s+│\s+│\s+│\s+✓ Prepared \(r2 → TM\) received$/);
  });

  test('lassos and stuttering end the chart', () => {
    const lasso = buildSequenceChart({ ...trace, violation: { ...trace.violation, loopStart: 1 } }, 100);
    expect(lineText(lasso.rows.at(-1)!.line)).toContain('↩ back to state 2');
    const stutter = buildSequenceChart({ ...trace, violation: { ...trace.violation, stuttering: true } }, 100);
    expect(lineText(stutter.rows.at(-1)!.line)).toContain('⟳ stuttering at state 4');
  });

  test('the window keeps the selected step in view', () => {
    const chart = buildSequenceChart(trace, 100);
    expect(chartWindowStart(chart, 0, 20)).toBe(0);
    const start = chartWindowStart(chart, 3, 3);
    const shown = chart.rows.slice(start, start + 3);
    expect(shown.some((r) => r.step === 3 && r.kind === 'step')).toBe(true);
  });

  test('the selected step is marked; later steps are dimmed', () => {
    const lines = messageChartLines(trace, 1, 100, 30);
    expect(lineText(lines[2]!)).toMatch(/^▸  2 ─ RMPrepare/);
    expect(lines.slice(4).every((l) => l.every((s) => s.dim))).toBe(true);
  });

  test('a trace without messages says so', () => {
    const bare: TraceFile = { ...trace, nodes: undefined, trace: trace.trace.map(({ sent: _s, received: _r, ...rest }) => rest) };
    expect(lineText(messageChartLines(bare, 0, 100, 10)[0]!)).toContain('no message view');
  });
});
