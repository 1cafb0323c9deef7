// The interactive explorer: walk a model's state space by hand, one enabled action at a time.
// Nothing is explored up front: only the successors of the current state are computed, so it stays
// responsive on models far too large to check.
import { Box, Text } from 'ink';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { CompiledModel } from '../engine/compiled-model.js';
import type { TraceFile } from '../trace/trace-file.js';
import { goalText, invariantStatuses, previewOf, stateVars, statusOf, statusText, type Successor, type SuccessorStatus } from './explorer-core.js';
import { ExplorerSession, type Entry } from './explorer-session.js';
import { centredWindow, fit, num, truncate } from './format.js';
import { Keys, Lines, seg, type Line } from './segments.js';
import { clip, fullStateLines, maxScroll, SCROLL_STEP, scrollBy } from './state-lines.js';
import { useKeys, useTerminalSize } from './terminal.js';

export interface ExplorerProps {
  readonly model: CompiledModel<unknown>;
  readonly specName: string;
  readonly onQuit: () => void;
  /** For `r` (tests pass a fixed one). */
  readonly random?: () => number;
  /** Distinct states a `/` search may visit. */
  readonly searchBudget?: number;
  /** Writes the path walked (`w`) as a trace file and says where. */
  readonly save?: (trace: TraceFile) => string;
  readonly constants?: Record<string, unknown>;
  readonly columns?: number;
  readonly rows?: number;
}

const STATUS_COLOR: Record<SuccessorStatus, string | undefined> = {
  new: 'green',
  visited: 'gray',
  outside: 'yellow',
  excluded: 'yellow',
  violates: 'red',
};

function actionRows(succs: readonly Successor<unknown>[], visited: ReadonlySet<bigint>, cursor: number, width: number, height: number, checkDeadlock: boolean): Line[] {
  if (succs.length === 0) {
    return [checkDeadlock ? [seg('No enabled actions: this state is a deadlock.', { color: 'red', bold: true })] : [seg('No enabled actions (deadlock checking is off).', { color: 'yellow' })]];
  }
  const labelW = Math.min(Math.max(...succs.map((s) => s.label.length)), Math.max(12, Math.floor(width * 0.4)));
  const statuses = succs.map((s) => statusOf(s, visited));
  const texts = succs.map((s, i) => statusText(s, statuses[i]!));
  const statusW = Math.min(Math.max(...texts.map((t) => t.length)), 24);
  const start = centredWindow(succs.length, height, cursor);
  const out: Line[] = [];
  for (let i = start; i < Math.min(succs.length, start + height); i++) {
    const s = succs[i]!;
    const sel = i === cursor;
    const previewW = Math.max(0, width - 2 - labelW - 2 - statusW - 2);
    out.push([
      seg(sel ? '▸ ' : '  ', { color: 'cyan', bold: true }),
      seg(fit(s.label, labelW), sel ? { inverse: true, bold: true } : { bold: true }),
      seg('  '),
      seg(fit(texts[i]!, statusW), { color: STATUS_COLOR[statuses[i]!], bold: statuses[i] === 'violates' }),
      seg('  '),
      seg(truncate(previewOf(s), previewW), { dim: !sel }),
    ]);
  }
  return out;
}

function pathText(history: readonly Entry[], width: number): string {
  const labels = history.map((e) => e.label ?? 'Init');
  let text = labels.join(' → ');
  if (text.length <= width) return text;
  // Keep the end of the path, which is where the user is.
  for (let i = 2; i < labels.length; i++) {
    text = `${labels[0]} → … ${i - 1} step${i === 2 ? '' : 's'} … → ${labels.slice(i).join(' → ')}`;
    if (text.length <= width) return text;
  }
  return truncate(text, width);
}

