// A counterexample laid out for drawing: every op of the partition on a lane (one per process,
// split only where one process's ops overlap), its bar from invocation to completion on a time axis
// of the partition's own events, and its part in the counterexample. The terminal view and the HTML
// page both draw from this.
import type { Consistency, ExplainedOp, Explanation } from './types.js';

/** An op's part: linearized in the prefix, the one that cannot be placed, another candidate to come next, or not reached. */
export type OpRole = 'prefix' | 'offending' | 'candidate' | 'other';

export interface LaidOp extends ExplainedOp {
  readonly lane: number;
  /** Rank of the invocation among the partition's distinct event times (0-based). */
  readonly from: number;
  /** Rank of the completion; for an op that never completed, `span` (its bar runs to the end). */
  readonly to: number;
  readonly open: boolean;
  readonly role: OpRole;
  /** 1-based position in the linearized prefix. */
  readonly order?: number;
  /** For candidates (the offending op included): legal in the state the prefix leaves. */
  readonly legal?: boolean;
}

export interface Lane {
  readonly process: string;
  /** Set when the process has more than one lane (its ops overlap): 0, 1, ... */
  readonly sub?: number;
}

/** One non-linearizable partition of one history file, as the timeline views take it. */
export interface BadPartition {
  readonly file: string;
  /** How many partitions the file has. */
  readonly partitions: number;
  readonly explanation: Explanation;
  /** What was checked (default linearizable): only changes the wording of the verdict. */
  readonly consistency?: Consistency;
}

/** "not linearizable" or "not sequentially consistent". */
export const verdictText = (b: BadPartition): string => (b.consistency === 'sequential' ? 'not sequentially consistent' : 'not linearizable');

export interface PartitionLayout {
  readonly explanation: Explanation;
  /** By invocation time. */
  readonly ops: readonly LaidOp[];
  readonly lanes: readonly Lane[];
  /** Number of distinct event times; ranks run from 0 to span - 1 (span is the end of open bars). */
  readonly span: number;
  /** Index into ops of the offending op. */
  readonly offending: number;
}

export function layoutPartition(e: Explanation): PartitionLayout {
  const times = [...new Set(e.ops.flatMap((o) => (o.ret === null ? [o.call] : [o.call, o.ret])))].sort((a, b) => a - b);
  const rank = new Map(times.map((t, k) => [t, k]));
  const span = times.length;
  const order = new Map(e.prefix.map((id, k) => [id, k + 1]));
  const legal = new Map(e.candidates.map((c) => [c.id, c.legal]));
  const sorted = [...e.ops].sort((a, b) => a.call - b.call || a.id - b.id);
  // Lanes per process, first fit: a new lane only when the process's lanes are all busy.
  const perProcess = new Map<string, number[]>(); // process → end rank of each of its lanes
  const placed = sorted.map((o) => {
    const from = rank.get(o.call)!;
    const to = o.ret === null ? span : rank.get(o.ret)!;
    const p = String(o.process);
    const ends = perProcess.get(p) ?? [];
    perProcess.set(p, ends);
    let sub = ends.findIndex((end) => end < from);
    if (sub < 0) sub = ends.push(to) - 1;
    else ends[sub] = to;
    return { o, from, to, p, sub };
  });
  const processes = [...perProcess.keys()].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  const lanes: Lane[] = [];
  const laneOf = new Map<string, number>();
  for (const p of processes) {
    const n = perProcess.get(p)!.length;
    for (let s = 0; s < n; s++) {
      laneOf.set(`${p}\u0000${s}`, lanes.length);
      lanes.push(n > 1 ? { process: p, sub: s } : { process: p });
    }
  }
  const ops: LaidOp[] = placed.map(({ o, from, to, p, sub }) => {
    const role: OpRole = o.id === e.offending ? 'offending' : order.has(o.id) ? 'prefix' : legal.has(o.id) ? 'candidate' : 'other';
    return {
      ...o,
      lane: laneOf.get(`${p}\u0000${sub}`)!,
      from,
      to,
      open: o.ret === null,
      role,
      ...(order.has(o.id) ? { order: order.get(o.id)! } : {}),
      ...(legal.has(o.id) ? { legal: legal.get(o.id)! } : {}),
    };
  });
  return { explanation: e, ops, lanes, span, offending: ops.findIndex((o) => o.role === 'offending') };
}

