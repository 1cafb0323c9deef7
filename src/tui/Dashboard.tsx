// The live `quorum check` screen: counts, rate chart and per-action coverage.
import { Box, Text } from 'ink';
import type { ActionCoverage } from '../engine/explore.js';
import { constantsLine, propertiesLine } from '../cli/checked.js';
import { summaryStatus, type DashboardState, type DashboardSummary } from './dashboard-state.js';
import { duration, fit, num } from './format.js';
import { Sparkline } from './Sparkline.js';

export interface DashboardMeta {
  readonly spec: string;
  readonly model: string;
  readonly workers: number;
}

export interface DashboardProps {
  readonly meta: DashboardMeta;
  readonly state: DashboardState;
  /** Set once the run is over: the final numbers replace the live ones. */
  readonly summary?: DashboardSummary;
  readonly columns?: number;
  /** Terminal height: the coverage list is cut to fit. */
  readonly rows?: number;
}

/** A label and a right-aligned value (shared with the simulate dashboard). */
export function Stat(props: { label: string; value: string; color?: string }) {
  return (
    <Box width={34}>
      <Box width={19}>
        <Text dimColor>{props.label}</Text>
      </Box>
      <Box width={14} justifyContent="flex-end">
        <Text bold color={props.color}>
          {props.value}
        </Text>
      </Box>
    </Box>
  );
}

function StatusBadge(props: { summary?: DashboardSummary }) {
  const s = props.summary;
  if (!s) return <Text color="cyan">● running</Text>;
  switch (summaryStatus(s)) {
    case 'ok':
      return <Text color="green">✔ done: no violation</Text>;
    case 'violation':
      return <Text color="red">✘ violation{s.violation ? `: ${s.violation.kind} ${s.violation.name}` : ''}</Text>;
    case 'interrupted':
      return <Text color="yellow">■ interrupted</Text>;
    case 'bounded':
      return <Text color="yellow">■ stopped at a bound{s.bound?.flag ? `: ${s.bound.flag}` : ''}</Text>;
    default:
      return <Text color="red">✘ stopped: {s.error ? `${s.error.code}` : 'error'}</Text>;
  }
}

/**
 * `finished`: the run is over; `complete`: it explored every reachable state, so an action that did
 * not fire can never fire (usually a broken guard). A run stopped by a violation or Ctrl-C proves less.
 */
function Coverage(props: { coverage: readonly ActionCoverage[]; finished: boolean; complete: boolean; maxRows: number }) {
  const nameW = Math.max(16, Math.min(40, ...props.coverage.map((c) => c.action.length + 2)));
  // On a short terminal, list the actions that never fired first and say how many were left out.
  let shown = props.coverage;
  let hidden = 0;
  if (shown.length > props.maxRows) {
    const limit = Math.max(1, props.maxRows - 1);
    shown = [...shown.filter((c) => c.fired === 0), ...shown.filter((c) => c.fired > 0)].slice(0, limit);
    hidden = props.coverage.length - shown.length;
  }
  return (
    <Box flexDirection="column">
      <Text bold>
        {fit('Action coverage', nameW)}
        {'fired'.padStart(14)}
        {'distinct'.padStart(14)}
      </Text>
      {props.coverage.length === 0 ? <Text dimColor>(no actions reported yet)</Text> : null}
      {shown.map((c) => {
        const idle = c.fired === 0;
        const color = props.complete ? 'red' : 'yellow';
        return (
          <Box key={c.action}>
            <Text color={idle ? color : undefined} bold={idle && props.complete}>
              {fit(c.action, nameW)}
              {num(c.fired).padStart(14)}
              {num(c.distinct).padStart(14)}
            </Text>
            {idle ? (
              <Text color={color} bold={props.complete}>
                {props.complete ? '   ⚠ never fired' : props.finished ? '   did not fire' : '   not fired yet'}
              </Text>
            ) : c.distinct === 0 ? (
              <Text dimColor>{'   no new states'}</Text>
            ) : null}
          </Box>
        );
      })}
      {hidden > 0 ? <Text dimColor>{`… and ${hidden} more action${hidden === 1 ? '' : 's'}`}</Text> : null}
    </Box>
  );
}

