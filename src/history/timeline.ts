// A counterexample as text: the longest linearizable prefix, the op that cannot be placed after it and
// what it would need, and a timeline with one lane per process (bars from invocation to completion).
import type { Explanation, ExplainedOp } from './types.js';

export interface TimelineOptions {
  /** Columns for the time axis (default 72). */
  readonly width?: number;
  /** Most ops drawn around the offending one (default 24). */
  readonly maxOps?: number;
}

export interface TimelineView {
  /** The ops drawn, in lane order, with their labels. */
  readonly ops: readonly (ExplainedOp & { label: string; role: 'prefix' | 'offending' | 'candidate' | 'other'; order?: number })[];
  readonly lanes: readonly { readonly process: string; readonly cells: string }[];
  readonly axis: string;
}

/** Which ops to draw: those overlapping the stretch of time from the last prefix ops to the offending op's completion. */
export function timelineView(e: Explanation, opts: TimelineOptions = {}): TimelineView {
  const width = opts.width ?? 72;
  const maxOps = opts.maxOps ?? 24;
  const byId = new Map(e.ops.map((o) => [o.id, o]));
  const offending = byId.get(e.offending)!;
  const order = new Map(e.prefix.map((id, k) => [id, k + 1]));
  const candidates = new Set(e.candidates.map((c) => c.id));
  const end = offending.ret ?? Math.max(...e.ops.map((o) => o.ret ?? o.call));
  // Nearest ops (by distance of their interval to the offending op's) first.
  const dist = (o: ExplainedOp): number => {
    const r = o.ret ?? Infinity;
    if (r < offending.call) return offending.call - r;
    if (o.call > end) return o.call - end;
    return 0;
  };
  const chosen = [...e.ops]
    .sort((a, b) => dist(a) - dist(b) || (candidates.has(b.id) ? 1 : 0) - (candidates.has(a.id) ? 1 : 0) || a.call - b.call)
    .slice(0, maxOps)
    .sort((a, b) => a.call - b.call);
  const times = [...new Set(chosen.flatMap((o) => (o.ret === null ? [o.call] : [o.call, o.ret])))].sort((a, b) => a - b);
  const step = Math.max(2, Math.min(8, Math.floor((width - 2) / Math.max(1, times.length))));
  const col = new Map(times.map((t, k) => [t, 1 + k * step]));
  const cols = 2 + (times.length - 1) * step + 2;
  const labelled = chosen.map((o, k) => ({
    ...o,
    label: String.fromCharCode(k < 26 ? 65 + k : 97 + ((k - 26) % 26)),
    role: (o.id === e.offending ? 'offending' : order.has(o.id) ? 'prefix' : candidates.has(o.id) ? 'candidate' : 'other') as
      | 'prefix'
      | 'offending'
      | 'candidate'
      | 'other',
    ...(order.has(o.id) ? { order: order.get(o.id)! } : {}),
  }));
  // Lanes: one per process, split when one process's ops overlap.
  const lanes: { process: string; cells: string[]; busyTo: number }[] = [];
  for (const o of labelled) {
    const from = col.get(o.call)!;
    const to = o.ret === null ? cols - 1 : col.get(o.ret)!;
    let lane = lanes.find((l) => l.process === String(o.process) && l.busyTo < from);
    if (lane === undefined) lanes.push((lane = { process: String(o.process), cells: Array<string>(cols).fill(' '), busyTo: -1 }));
    const fill = o.role === 'offending' ? '!' : o.role === 'prefix' ? '=' : '-';
    for (let c = from; c <= to; c++) lane.cells[c] = fill;
    lane.cells[from] = '[';
    lane.cells[to] = o.ret === null ? '>' : ']';
    const mid = Math.min(to - 1, from + 1);
    if (mid > from) lane.cells[mid] = o.label;
    else lane.cells[from] = o.label;
    lane.busyTo = to;
  }
  lanes.sort((a, b) => a.process.localeCompare(b.process, undefined, { numeric: true }));
  const axis = Array<string>(cols).fill('─');
  return { ops: labelled, lanes: lanes.map((l) => ({ process: l.process, cells: l.cells.join('') })), axis: axis.join('') };
}

/** The counterexample as plain text lines. */
export function renderExplanation(e: Explanation, opts: TimelineOptions & { partitions?: number } = {}): string[] {
  const byId = new Map(e.ops.map((o) => [o.id, o]));
  const offending = byId.get(e.offending)!;
  const lines: string[] = [];
  const where = (o: ExplainedOp): string => (o.source ? ` (${o.source})` : '');
  if (opts.partitions !== undefined && opts.partitions > 1) lines.push(`  In partition ${e.partition + 1} of ${opts.partitions} (${e.ops.length} ops):`);
  lines.push(`  The longest linearizable prefix found has ${e.prefix.length} of ${e.ops.length} ops and leaves the state ${e.state}.`);
  lines.push(`  Then process ${offending.process}'s ${offending.text}${where(offending)} must take effect, but cannot${e.needs ? `: it needs ${e.needs}` : ''}.`);
  const others = e.candidates.filter((c) => c.id !== e.offending);
  if (others.length > 0) {
    const legal = others.filter((c) => c.legal).length;
    lines.push(
      `  Of the ${others.length} other op${others.length === 1 ? '' : 's'} that could come next, ${legal === 0 ? 'none is legal in that state' : `${legal} ${legal === 1 ? 'is' : 'are'} legal but lead${legal === 1 ? 's' : ''} to a dead end`}.`,
    );
  }
  const view = timelineView(e, opts);
  const name = (p: string): string => `p${p}`.padStart(Math.max(4, ...view.lanes.map((l) => `p${l.process}`.length)));
  lines.push('');
  lines.push(`  ${' '.repeat(name('').length)} time →   [=X=] in the prefix   [!X!] cannot be placed   [-X-] other   > never completed`);
  for (const l of view.lanes) lines.push(`  ${name(l.process)} ${l.cells.trimEnd()}`);
  lines.push(`  ${' '.repeat(name('').length)} ${view.axis}`);
  lines.push('');
  for (const o of view.ops) {
    const tag = o.role === 'offending' ? ' ← cannot be placed' : o.order !== undefined ? ` (prefix #${o.order})` : '';
    lines.push(`  ${o.label}  p${o.process}  ${o.text}${tag}${where(o)}`);
  }
  if (view.ops.length < e.ops.length) lines.push(`  (${e.ops.length - view.ops.length} more ops of this partition not drawn)`);
  const tail = e.prefix.slice(-8).map((id) => {
    const o = byId.get(id)!;
    const drawn = view.ops.find((v) => v.id === id);
    return drawn ? drawn.label : `p${o.process} ${o.text}`;
  });
  lines.push(`  The prefix ends: ${e.prefix.length > 8 ? '… ' : ''}${tail.join(', ') || '(empty)'} → state ${e.state}`);
  return lines;
}
