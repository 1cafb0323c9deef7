// `quorum history` on a terminal: each non-linearizable partition as a timeline of processes (one
// lane per process, bars from invocation to completion), the linearized prefix numbered in its
// order, the op that cannot be placed after it marked ✘, and what it would need.
import { Box, Text } from 'ink';
import { useMemo, useRef, useState } from 'react';
import { layoutPartition, roleText, summaryText, laneName, type BadPartition, type PartitionLayout, verdictText } from '../history/timeline-layout.js';
import { truncate, wrap } from './format.js';
import {
  initialWindow,
  nameWidthOf,
  pan,
  reveal,
  stateRows,
  step,
  timelineRows,
  windowText,
  zoomBy,
  type Geometry,
  type TimelineWindow,
} from './history-timeline-view.js';
import { Keys, Lines, seg, type Line } from './segments.js';
import { runScreen, useKeys, useTerminalSize, type ScreenOptions } from './terminal.js';

export type { BadPartition };

export interface HistoryTimelineProps {
  readonly items: readonly BadPartition[];
  readonly onQuit: () => void;
  readonly exitCode?: number;
  readonly columns?: number;
  readonly rows?: number;
}

const DETAIL_ROWS = 4;

function headerLines(item: BadPartition, index: number, count: number, width: number): Line[] {
  const e = item.explanation;
  const where = item.partitions > 1 ? ` · partition ${e.partition + 1} of ${item.partitions} (${e.ops.length} ops)` : ` (${e.ops.length} ops)`;
  const which = count > 1 ? ` · ${index + 1}/${count} failing partitions` : '';
  const s = summaryText(e);
  const lines: Line[] = [[seg(truncate(`✘ ${item.file}: ${verdictText(item)}${where}${which}`, width), { color: 'red', bold: true })]];
  const para = (text: string, style: Parameters<typeof seg>[1], max: number) => {
    const w = wrap(text, width);
    const shown = w.length > max ? [...w.slice(0, max - 1), truncate(w.slice(max - 1).join(' '), width)] : w;
    for (const l of shown) lines.push([seg(l, style)]);
  };
  para(s.prefix.replace(' has ', ' (numbered in the bars) has '), {}, 2);
  para(s.offending.replace('must take effect, but cannot', 'must take effect next (✘), but cannot'), { color: 'red' }, 2);
  if (s.others) para(s.others, { color: 'yellow' }, 1);
  return lines;
}

function detailLines(l: PartitionLayout, w: TimelineWindow, width: number): Line[] {
  const o = l.ops[w.selected];
  if (!o) return [];
  const lane = laneName(l.lanes[o.lane]!);
  const when = o.open ? `invoked at event ${o.from}, never completed (${o.status})` : `invoked at event ${o.from}, completed at event ${o.to}`;
  const role = roleText(o, l.explanation);
  const color = o.role === 'offending' ? 'red' : o.role === 'prefix' ? 'green' : o.role === 'candidate' ? 'yellow' : undefined;
  if (o.role === 'offending' && l.explanation.needs !== undefined) {
    return [
      [seg(truncate(`▸ ${lane}  ${o.text}  ✘ cannot be placed after the prefix:`, width), { bold: true, color: 'red' })],
      ...stateRows(l.explanation.state, l.explanation.needs, width),
      [seg(truncate(`${when}${o.source ? ` · ${o.source}` : ''}`, width), { dim: true })],
    ];
  }
  const roleRows = wrap(role, width);
  const shown = roleRows.length > 2 ? [roleRows[0]!, truncate(roleRows.slice(1).join(' '), width)] : roleRows;
  return [
    [seg(truncate(`▸ ${lane}  ${o.text}`, width), { bold: true })],
    ...shown.map((r): Line => [seg(r, { color })]),
    [seg(truncate(`${when}${o.source ? ` · ${o.source}` : ''}`, width), { dim: true })],
  ];
}

function Legend() {
  return (
    <Text wrap="truncate-end">
      <Text color="green">[=3=]</Text>
      <Text dimColor> prefix #3  </Text>
      <Text color="red" bold>
        [!✘!]
      </Text>
      <Text dimColor> cannot be placed  </Text>
      <Text color="yellow">[-?-]</Text>
      <Text dimColor> could come next  </Text>
      <Text dimColor>[---] not reached  &gt; never completed</Text>
    </Text>
  );
}

