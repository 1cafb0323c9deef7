// The rows of the history timeline screen as plain data: which stretch of time and which lanes are in
// the window, and each lane drawn as styled text. HistoryTimeline.tsx only draws these.
import { difference, laneName, type LaidOp, type OpRole, type PartitionLayout, type Ranges } from '../history/timeline-layout.js';
import { Canvas, seg, type Line, type Seg } from './segments.js';

/** Columns per event, from zoomed out to zoomed in. */
export const ZOOMS: readonly number[] = [1 / 16, 1 / 8, 1 / 4, 1 / 2, 1, 2, 3, 4, 6, 8];
const DEFAULT_ZOOM = ZOOMS.indexOf(2);
const FIT_ZOOM_MAX = ZOOMS.indexOf(4);

export interface TimelineWindow {
  /** The first event rank shown at the left edge. */
  readonly start: number;
  /** Index into ZOOMS. */
  readonly zoom: number;
  /** First lane shown. */
  readonly laneTop: number;
  /** Index into layout.ops of the op whose details are shown. */
  readonly selected: number;
}

export interface Geometry {
  /** Columns for the time axis. */
  readonly plotWidth: number;
  /** Lanes that fit. */
  readonly laneRows: number;
}

const ranksShown = (zoom: number, g: Geometry): number => g.plotWidth / ZOOMS[zoom]!;

/** The start and lane offset kept within the partition (open bars end at rank span, which stays reachable). */
export function clampWindow(l: PartitionLayout, w: TimelineWindow, g: Geometry): TimelineWindow {
  const zoom = Math.max(0, Math.min(ZOOMS.length - 1, w.zoom));
  const maxStart = Math.max(0, Math.ceil(l.span + 1 - ranksShown(zoom, g)));
  const start = Math.max(0, Math.min(maxStart, Math.round(w.start)));
  const laneTop = Math.max(0, Math.min(Math.max(0, l.lanes.length - g.laneRows), w.laneTop));
  const selected = Math.max(0, Math.min(l.ops.length - 1, w.selected));
  return { start, zoom, laneTop, selected };
}

/** Pans and scrolls so that op i is in the window (centred when it was out of it). */
export function reveal(l: PartitionLayout, w: TimelineWindow, i: number, g: Geometry): TimelineWindow {
  const o = l.ops[i]!;
  const shown = ranksShown(w.zoom, g);
  const end = o.open ? l.span : o.to;
  let start = w.start;
  if (o.from < w.start || end > w.start + shown - 1) start = Math.max(0, Math.min(o.from, (o.from + end) / 2) - shown / 2);
  if (end - o.from + 1 >= shown) start = o.from - 1; // longer than the window: show where it begins
  let laneTop = w.laneTop;
  if (o.lane < laneTop || o.lane >= laneTop + g.laneRows) laneTop = o.lane - Math.floor(g.laneRows / 2);
  return clampWindow(l, { ...w, start, laneTop, selected: i }, g);
}

/**
 * The first window: the whole partition when it fits at two columns per event or more (zoomed in
 * as far as it still fits), else two columns per event around the offending op.
 */
export function initialWindow(l: PartitionLayout, g: Geometry): TimelineWindow {
  let zoom = DEFAULT_ZOOM;
  for (let z = FIT_ZOOM_MAX; z >= DEFAULT_ZOOM; z--) {
    if ((l.span + 1) * ZOOMS[z]! <= g.plotWidth) {
      zoom = z;
      break;
    }
  }
  return reveal(l, { start: 0, zoom, laneTop: 0, selected: l.offending }, l.offending, g);
}

/** Moves along time by a quarter of the window. */
export function pan(l: PartitionLayout, w: TimelineWindow, direction: -1 | 1, g: Geometry): TimelineWindow {
  const step = Math.max(1, Math.round(ranksShown(w.zoom, g) / 4));
  return clampWindow(l, { ...w, start: w.start + direction * step }, g);
}

