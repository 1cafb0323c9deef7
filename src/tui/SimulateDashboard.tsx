// The live `quorum simulate` screen: walks, steps, distinct states, the steps/s chart, the violation
// being shrunk and the seeds running on each worker.
import { Box, Text } from 'ink';
import type { SimulationInfo } from '../simulate/results.js';
import type { RunningSeed } from '../simulate/index.js';
import type { WalkSettings } from '../simulate/search.js';
import { Stat } from './Dashboard.js';
import { summaryStatus, type DashboardSummary } from './dashboard-state.js';
import { duration, fit, num } from './format.js';
import { liveTotals, type SimulateDashboardState } from './simulate-dashboard-state.js';
import { Sparkline } from './Sparkline.js';

export interface SimulateDashboardMeta {
  readonly spec: string;
  readonly workers: number;
  readonly settings: WalkSettings;
  readonly firstSeed: number;
  readonly lastSeed?: number;
  readonly timeLimitMs?: number;
}

/** The final numbers: a SimulateReport fits. */
export interface SimulateDashboardSummary extends DashboardSummary {
  readonly simulation: Pick<SimulationInfo, 'walks' | 'steps' | 'deepest' | 'seedsDone' | 'seed' | 'originalLength' | 'shrunkLength' | 'shrinks'>;
}

export interface SimulateDashboardProps {
  readonly meta: SimulateDashboardMeta;
  readonly state: SimulateDashboardState;
  readonly summary?: SimulateDashboardSummary;
  readonly columns?: number;
  /** Terminal height: the list of running seeds is cut to fit. */
  readonly rows?: number;
}

function settingsLine(m: SimulateDashboardMeta): string {
  const s = m.settings;
  const seeds = m.lastSeed !== undefined ? `seeds ${m.firstSeed}..${m.lastSeed}` : `seeds from ${m.firstSeed}`;
  const parts = [`depth ${s.depth}`, `${num(s.walks)} walks per seed`, s.swarm ? (s.weighted ? 'weighted swarm' : 'swarm') : 'no swarm', `balance ${s.balance}`];
  if (s.novelty) parts.push('novelty');
  parts.push(seeds);
  if (m.timeLimitMs !== undefined) parts.push(`time limit ${duration(m.timeLimitMs)}`);
  return parts.join(' · ');
}

function StatusBadge(props: { meta: SimulateDashboardMeta; state: SimulateDashboardState; summary?: SimulateDashboardSummary }) {
  const s = props.summary;
  if (!s) {
    if (props.state.stopping) return <Text color="yellow">■ stopping (Ctrl-C again to quit at once)</Text>;
    const f = props.state.progress?.finding;
    if (f?.shrinking) return <Text color="magenta">◐ shrinking a violation</Text>;
    if (f) return <Text color="magenta">◐ violation found; waiting for lower seeds</Text>;
    // The seeds running when the time is up still finish (and count).
    const limit = props.meta.timeLimitMs;
    if (limit !== undefined && (props.state.progress?.elapsedMs ?? 0) >= limit) return <Text color="yellow">◑ time limit reached: finishing the seeds running</Text>;
    return <Text color="cyan">● walking</Text>;
  }
  switch (summaryStatus(s)) {
    case 'ok':
      return <Text color="green">✔ done: no violation</Text>;
    case 'violation':
      return <Text color="red">✘ violation{s.violation ? `: ${s.violation.kind} ${s.violation.name}` : ''}</Text>;
    case 'interrupted':
      return <Text color="yellow">■ interrupted</Text>;
    default:
      return <Text color="red">✘ stopped: {s.error ? `${s.error.code}` : 'error'}</Text>;
  }
}

/** The violation line: live while shrinking, final once the run is over. */
function violationLine(state: SimulateDashboardState, summary?: SimulateDashboardSummary): { text: string; color: string } | null {
  if (summary) {
    const v = summary.violation;
    const sim = summary.simulation;
    if (!v || sim.seed === null || sim.seed === undefined) return null;
    return { color: 'red', text: `Violation of ${v.kind} ${v.name}, seed ${sim.seed}: shrunk from ${sim.originalLength} to ${sim.shrunkLength} states (${num(sim.shrinks ?? 0)} shrinks)` };
  }
  const f = state.progress?.finding;
  if (!f) return null;
  if (f.shrinking) return { color: 'magenta', text: `Violation of ${f.kind} ${f.name}, seed ${f.seed}: shrinking, ${f.originalLength} → ${f.length} states so far (${num(f.shrinks)} shrinks)` };
  return { color: 'red', text: `Violation of ${f.kind} ${f.name}, seed ${f.seed}: shrunk from ${f.originalLength} to ${f.length} states (${num(f.shrinks)} shrinks)` };
}

function seedStatus(r: RunningSeed): string {
  if (r.shrinking) return `shrinking ${r.shrinking.kind} ${r.shrinking.name}: ${r.shrinking.originalLength} → ${r.shrinking.length} states (${num(r.shrinking.tries)} tries)`;
  return 'walking';
}