export function HistoryTimeline(props: HistoryTimelineProps) {
  const { columns, rows } = useTerminalSize(props.columns, props.rows);
  const layouts = useMemo(() => props.items.map((i) => layoutPartition(i.explanation)), [props.items]);
  // The window is computed on first sight of a partition (it depends on the screen size).
  const [view, setView] = useState<{ index: number; win?: TimelineWindow }>({ index: 0 });
  const index = view.index;
  const item = props.items[index];
  const layout = layouts[index];

  const header = item ? headerLines(item, index, props.items.length, columns) : [];
  // Header, legend, the timeline box (title, lanes, two axis rows, borders), the details box, the
  // footer; one row short of the screen so Ink never scrolls.
  const fixed = header.length + 1 + 5 + (DETAIL_ROWS + 2) + 1 + 1;
  const laneRows = Math.max(1, rows - fixed);
  const nameW = layout ? nameWidthOf(layout) : 5;
  const geo: Geometry = { plotWidth: Math.max(10, columns - 4 - nameW), laneRows: Math.min(laneRows, layout?.lanes.length ?? 1) };
  const geoRef = useRef(geo);
  geoRef.current = geo;
  const w = layout ? (view.win ?? initialWindow(layout, geo)) : undefined;

  useKeys((input, key) => {
    if (input === 'q' || key.escape) return props.onQuit();
    // Keys read together are applied in turn, each to the state the previous one left.
    setView((v) => {
      const l = layouts[v.index];
      if (!l) return v;
      const g = geoRef.current;
      const cur = v.win ?? initialWindow(l, g);
      const set = (win: TimelineWindow) => ({ index: v.index, win });
      const go = (i: number) => {
        const next = Math.max(0, Math.min(layouts.length - 1, i));
        return next === v.index ? v : { index: next };
      };
      const half = Math.max(1, Math.floor(g.laneRows / 2));
      if (key.upArrow) return go(v.index - 1);
      if (key.downArrow) return go(v.index + 1);
      if (key.leftArrow || input === 'h') return set(pan(l, cur, -1, g));
      if (key.rightArrow || input === 'l') return set(pan(l, cur, 1, g));
      if (input === '+' || input === '=') return set(zoomBy(l, cur, 1, g));
      if (input === '-' || input === '_') return set(zoomBy(l, cur, -1, g));
      if (key.tab || input === 'n') return set(step(l, cur, key.shift ? -1 : 1, g));
      if (input === 'p') return set(step(l, cur, -1, g));
      if (input === 'o') return set(reveal(l, cur, l.offending, g));
      if (input === 'j' || key.pageDown) return set({ ...cur, laneTop: Math.min(Math.max(0, l.lanes.length - g.laneRows), cur.laneTop + half) });
      if (input === 'k' || key.pageUp) return set({ ...cur, laneTop: Math.max(0, cur.laneTop - half) });
      return v;
    });
  });

  if (!item || !layout || !w) {
    return (
      <Box flexDirection="column">
        <Text color="green">No non-linearizable partition to show.</Text>
        <Keys keys={[['q', 'quit']]} />
      </Box>
    );
  }
  const drawn = timelineRows(layout, w, geo);
  const keys: [string, string][] = [
    ['←→', 'move'],
    ['+/-', 'zoom'],
    ['n/p', 'next/prev op'],
    ['o', 'the ✘ op'],
    ...(props.items.length > 1 ? ([['↑↓', 'partition']] as [string, string][]) : []),
    ...(layout.lanes.length > geo.laneRows ? ([['j/k', 'lanes']] as [string, string][]) : []),
    ['q', props.exitCode === undefined ? 'quit' : `quit (exit ${props.exitCode})`],
  ];
  return (
    <Box flexDirection="column" width={columns}>
      <Lines lines={header} />
      <Legend />
      <Box borderStyle="round" borderColor="gray" flexDirection="column" paddingX={1} height={geo.laneRows + 5}>
        <Text dimColor wrap="truncate-end">
          {windowText(layout, w, geo)}
        </Text>
        <Lines lines={drawn.lanes} />
        <Lines lines={drawn.axis} />
      </Box>
      <Box borderStyle="round" borderColor="cyan" flexDirection="column" paddingX={1} height={DETAIL_ROWS + 2}>
        <Lines lines={detailLines(layout, w, columns - 4)} />
      </Box>
      <Keys keys={keys} />
    </Box>
  );
}

/** Shows the non-linearizable partitions until the user presses q. */
export function showHistoryTimeline(items: readonly BadPartition[], opts: { exitCode?: number } & ScreenOptions = {}): Promise<void> {
  return runScreen((done) => <HistoryTimeline items={items} exitCode={opts.exitCode} onQuit={done} />, opts);
}