/** Zooms in (+1) or out (-1), keeping the selected op where it is when it is in the window, else the centre. */
export function zoomBy(l: PartitionLayout, w: TimelineWindow, d: -1 | 1, g: Geometry): TimelineWindow {
  const zoom = Math.max(0, Math.min(ZOOMS.length - 1, w.zoom + d));
  if (zoom === w.zoom) return w;
  const o = l.ops[w.selected]!;
  const shownBefore = ranksShown(w.zoom, g);
  const inView = o.from >= w.start && o.from < w.start + shownBefore;
  const anchor = inView ? o.from : w.start + shownBefore / 2;
  const frac = (anchor - w.start) / shownBefore;
  return clampWindow(l, { ...w, zoom, start: anchor - frac * ranksShown(zoom, g) }, g);
}

/** The next (+1) or previous (-1) op by invocation, brought into the window. */
export function step(l: PartitionLayout, w: TimelineWindow, d: -1 | 1, g: Geometry): TimelineWindow {
  const i = Math.max(0, Math.min(l.ops.length - 1, w.selected + d));
  return reveal(l, w, i, g);
}

const ROLE_STYLE: Record<OpRole, Omit<Seg, 'text'>> = {
  prefix: { color: 'green' },
  offending: { color: 'red', bold: true },
  candidate: { color: 'yellow' },
  other: { dim: true },
};
const ROLE_FILL: Record<OpRole, string> = { prefix: '=', offending: '!', candidate: '-', other: '-' };
const DRAW_ORDER: Record<OpRole, number> = { other: 0, candidate: 1, prefix: 2, offending: 3 };

/** The text inside an op's bar: its place in the prefix, or ✘ for the op that cannot be placed. */
export const barLabel = (o: LaidOp): string => (o.role === 'offending' ? '✘' : o.order !== undefined ? String(o.order) : o.role === 'candidate' ? '?' : '');

function drawOp(c: Canvas, o: LaidOp, x: (r: number) => number, selected: boolean): void {
  const a = x(o.from);
  const b = x(o.open ? Math.max(o.from + 1, o.to) : o.to);
  if (b < 0 || a >= c.width) return;
  const style = selected ? { ...ROLE_STYLE[o.role], inverse: true } : ROLE_STYLE[o.role];
  const fill = ROLE_FILL[o.role];
  if (b === a) {
    c.put(a, o.role === 'offending' ? '✘' : fill, style);
    return;
  }
  c.fill(a, b, fill, style);
  c.put(a, '[', style);
  c.put(b, o.open ? '>' : ']', style);
  const label = barLabel(o);
  const inner = b - a - 1;
  if (label && inner >= label.length) c.put(a + 1 + Math.floor((inner - label.length) / 2), label, style);
  else if (o.role === 'offending') c.put(a, '✘', style); // too short for a label: still unmistakable
}

export interface TimelineRows {
  /** One row per lane in the window: its name, then the bars. */
  readonly lanes: Line[];
  /** The time axis (ticks, the offending op's stretch marked) and its labels. */
  readonly axis: Line[];
  /** Width of the lane name column (the plot starts after it). */
  readonly nameWidth: number;
}

export const nameWidthOf = (l: PartitionLayout): number => Math.max(4, ...l.lanes.map((x) => laneName(x).length)) + 1;

/** Tick spacing in events: the smallest of 1, 2, 5, 10, 20, 50, ... at least 8 columns apart. */
export function tickStep(scale: number): number {
  for (let p = 1; ; p *= 10) for (const m of [1, 2, 5]) if (m * p * scale >= 8) return m * p;
}