export function Explorer(props: ExplorerProps) {
  const { model } = props;
  const { columns, rows } = useTerminalSize(props.columns, props.rows);
  const show = (v: unknown) => model.showValue(v);
  const [session] = useState(() => new ExplorerSession(model, { random: props.random, searchBudget: props.searchBudget, save: props.save, spec: props.specName, constants: props.constants }));
  const [, setVersion] = useState(0);
  const refresh = () => setVersion((v) => v + 1);
  const mounted = useRef(true);
  useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );

  // A search runs in short slices between keypresses and renders; Esc cancels it.
  const runSearch = () => {
    const search = session.search;
    const tick = () => {
      if (!mounted.current || session.search !== search) return;
      const more = session.tickSearch(25);
      refresh();
      if (more) setImmediate(tick);
    };
    setImmediate(tick);
  };

  // The state pane's scroll offset, clamped to what the current state needs (known at render).
  const [scroll, setScroll] = useState(0);
  const scrollLimit = useRef(0);

  useKeys((input, key) => {
    if (session.mode === 'main' && !session.picking && (input === ']' || input === '[')) {
      setScroll((o) => scrollBy(o, scrollLimit.current, input === ']' ? SCROLL_STEP : -SCROLL_STEP));
      return;
    }
    const r = session.key(input, key);
    refresh();
    if (r === 'quit') props.onQuit();
    else if (r === 'search') runSearch();
  });

  const { history, visited, cursor, mode, prompt, message, showInvariants, targets } = session;
  const current = session.current;
  const enabled = session.enabled();
  const searchStats = session.searchStats;
  const search = session.search;

  const paneH = Math.max(6, rows - 5);
  const contentH = paneH - 2;
  const leftW = Math.max(40, Math.round(columns * 0.62));
  const rightW = columns - leftW;

  const header = (
    <Box>
      <Text bold>quorum explore </Text>
      <Text color="cyan">{props.specName}</Text>
      <Text dimColor wrap="truncate-end">
        {` · ${model.definition.name}`}
        {current ? ` · step ${history.length - 1} · ${num(visited.size)} state${visited.size === 1 ? '' : 's'} visited` : ''}
      </Text>
    </Box>
  );

  if (session.picking) {
    const inits = model.init;
    const start = centredWindow(inits.length, contentH - 1, cursor);
    const lines: Line[] = [[seg(`Choose an initial state (${inits.length}):`, { bold: true })]];
    if (inits.length === 0) lines.push([seg('The model has no initial states.', { color: 'red' })]);
    for (let i = start; i < Math.min(inits.length, start + contentH - 1); i++) {
      const vars = stateVars(inits[i], show);
      const text = Object.entries(vars).map(([k, v]) => `${k} = ${v}`).join('; ');
      const sel = i === cursor;
      lines.push([seg(sel ? '▸ ' : '  ', { color: 'cyan' }), seg(truncate(`${i + 1}. ${text}`, columns - 6), sel ? { inverse: true } : {})]);
    }
    return (
      <Box flexDirection="column" width={columns}>
        {header}
        <Text> </Text>
        <Box borderStyle="round" borderColor="cyan" height={paneH} paddingX={1} flexDirection="column">
          <Lines lines={lines} />
        </Box>
        <Text> </Text>
        <Keys keys={[['↑↓', 'choose'], ['Enter', 'start here'], ['q', 'quit']]} />
      </Box>
    );
  }

  const cur = current!;
  const violated = model.violatedInvariant(cur.state);
  const stateTitle: Line[] = [[seg(truncate(`State after ${cur.label ?? 'Init'}`, rightW - 4), { bold: true })]];
  if (violated) stateTitle.push([seg(`✘ violates ${violated}`, { color: 'red', bold: true })]);
  else if (!model.satisfiesConstraints(cur.state)) stateTitle.push([seg('outside the constraint', { color: 'yellow' })]);

  let rightLines: Line[];
  if (showInvariants) {
    const inv = invariantStatuses(model, cur.state);
    rightLines = [
      [seg('Invariants in this state', { bold: true })],
      ...(inv.length === 0 ? [[seg('The model defines no invariants.', { dim: true })]] : []),
      ...inv.map((x): Line => [
        seg(x.holds ? '✔ ' : '✘ ', { color: x.holds ? 'green' : 'red', bold: true }),
        seg(x.name, { bold: true, color: x.holds ? undefined : 'red' }),
        seg(x.selected ? '  (in the spec)' : '  (not in the spec)', { dim: true }),
        ...(x.error ? [seg(`  threw: ${x.error}`, { color: 'red' })] : []),
      ]),
    ];
  } else {
    rightLines = [...stateTitle, ...fullStateLines(stateVars(cur.state, show), cur.changes, rightW - 4, { showChanges: false })];
  }
  scrollLimit.current = maxScroll(rightLines.length, contentH);

  let bottom: ReactNode;
  if (mode === 'prompt') {
    const matches = targets.filter((t) => t.toLowerCase().startsWith(prompt.toLowerCase()));
    bottom = (
      <Text wrap="truncate-end">
        <Text color="cyan" bold>
          /{' '}
        </Text>
        <Text>Search for: </Text>
        <Text bold>{prompt}</Text>
        <Text inverse> </Text>
        <Text dimColor>{`   ${prompt ? '' : `Enter: ${targets[0] ?? '(none)'} · `}${(matches.length ? matches : targets).join(', ')} · then a budget (default ${num(session.budget())}) · Tab completes · Esc cancels`}</Text>
      </Text>
    );
  } else if (mode === 'search' && searchStats) {
    bottom = (
      <Text color="cyan" wrap="truncate-end">
        {`Searching for ${search ? goalText(search.goal) : ''}: ${num(searchStats.distinct)}/${num(search?.budget ?? 0)} states, depth ${searchStats.depth}, queue ${num(searchStats.queue)} · Esc cancels`}
      </Text>
    );
  } else if (enabled.error) {
    bottom = (
      <Text color="red" wrap="truncate-end">
        {enabled.error}
      </Text>
    );
  } else if (message) {
    bottom = (
      <Text color={message.color} wrap="truncate-end">
        {message.text}
      </Text>
    );
  } else {
    bottom = <Text> </Text>;
  }

  return (
    <Box flexDirection="column" width={columns}>
      {header}
      <Text dimColor wrap="truncate-end">
        {`Path: ${pathText(history, columns - 7)}`}
      </Text>
      <Box height={paneH}>
        <Box borderStyle="round" borderColor="cyan" width={leftW} height={paneH} paddingX={1} flexDirection="column">
          <Text bold>{`Enabled actions (${enabled.succs.length})`}</Text>
          <Lines lines={actionRows(enabled.succs, visited, cursor, leftW - 4, contentH - 1, model.checkDeadlock)} />
        </Box>
        <Box borderStyle="round" borderColor="gray" width={rightW} height={paneH} paddingX={1} flexDirection="column">
          <Lines lines={clip(rightLines, contentH, scroll)} />
        </Box>
      </Box>
      {bottom}
      <Keys
        keys={[
          ['↑↓', 'select'],
          ['Enter', 'step'],
          ['Backspace', 'back'],
          ['r', 'random'],
          ['i', showInvariants ? 'state' : 'invariants'],
          ['/', 'search'],
          ['w', 'save path'],
          ['q', 'quit'],
          ['[ ]', 'scroll state'],
        ]}
      />
    </Box>
  );
}