function RunningSeeds(props: { running: readonly RunningSeed[]; walksPerSeed: number; maxRows: number; columns: number }) {
  const shown = props.running.slice(0, Math.max(1, props.maxRows - 1));
  const hidden = props.running.length - shown.length;
  const walksW = Math.max(5, String(props.walksPerSeed).length * 2 + 1);
  // The columns before the status, and the dashboard's padding.
  const statusW = Math.max(10, props.columns - (12 + 8 + walksW + 12 + 9 + 3) - 3);
  return (
    <Box flexDirection="column">
      <Text bold>
        {fit('Seed', 12)}
        {fit('Worker', 8)}
        {'Walks'.padStart(walksW)}
        {'Steps'.padStart(12)}
        {'Time'.padStart(9)}
        {'   Status'}
      </Text>
      {shown.length === 0 ? <Text dimColor>(no seed running)</Text> : null}
      {shown.map((r) => (
        <Text key={r.seed} color={r.shrinking ? 'magenta' : undefined} wrap="truncate-end">
          {fit(String(r.seed), 12)}
          {fit(r.worker === null ? '…' : r.worker === 0 ? 'main' : String(r.worker), 8)}
          {`${r.walks}/${props.walksPerSeed}`.padStart(walksW)}
          {num(r.steps).padStart(12)}
          {duration(r.elapsedMs).padStart(9)}
          {'   '}
          {fit(seedStatus(r), statusW).trimEnd()}
        </Text>
      ))}
      {hidden > 0 ? <Text dimColor>{`… and ${hidden} more seed${hidden === 1 ? '' : 's'}`}</Text> : null}
    </Box>
  );
}

export function SimulateDashboard(props: SimulateDashboardProps) {
  const { meta, state, summary } = props;
  const p = state.progress;
  const columns = props.columns ?? 100;
  const live = p ? liveTotals(p) : { walks: 0, steps: 0, deepest: 0 };
  const sim = summary?.simulation;
  const elapsedMs = summary?.elapsedMs ?? p?.elapsedMs ?? 0;
  const walks = sim?.walks ?? live.walks;
  const steps = sim?.steps ?? live.steps;
  const deepest = sim?.deepest ?? live.deepest;
  const distinct = summary?.distinctStates ?? p?.distinctStates ?? 0;
  const workers = summary?.workers ?? p?.workers ?? meta.workers;
  const seedsDone = summary ? (sim?.seedsDone ? sim.seedsDone[1] - sim.seedsDone[0] + 1 : 0) : (p?.seeds ?? 0);
  const secs = Math.max(elapsedMs / 1000, 1e-3);
  const rate = summary ? steps / secs : (state.rates.at(-1) ?? 0);
  const peak = Math.max(0, ...state.rates);
  const chartW = Math.max(10, Math.min(60, columns - 40));
  const running = summary ? [] : (p?.running ?? []);
  const violation = violationLine(state, summary);
  return (
    <Box flexDirection="column" paddingX={1}>
      <Box>
        <Text bold>quorum simulate </Text>
        <Text color="cyan">{meta.spec}</Text>
        {summary?.model ? <Text dimColor> · model {summary.model}</Text> : null}
        <Text>{'   '}</Text>
        <StatusBadge meta={meta} state={state} summary={summary} />
      </Box>
      <Text dimColor wrap="truncate-end">
        {settingsLine(meta)}
      </Text>
      <Box marginTop={1} flexDirection="column">
        <Box>
          <Stat label="Elapsed" value={duration(elapsedMs)} />
          <Text>{'   '}</Text>
          <Stat label={summary ? 'Seeds complete' : 'Seeds done'} value={num(seedsDone)} />
        </Box>
        <Box>
          <Stat label="Walks" value={num(walks)} />
          <Text>{'   '}</Text>
          <Stat label="Workers" value={workers === 0 ? '0 (main)' : num(workers)} />
        </Box>
        <Box>
          <Stat label="Steps" value={num(steps)} />
          <Text>{'   '}</Text>
          <Stat label="Deepest walk" value={`${num(deepest)} / ${num(meta.settings.depth)}`} />
        </Box>
        <Box>
          <Stat label="Distinct states" value={num(distinct)} color="green" />
          <Text>{'   '}</Text>
          <Stat label={summary ? 'Steps/s (avg)' : 'Steps/s'} value={num(rate)} color="cyan" />
        </Box>
      </Box>
      <Box marginTop={1}>
        <Text dimColor>{'steps/s  '}</Text>
        {state.rates.length > 0 ? (
          <Sparkline values={state.rates} width={chartW} />
        ) : (
          <Text dimColor>{summary ? '(the run ended before the first report)' : '(waiting for the first report)'}</Text>
        )}
        {state.rates.length > 0 ? <Text dimColor>{`  peak ${num(peak)}/s`}</Text> : null}
      </Box>
      {violation ? (
        <Box marginTop={1}>
          <Text color={violation.color} wrap="truncate-end">
            {violation.text}
          </Text>
        </Box>
      ) : null}
      {summary ? null : (
        <Box marginTop={1}>
          <RunningSeeds running={running} walksPerSeed={meta.settings.walks} maxRows={Math.max(3, (props.rows ?? 1000) - 15)} columns={columns} />
        </Box>
      )}
      {summary ? null : <Text dimColor>{'Distinct states count finished seeds; Ctrl-C stops the run and reports what ran.'}</Text>}
    </Box>
  );
}