export function timelineRows(l: PartitionLayout, w: TimelineWindow, g: Geometry): TimelineRows {
  const scale = ZOOMS[w.zoom]!;
  const x = (r: number) => Math.floor((r - w.start) * scale);
  const nameWidth = nameWidthOf(l);
  const sel = l.ops[w.selected];
  const byLane = new Map<number, LaidOp[]>();
  for (const o of l.ops) {
    if (o.lane < w.laneTop || o.lane >= w.laneTop + g.laneRows) continue;
    const list = byLane.get(o.lane) ?? [];
    list.push(o);
    byLane.set(o.lane, list);
  }
  const lanes: Line[] = [];
  for (let k = w.laneTop; k < Math.min(l.lanes.length, w.laneTop + g.laneRows); k++) {
    const c = new Canvas(g.plotWidth);
    const ops = (byLane.get(k) ?? []).sort((a, b) => DRAW_ORDER[a.role] - DRAW_ORDER[b.role]);
    for (const o of ops) if (o !== sel) drawOp(c, o, x, false);
    if (sel && sel.lane === k) drawOp(c, sel, x, true);
    const name = laneName(l.lanes[k]!).padStart(nameWidth - 1) + ' ';
    lanes.push([seg(name, sel?.lane === k ? { bold: true } : { dim: true }), ...c.toLine()]);
  }
  // Axis: ticks every few events, the offending op's stretch in red, rank labels under the ticks.
  const ticks = new Canvas(g.plotWidth);
  const labels = new Canvas(g.plotWidth);
  ticks.fill(0, g.plotWidth - 1, '─', { dim: true });
  const every = tickStep(scale);
  const first = Math.ceil(w.start / every) * every;
  for (let r = first; x(r) < g.plotWidth; r += every) {
    if (r > l.span) break;
    ticks.put(x(r), '┬', { dim: true });
    if (x(r) + String(r).length <= g.plotWidth) labels.put(x(r), String(r), { dim: true });
  }
  const off = l.ops[l.offending];
  if (off) ticks.fill(x(off.from), x(off.open ? l.span : off.to), '━', { color: 'red', bold: true });
  return {
    lanes,
    axis: [
      [seg(' '.repeat(nameWidth)), ...ticks.toLine()],
      [seg('event'.padStart(nameWidth - 1) + ' ', { dim: true }), ...labels.toLine()],
    ],
    nameWidth,
  };
}

/** "events 40–120 of 412 · lanes 1–20 of 50 · 2 columns per event": where the window is. */
export function windowText(l: PartitionLayout, w: TimelineWindow, g: Geometry): string {
  const scale = ZOOMS[w.zoom]!;
  const to = Math.min(l.span, Math.ceil(w.start + g.plotWidth / scale) - 1);
  const zoom = scale >= 1 ? `${scale} column${scale === 1 ? '' : 's'} per event` : `${1 / scale} events per column`;
  const lanes = l.lanes.length > g.laneRows ? ` · lanes ${w.laneTop + 1}–${Math.min(l.lanes.length, w.laneTop + g.laneRows)} of ${l.lanes.length}` : '';
  return `events ${w.start}–${to} of ${l.span}${lanes} · ${zoom}`;
}

/**
 * The state after the prefix and the state the offending op needs, one row each, cut to `width`
 * around their first difference (long kv values differ in an element or two), the differences marked.
 */
export function stateRows(state: string, needs: string, width: number): [Line, Line] {
  const room = Math.max(8, width - 'state '.length);
  const d = difference(state, needs);
  const first = Math.min(d.a[0]?.[0] ?? Infinity, d.b[0]?.[0] ?? Infinity);
  // Begin a little before the first difference when it would be off the row.
  const from = Number.isFinite(first) && first > room / 3 ? first - Math.floor(room / 4) : 0;
  const row = (label: string, s: string, marks: Ranges, style: Omit<Seg, 'text'>): Line => {
    const lead = from > 0 ? '…' : '';
    const cut = s.length - from > room - lead.length;
    const to = from + room - lead.length - (cut ? 1 : 0);
    const segs: Seg[] = [seg(label, { dim: true }), seg(lead, { dim: true })];
    let at = from;
    for (const [a, b] of marks) {
      if (b <= at || a >= to) continue;
      segs.push(seg(s.slice(at, Math.max(at, a))), seg(s.slice(Math.max(at, a), Math.min(b, to)), { ...style, bold: true, inverse: true }));
      at = Math.min(b, to);
    }
    segs.push(seg(s.slice(at, Math.min(s.length, to))));
    if (cut) segs.push(seg('…', { dim: true }));
    return segs.filter((x) => x.text.length > 0);
  };
  return [row('state ', state, d.a, { color: 'yellow' }), row('needs ', needs, d.b, { color: 'red' })];
}