export const laneName = (l: Lane): string => `p${l.process}${l.sub !== undefined ? `.${l.sub + 1}` : ''}`;

/** What an op is in the counterexample, in words. */
export function roleText(o: LaidOp, e: Explanation): string {
  if (o.role === 'offending')
    return `cannot be placed after the prefix${e.needs ? `: it needs ${e.needs}` : ''} (the state is ${e.state})`;
  if (o.role === 'prefix') return `#${o.order} of the ${e.prefix.length} ops of the linearizable prefix`;
  if (o.role === 'candidate')
    return o.legal ? 'could come next after the prefix: legal, but every way on from it is a dead end' : 'could come next after the prefix, but is illegal in its state';
  return 'not reached: the search found no linearizable prefix that includes it';
}

/** The summary sentences of a counterexample (also in the text output, worded the same). */
export function summaryText(e: Explanation): { prefix: string; offending: string; others?: string } {
  const offending = e.ops.find((o) => o.id === e.offending)!;
  const others = e.candidates.filter((c) => c.id !== e.offending);
  const legal = others.filter((c) => c.legal).length;
  return {
    prefix: `The longest linearizable prefix found has ${e.prefix.length} of ${e.ops.length} ops and leaves the state ${e.state}.`,
    offending: `Then process ${offending.process}'s ${offending.text} must take effect, but cannot${e.needs ? `: it needs ${e.needs}` : ''}.`,
    ...(others.length > 0
      ? {
          others: `Of the ${others.length} other op${others.length === 1 ? '' : 's'} that could come next, ${legal === 0 ? 'none is legal in that state' : `${legal} ${legal === 1 ? 'is' : 'are'} legal but lead${legal === 1 ? 's' : ''} to a dead end`}.`,
        }
      : {}),
  };
}

/** [start, end) character ranges. */
export type Ranges = readonly (readonly [number, number])[];

/** Tokens: runs of word characters, or any single other character (a value's punctuation). */
const tokens = (s: string): string[] => s.match(/[A-Za-z0-9_.:+-]+|[^A-Za-z0-9_.:+-]/g) ?? [];
/** Past this many token pairs only the common beginning is left unmarked. */
const MAX_LCS_CELLS = 4_000_000;

/**
 * Where the state the prefix leaves and the state the offending op needs differ: the parts of each
 * outside a longest common subsequence of their tokens (so in a kv value, the one element that
 * differs and the elements only one of them has).
 */
export function difference(a: string, b: string): { a: Ranges; b: Ranges } {
  const ta = tokens(a);
  const tb = tokens(b);
  // The common beginning first: the table covers only the rest. (Not the common end: matching from
  // the end would align a shorter value's last elements with the longer one's.)
  let pre = 0;
  while (pre < ta.length && pre < tb.length && ta[pre] === tb[pre]) pre++;
  const ma = ta.slice(pre);
  const mb = tb.slice(pre);
  const keepA = new Array<boolean>(ma.length).fill(false);
  const keepB = new Array<boolean>(mb.length).fill(false);
  if (ma.length > 0 && mb.length > 0 && (ma.length + 1) * (mb.length + 1) <= MAX_LCS_CELLS) {
    const w = mb.length + 1;
    const t = new Uint32Array((ma.length + 1) * w);
    for (let i = ma.length - 1; i >= 0; i--)
      for (let j = mb.length - 1; j >= 0; j--) t[i * w + j] = ma[i] === mb[j] ? t[(i + 1) * w + j + 1]! + 1 : Math.max(t[(i + 1) * w + j]!, t[i * w + j + 1]!);
    for (let i = 0, j = 0; i < ma.length && j < mb.length; ) {
      if (ma[i] === mb[j]) {
        keepA[i++] = true;
        keepB[j++] = true;
      } else if (t[(i + 1) * w + j]! >= t[i * w + j + 1]!) i++;
      else j++;
    }
  }
  const ranges = (all: string[], keep: boolean[]): Ranges => {
    const out: [number, number][] = [];
    let at = 0;
    for (let k = 0; k < all.length; k++) {
      const len = all[k]!.length;
      const m = k - pre;
      if (m >= 0 && m < keep.length && !keep[m]) {
        const last = out[out.length - 1];
        if (last && last[1] === at) last[1] = at + len;
        else out.push([at, at + len]);
      }
      at += len;
    }
    return out;
  };
  return { a: ranges(ta, keepA), b: ranges(tb, keepB) };
}