export function Dashboard(props: DashboardProps) {
  const { meta, state, summary } = props;
  const p = state.progress;
  const columns = props.columns ?? 100;
  const elapsedMs = summary?.elapsedMs ?? p?.elapsedMs ?? 0;
  const distinct = summary?.distinctStates ?? p?.distinctStates ?? 0;
  const generated = summary?.statesGenerated ?? p?.statesGenerated ?? 0;
  const depth = summary?.depth ?? p?.depth ?? 0;
  const queue = summary ? (summary.queue ?? 0) : (p?.queue ?? 0);
  const workers = summary?.workers ?? p?.workers ?? meta.workers;
  const coverage = summary?.coverage ?? p?.coverage ?? [];
  const model = meta.model || summary?.model || '';
  // Live: the rate of the last interval; at the end: the average over the run.
  const secs = Math.max(elapsedMs / 1000, 1e-3);
  const rate = summary ? distinct / secs : (state.rates.at(-1) ?? 0);
  const genRate = summary ? generated / secs : state.generatedRate;
  const peak = Math.max(0, ...state.rates);
  const chartW = Math.max(10, Math.min(60, columns - 40));
  return (
    <Box flexDirection="column" paddingX={1}>
      <Box>
        <Text bold>quorum check </Text>
        <Text color="cyan">{meta.spec}</Text>
        {model ? <Text dimColor> · model {model}</Text> : null}
        <Text>{'   '}</Text>
        <StatusBadge summary={summary} />
      </Box>
      {summary?.checked ? (
        <Box flexDirection="column">
          <Text dimColor wrap="truncate-end">{`Checked: ${propertiesLine(summary.checked)}`}</Text>
          <Text dimColor wrap="truncate-end">{`Constants: ${constantsLine(summary.checked)}`}</Text>
        </Box>
      ) : null}
      <Box marginTop={1} flexDirection="column">
        <Box>
          <Stat label="Elapsed" value={duration(elapsedMs)} />
          <Text>{'   '}</Text>
          <Stat label="Depth" value={num(depth)} />
        </Box>
        <Box>
          <Stat label="Distinct states" value={num(distinct)} color="green" />
          <Text>{'   '}</Text>
          <Stat label="Queue" value={num(queue)} />
        </Box>
        <Box>
          <Stat label="States generated" value={num(generated)} />
          <Text>{'   '}</Text>
          <Stat label="Workers" value={workers === 0 ? '0 (main)' : num(workers)} />
        </Box>
        <Box>
          <Stat label={summary ? 'Distinct/s (avg)' : 'Distinct states/s'} value={num(rate)} color="cyan" />
          <Text>{'   '}</Text>
          <Stat label={summary ? 'Generated/s (avg)' : 'Generated/s'} value={num(genRate)} />
        </Box>
      </Box>
      <Box marginTop={1}>
        <Text dimColor>{'distinct states/s  '}</Text>
        {state.rates.length > 0 ? (
          <Sparkline values={state.rates} width={chartW} />
        ) : (
          <Text dimColor>{summary ? '(the run ended before the first report)' : '(waiting for the first report)'}</Text>
        )}
        {state.rates.length > 0 ? <Text dimColor>{`  peak ${num(peak)}/s`}</Text> : null}
      </Box>
      <Box marginTop={1}>
        <Coverage coverage={coverage} finished={summary !== undefined} complete={summary !== undefined && summaryStatus(summary) === 'ok'} maxRows={Math.max(3, (props.rows ?? 1000) - (summary?.checked ? 15 : 13))} />
      </Box>
    </Box>
  );
}
