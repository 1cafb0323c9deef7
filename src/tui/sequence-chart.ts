// The message-sequence view of a trace: one vertical lane per node, one block of rows per step
// (a separator naming the action, then one arrow per message sent and one mark per message received).
import type { TraceFile, TraceMessage } from '../trace/trace-file.js';
import { Canvas, type Line } from './segments.js';
import { truncate } from './format.js';

export interface ChartRow {
  /** Index of the step (0-based) the row belongs to; -1 for rows after the last step. */
  readonly step: number;
  readonly kind: 'step' | 'sent' | 'received' | 'end';
  readonly line: Line;
}

export interface SequenceChart {
  readonly lanes: readonly string[];
  readonly laneWidth: number;
  readonly header: Line;
  readonly rows: readonly ChartRow[];
  /** False when the trace carries no messages at all (the model declares no message view). */
  readonly hasMessages: boolean;
}

const GUTTER = 6; // selection mark, step number, space
const LANE = { dim: true } as const;
const SENT = { color: 'green' } as const;
const BROADCAST = { color: 'cyan' } as const;
const RECEIVED = { color: 'magenta' } as const;

/** The lanes: the trace's nodes, then any other sender or receiver, in order of appearance. */
export function laneNames(trace: TraceFile): string[] {
  const lanes: string[] = [...(trace.nodes ?? [])];
  const add = (n: string | undefined) => {
    if (n !== undefined && !lanes.includes(n)) lanes.push(n);
  };
  for (const step of trace.trace) {
    for (const m of [...(step.sent ?? []), ...(step.received ?? [])]) {
      add(m.from);
      add(m.to);
    }
  }
  return lanes;
}

export function buildSequenceChart(trace: TraceFile, width: number): SequenceChart {
  const lanes = laneNames(trace);
  const hasMessages = trace.trace.some((s) => s.sent !== undefined || s.received !== undefined);
  const n = Math.max(1, lanes.length);
  const laneWidth = Math.max(6, Math.min(22, Math.floor((width - GUTTER - 28) / n)));
  const lanesEnd = GUTTER + n * laneWidth; // first column after the lanes
  const centre = (i: number) => GUTTER + i * laneWidth + Math.floor(laneWidth / 2);
  const laneOf = (name: string | undefined) => (name === undefined ? -1 : lanes.indexOf(name));
  const marginWidth = Math.max(0, width - lanesEnd - 1);

  const blank = (): Canvas => {
    const c = new Canvas(width);
    for (let i = 0; i < lanes.length; i++) c.put(centre(i), '│', LANE);
    return c;
  };

  const header = new Canvas(width);
  lanes.forEach((name, i) => {
    const label = truncate(name, laneWidth - 1);
    header.put(centre(i) - Math.floor((label.length - 1) / 2), label, { bold: true, color: 'cyan' });
  });

  const rows: ChartRow[] = [];
  trace.trace.forEach((step, si) => {
    const sep = new Canvas(width);
    sep.put(1, String(step.index).padStart(3), { bold: true }); // column 0: the selection mark
    sep.fill(GUTTER - 1, width - 1, '─', LANE);
    sep.put(GUTTER, ` ${truncate(step.action, width - GUTTER - 2)} `, { bold: true });
    rows.push({ step: si, kind: 'step', line: sep.toLine() });

    for (const m of step.sent ?? []) rows.push({ step: si, kind: 'sent', line: arrow(m).toLine() });
    for (const m of step.received ?? []) {
      const c = blank();
      const at = laneOf(m.to);
      if (at >= 0) c.put(centre(at), '◆', RECEIVED);
      c.put(lanesEnd + 1, truncate(`✓ ${m.label} (${m.from} → ${m.to ?? 'all'}) received`, marginWidth), RECEIVED);
      rows.push({ step: si, kind: 'received', line: c.toLine() });
    }
  });
  const v = trace.violation;
  if (v.stuttering || v.loopStart !== undefined) {
    const c = blank();
    const text = v.stuttering ? `⟳ stuttering at state ${trace.trace.length}` : `↩ back to state ${v.loopStart! + 1}`;
    c.put(GUTTER, ` ${text} `, { color: 'yellow', bold: true });
    rows.push({ step: -1, kind: 'end', line: c.toLine() });
  }
  return { lanes, laneWidth, header: header.toLine(), rows, hasMessages };

  function arrow(m: TraceMessage): Canvas {
    const c = blank();
    const f = laneOf(m.from);
    const t = laneOf(m.to);
    const cf = centre(f);
    let label = m.label;
    let inline = false;
    if (m.to === undefined) {
      // A broadcast: a line across every lane, with an arrowhead at each receiver.
      const first = centre(0), last = centre(lanes.length - 1);
      c.fill(first, last, '─', BROADCAST);
      const lastLane = lanes.length - 1;
      for (let i = 0; i < lanes.length; i++) {
        if (i !== f) c.put(centre(i), i < f ? (i === 0 ? '◀' : '◂') : i === lastLane ? '▶' : '▸', BROADCAST);
      }
      c.put(cf, '●', BROADCAST);
      label = `${m.label} (to all)`;
      c.put(lanesEnd + 1, truncate(label, marginWidth), BROADCAST);
      return c;
    }
    if (f === t) {
      c.put(cf, '●↺', SENT);
    } else {
      const ct = centre(t);
      const lo = Math.min(cf, ct), hi = Math.max(cf, ct);
      c.fill(lo, hi, '─', SENT);
      c.put(cf, '●', SENT);
      c.put(ct, ct > cf ? '▶' : '◀', SENT);
      const room = hi - lo - 1;
      if (label.length + 2 <= room - 2) {
        c.put(lo + 1 + Math.floor((room - label.length - 2) / 2), ` ${label} `, SENT);
        inline = true;
      }
    }
    if (!inline) c.put(lanesEnd + 1, truncate(label, marginWidth), SENT);
    return c;
  }
}

/** The first row of the chart to show so that the selected step's block is in view. */
export function chartWindowStart(chart: SequenceChart, selected: number, size: number): number {
  const count = chart.rows.length;
  if (count <= size) return 0;
  const first = chart.rows.findIndex((r) => r.step === selected);
  let last = first;
  while (last + 1 < count && chart.rows[last + 1]!.step === selected) last++;
  // Show a few rows of context above the selected step, and its whole block if it fits.
  let start = Math.max(0, first - Math.floor(size / 3));
  if (last >= start + size) start = Math.max(first, last - size + 1);
  return Math.min(start, count - size);
}

