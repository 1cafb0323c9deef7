// The per-node view of a step: one column per node with its variables, values the step changed
// highlighted, and the messages the node sent or received in the step.
import type { TraceFile } from '../trace/trace-file.js';
import { truncate, wrap } from './format.js';
import { Lines, seg, type Line } from './segments.js';

const MIN_COLUMN = 18;

function width(line: Line): number {
  return line.reduce((n, s) => n + s.text.length, 0);
}

function nodeColumn(trace: TraceFile, stepIdx: number, node: string, w: number): Line[] {
  const step = trace.trace[stepIdx]!;
  const prev = stepIdx > 0 ? trace.trace[stepIdx - 1] : undefined;
  const vars = step.nodes?.[node] ?? {};
  const before = prev?.nodes?.[node];
  const out: Line[] = [[seg(truncate(node, w), { bold: true, color: 'cyan' })]];
  for (const [k, v] of Object.entries(vars)) {
    const changed = before !== undefined && before[k] !== v;
    const style = changed ? { color: 'yellow', bold: true } : {};
    const parts = wrap(`${k}: ${v}`, w - 2, w - 2);
    parts.forEach((p, i) => out.push([seg(i === 0 ? (changed ? '● ' : '  ') : '    ', changed ? { color: 'yellow' } : {}), seg(truncate(p, w - 2), style)]));
    if (changed) out.push([seg(truncate(`    was ${before[k] ?? '(absent)'}`, w), { dim: true })]);
  }
  const note = (text: string, color: string) => {
    for (const [i, p] of wrap(text, w - 2, w).entries()) out.push([seg(i === 0 ? p : `  ${p}`, { color })]);
  };
  for (const m of step.sent ?? []) {
    if (m.from === node) note(`→ ${m.label}${m.to ? ` to ${m.to}` : ' to all'}`, 'green');
    else if (m.to === node || m.to === undefined) note(`← ${m.label} from ${m.from}`, 'cyan');
  }
  for (const m of step.received ?? []) {
    if (m.to === node) note(`✓ ${m.label} from ${m.from}`, 'magenta');
  }
  return out;
}

/** The node columns laid side by side (several rows of columns when they do not fit). */
export function nodeGridLines(trace: TraceFile, stepIdx: number, paneWidth: number): Line[] {
  const nodes = trace.nodes ?? Object.keys(trace.trace[stepIdx]?.nodes ?? {});
  if (nodes.length === 0) return [[seg('This model declares no per-node view (nodeView), so there are no node columns.', { dim: true })]];
  const perRow = Math.max(1, Math.min(nodes.length, Math.floor((paneWidth + 1) / (MIN_COLUMN + 1))));
  const colW = Math.floor((paneWidth + 1) / perRow) - 1;
  const out: Line[] = [];
  for (let r = 0; r < nodes.length; r += perRow) {
    const cols = nodes.slice(r, r + perRow).map((n) => nodeColumn(trace, stepIdx, n, colW));
    const h = Math.max(...cols.map((c) => c.length));
    for (let y = 0; y < h; y++) {
      const line: ReturnType<typeof seg>[] = [];
      cols.forEach((c, i) => {
        const cell = c[y] ?? [];
        line.push(...cell);
        if (i < cols.length - 1) line.push(seg(' '.repeat(Math.max(0, colW - width(cell))) + ' '));
      });
      out.push(line);
    }
    if (r + perRow < nodes.length) out.push([]);
  }
  return out;
}

export function NodesPane(props: { trace: TraceFile; step: number; width: number; height: number }) {
  const lines = nodeGridLines(props.trace, props.step, props.width);
  return <Lines lines={lines.slice(0, props.height)} />;
}
