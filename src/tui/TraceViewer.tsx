// The counterexample viewer: the steps beside the selected state, in three views (state, per node,
// message sequence), the state either as what changed or in full.
import { Box, Text } from 'ink';
import { useRef, useState } from 'react';
import { describeViolation, READ_MARK, violationHint } from '../trace/render-text.js';
import type { TraceFile } from '../trace/trace-file.js';
import { MessageChart } from './MessageChart.js';
import { NodesPane } from './NodesPane.js';
import { Keys, Lines, seg, type Line } from './segments.js';
import { clip, diffLines, fullStateLines, maxScroll, SCROLL_STEP, scrollBy } from './state-lines.js';
import { StepList } from './StepList.js';
import { useKeys, useTerminalSize } from './terminal.js';
import { truncate, wrap } from './format.js';

export type TraceView = 'state' | 'nodes' | 'messages';
export const TRACE_VIEWS: readonly TraceView[] = ['state', 'nodes', 'messages'];
const VIEW_TITLES: Record<TraceView, string> = { state: 'State', nodes: 'Nodes', messages: 'Messages' };

export interface TraceViewerProps {
  readonly trace: TraceFile;
  readonly onQuit: () => void;
  /** The exit code the run will end with, shown in the footer. */
  readonly exitCode?: number;
  readonly initialView?: TraceView;
  readonly initialFull?: boolean;
  /** The step selected first (0-based); default: the last, where the violation is. */
  readonly initialStep?: number;
  /** Screen size; default: the terminal's. */
  readonly columns?: number;
  readonly rows?: number;
}

export function stateLines(trace: TraceFile, i: number, full: boolean, width: number): Line[] {
  const step = trace.trace[i]!;
  const last = i === trace.trace.length - 1;
  const reads = last && trace.violation.reads?.length ? new Set(trace.violation.reads) : undefined;
  if (i === 0 || full) {
    const lines = fullStateLines(step.vars, step.changes, width, { reads });
    return reads ? [...lines, [seg(`(${READ_MARK} marks what ${trace.violation.name} reads)`, { dim: true })]] : lines;
  }
  const changes = diffLines(step.changes, width);
  if (!last) return changes;
  const hint = violationHint(trace);
  if (hint) changes.push([], ...wrap(hint, width, width).map((l): Line => [seg(l, { color: 'yellow' })]));
  // The violating state also in full: what decides the violation may be a value the step left as it was.
  return [...changes, [], [seg(truncate(reads ? `In full (${READ_MARK} marks what ${trace.violation.name} reads):` : 'In full:', width), { bold: true })], ...fullStateLines(step.vars, step.changes, width, { showChanges: false, reads })];
}

function Tabs(props: { view: TraceView; full: boolean }) {
  return (
    <Box>
      {TRACE_VIEWS.map((v, i) => (
        <Text key={v} inverse={v === props.view} bold={v === props.view} color={v === props.view ? 'cyan' : undefined}>
          {` ${i + 1} ${VIEW_TITLES[v]} `}
        </Text>
      ))}
      <Text dimColor>{'   '}</Text>
      <Text color={props.full ? 'yellow' : 'green'}>{props.full ? 'full states' : 'changes only'}</Text>
    </Box>
  );
}

function Footer(props: { exitCode?: number }) {
  const keys: [string, string][] = [
    ['↑↓/jk', 'step'],
    ['g/G', 'first/last'],
    ['Tab/v', 'view'],
    ['f', 'full/diff'],
    ['q', props.exitCode === undefined ? 'quit' : `quit (exit ${props.exitCode})`],
    ['[ ]', 'scroll state'],
  ];
  return (
    <Box>
      <Keys keys={keys} />
    </Box>
  );
}

export function TraceViewer(props: TraceViewerProps) {
  const { trace } = props;
  const n = trace.trace.length;
  const { columns, rows } = useTerminalSize(props.columns, props.rows);
  const [selected, setSelected] = useState(() => Math.max(0, Math.min(n - 1, props.initialStep ?? n - 1)));
  const [view, setView] = useState<TraceView>(props.initialView ?? 'state');
  const [full, setFull] = useState(props.initialFull ?? false);
  // The state pane's scroll offset, kept from step to step (to follow one part of the state); clamped
  // to what the shown state needs, which only the render knows.
  const [scroll, setScroll] = useState(0);
  const scrollLimit = useRef(0);

  useKeys((input, key) => {
    if (input === 'q' || key.escape) props.onQuit();
    else if (key.upArrow || input === 'k') setSelected((s) => Math.max(0, s - 1));
    else if (key.downArrow || input === 'j') setSelected((s) => Math.min(n - 1, s + 1));
    else if (key.pageUp) setSelected((s) => Math.max(0, s - 10));
    else if (key.pageDown) setSelected((s) => Math.min(n - 1, s + 10));
    else if (key.home || input === 'g') setSelected(0);
    else if (key.end || input === 'G') setSelected(n - 1);
    else if (key.tab || input === 'v') {
      const d = key.shift ? -1 : 1;
      setView((v) => TRACE_VIEWS[(TRACE_VIEWS.indexOf(v) + d + TRACE_VIEWS.length) % TRACE_VIEWS.length]!);
    } else if (input === '1' || input === '2' || input === '3') setView(TRACE_VIEWS[Number(input) - 1]!);
    else if (input === 'f') setFull((f) => !f);
    else if (input === ']' || input === '[') setScroll((o) => scrollBy(o, scrollLimit.current, input === ']' ? SCROLL_STEP : -SCROLL_STEP));
  });

  if (n === 0) {
    return (
      <Box flexDirection="column">
        <Text color="red">{describeViolation(trace)} The trace has no states.</Text>
        <Footer exitCode={props.exitCode} />
      </Box>
    );
  }

  const step = trace.trace[selected]!;
  // Header (2 lines) + panes + footer (1 line), one row short of the screen so Ink never scrolls.
  const paneH = Math.max(6, rows - 4);
  const contentH = paneH - 2;
  // The step list is as wide as its longest action (within limits); the state gets the rest.
  const longest = Math.max(...trace.trace.map((s) => s.action.length));
  const listW = Math.max(24, Math.min(longest + 9, Math.round(columns * 0.45), 60));
  const rightW = columns - listW;
  const contentW = rightW - 4;
  const title = `State ${step.index}/${n}: ${step.action}${step.discarded ? ' (discarded by the ACTION_CONSTRAINT; checked)' : ''}`;
  const shown = view === 'state' ? stateLines(trace, selected, full, contentW) : [];
  scrollLimit.current = maxScroll(shown.length, contentH - 1);

  return (
    <Box flexDirection="column" width={columns}>
      <Box>
        <Text color="red" bold>
          {'✘ '}
          {describeViolation(trace)}
        </Text>
        <Text dimColor wrap="truncate-end">
          {` ${trace.model}${trace.spec ? ` · ${trace.spec}` : ''} · ${n} state${n === 1 ? '' : 's'}`}
        </Text>
      </Box>
      <Tabs view={view} full={full} />
      {view === 'messages' ? (
        <Box borderStyle="round" borderColor="gray" height={paneH} paddingX={1} flexDirection="column">
          <MessageChart trace={trace} selected={selected} width={columns - 4} height={contentH} />
        </Box>
      ) : (
        <Box height={paneH}>
          <Box borderStyle="round" borderColor="gray" width={listW} height={paneH} flexDirection="column">
            <StepList trace={trace} selected={selected} width={listW - 2} height={contentH} />
          </Box>
          <Box borderStyle="round" borderColor="cyan" width={rightW} height={paneH} paddingX={1} flexDirection="column">
            <Lines lines={[[seg(truncate(title, contentW), { bold: true })]]} />
            {view === 'state' ? (
              <Lines lines={clip(shown, contentH - 1, scroll)} />
            ) : (
              <NodesPane trace={trace} step={selected} width={contentW} height={contentH - 1} />
            )}
          </Box>
        </Box>
      )}
      <Footer exitCode={props.exitCode} />
    </Box>
  );
}
