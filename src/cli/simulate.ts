// `quorum simulate`: random walks with shrunk counterexamples. Output follows `check`: the same trace
// text and trace file, the same --json fields where they apply, plus a `simulation` object.
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultWorkers } from '../engine/pool.js';
import type { CfgValue } from '../model/constants.js';
import { QuorumError } from '../model/errors.js';
import { parseConstantOverride } from '../spec/cfg.js';
import { simulateSpec, type SimulateProgress, type SimulateResult } from '../simulate/index.js';
import { resultRecord, writeResultFile, type SimulationInfo } from '../simulate/results.js';
import type { WalkSettings } from '../simulate/search.js';
import { buildTraceFile, type TraceFile } from '../trace/trace-file.js';
import { toPlain } from '../trace/show.js';
import { describeViolation, renderTraceText } from '../trace/render-text.js';
import { emptyReport, matches, type RunReport } from './check.js';
import { EXIT, exitCodeForError } from './exit-codes.js';
import { duration, n, paint } from './format.js';

export const SIMULATE_USAGE = `Options for simulate (also -w, -c, --json, --full, --expect, --out, --no-trace-file, --progress, --plain, --debug):
      --depth N          states per walk at most (default 100)
      --walks N          walks per seed (default 100)
      --seed S           the first seed (default: random, printed)
      --seeds A..B       run exactly the seeds A to B (for a batch of runs; see quorum merge)
      --time SECONDS     stop after this long without a violation (default 60; none with --seeds)
      --path P           with --seed: replay the walk fast-check names by this path
      --no-swarm         every walk takes every action (default: each walk a random half of them)
      --swarm-weights    swarm by weights: each walk weighs each action by a random factor from 1/16 to 16
      --novelty          prefer successors the seed has not seen yet
      --explore          Go-Explore on new pairs of per-variable values and new cells of slow variables (deep bugs)
      --finish           with --explore: after each walk, a small breadth-first search from an archived state
      --width K          instead of walks, one breadth-first search keeping only states in which some K (1 or 2)
                         variables hold values together for the first time (short counterexamples, no wasted steps)
      --width-by VARS    with --width: count that novelty separately for each value of these variables (a,b)
      --balance action|successor   share each choice between enabled actions (default) or successors
      --result FILE      write a mergeable result (seeds run, counterexample) to FILE`;

/** The --json summary of a simulation: check's RunReport plus what only a simulation has. */
export interface SimulateReport extends RunReport {
  simulation: SimulationInfo;
}

function out(s: string): void {
  process.stdout.write(s + '\n');
}
function err(s: string): void {
  process.stderr.write(s + '\n');
}

function whole(name: string, v: string | undefined, dflt: number, min: number): number {
  if (v === undefined) return dflt;
  const x = Number(v);
  if (!Number.isSafeInteger(x) || x < min) throw new QuorumError('USAGE', `--${name} takes a whole number of at least ${min}, got '${v}'`, `--${name}`);
  return x;
}

function stamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-').replace(/Z$/, '');
}

function progressText(p: SimulateProgress, prev?: SimulateProgress): string {
  const dt = Math.max(1e-3, (p.elapsedMs - (prev?.elapsedMs ?? 0)) / 1000);
  const rate = Math.round((p.steps - (prev?.steps ?? 0)) / dt);
  return `Simulation at ${duration(p.elapsedMs)}: ${n(p.walks)} walks, ${n(p.steps)} steps (${n(rate)} steps/s), ${n(p.distinctStates)} distinct states seen, deepest walk ${p.deepest} states.`;
}

export interface SimulateFlags {
  readonly workers: number;
  readonly overrides: { name: string; value: CfgValue }[];
  readonly settings: WalkSettings;
  readonly firstSeed: number;
  readonly lastSeed?: number;
  readonly timeLimitMs?: number;
  readonly path?: string;
  readonly json: boolean;
  readonly full: boolean;
  readonly expect: boolean;
  readonly outDir: string;
  readonly writeTrace: boolean;
  readonly progressMs: number;
  readonly debug: boolean;
  readonly plain: boolean;
  readonly resultFile?: string;
}

export function parseSimulateArgs(args: string[]): { flags: SimulateFlags; spec: string } {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      workers: { type: 'string', short: 'w' },
      const: { type: 'string', short: 'c', multiple: true },
      json: { type: 'boolean' },
      full: { type: 'boolean' },
      expect: { type: 'boolean' },
      out: { type: 'string' },
      'no-trace-file': { type: 'boolean' },
      progress: { type: 'string' },
      plain: { type: 'boolean' },
      debug: { type: 'boolean' },
      depth: { type: 'string' },
      walks: { type: 'string' },
      seed: { type: 'string' },
      seeds: { type: 'string' },
      time: { type: 'string' },
      path: { type: 'string' },
      'no-swarm': { type: 'boolean' },
      novelty: { type: 'boolean' },
      explore: { type: 'boolean' },
      finish: { type: 'boolean' },
      width: { type: 'string' },
      'width-by': { type: 'string' },
      'swarm-weights': { type: 'boolean' },
      balance: { type: 'string' },
      result: { type: 'string' },
    },
  });
  if (positionals.length !== 1) throw new QuorumError('USAGE', 'simulate takes one spec file: quorum simulate specs/paxos-naive.cfg', 'simulate');
  const workers = whole('workers', values.workers, defaultWorkers(), 0);
  if (workers > 256) throw new QuorumError('USAGE', `--workers takes a whole number from 0 to 256, got '${values.workers}'`, '--workers');
  const balance = values.balance ?? 'action';
  if (balance !== 'action' && balance !== 'successor') throw new QuorumError('USAGE', `--balance takes action or successor, got '${balance}'`, '--balance');
  let firstSeed: number;
  let lastSeed: number | undefined;
  if (values.seeds !== undefined) {
    const m = /^(-?\d+)\.\.(-?\d+)$/.exec(values.seeds);
    if (!m || Number(m[1]) > Number(m[2])) throw new QuorumError('USAGE', `--seeds takes a range A..B with A <= B, got '${values.seeds}'`, '--seeds');
    if (values.seed !== undefined) throw new QuorumError('USAGE', 'give --seed or --seeds, not both', '--seeds');
    firstSeed = Number(m[1]);
    lastSeed = Number(m[2]);
  } else if (values.seed !== undefined) {
    firstSeed = Number(values.seed);
    if (!Number.isInteger(firstSeed) || Math.abs(firstSeed) > 0x7fffffff) throw new QuorumError('USAGE', `--seed takes a 32-bit whole number, got '${values.seed}'`, '--seed');
  } else {
    firstSeed = (Date.now() ^ (Math.random() * 0x100000000)) & 0x7fffffff;
  }
  if (values.finish && !values.explore) throw new QuorumError('USAGE', '--finish is a part of the explore search: give --explore too', '--finish');
  const width = values.width === undefined ? undefined : whole('width', values.width, 2, 1);
  if (width !== undefined && width > 2) throw new QuorumError('USAGE', `--width takes 1 or 2, got '${values.width}'`, '--width');
  if (values['width-by'] !== undefined && width === undefined) throw new QuorumError('USAGE', '--width-by is a part of the width search: give --width too', '--width-by');
  if (width !== undefined && (values.novelty || values.explore)) throw new QuorumError('USAGE', '--width is a search of its own: give it without --novelty or --explore', '--width');
  const widthBy = values['width-by'] === undefined ? undefined : values['width-by'].split(',').map((x) => x.trim()).filter((x) => x !== '');
  // The width search does not depend on the seed: one seed runs it (the seed drives only its shrinking).
  if (width !== undefined && lastSeed === undefined) lastSeed = firstSeed;
  if (values.path !== undefined && values.seed === undefined) throw new QuorumError('USAGE', '--path replays a walk of one seed: give --seed too', '--path');
  const timeSec = values.time === undefined ? (lastSeed === undefined ? 60 : undefined) : Number(values.time);
  if (timeSec !== undefined && !(timeSec > 0)) throw new QuorumError('USAGE', `--time takes a number of seconds, got '${values.time}'`, '--time');
  const progressSec = values.progress === undefined ? 3 : Number(values.progress);
  if (!(progressSec > 0)) throw new QuorumError('USAGE', `--progress takes a number of seconds, got '${values.progress}'`, '--progress');
  const flags: SimulateFlags = {
    workers,
    overrides: (values.const ?? []).map(parseConstantOverride),
    settings: {
      depth: whole('depth', values.depth, 100, 1),
      walks: whole('walks', values.walks, 100, 1),
      swarm: !values['no-swarm'],
      balance,
      ...(values.novelty ? { novelty: true } : {}),
      ...(values.explore ? { explore: true } : {}),
      ...(values.finish ? { finish: true } : {}),
      ...(width !== undefined ? { width } : {}),
      ...(widthBy !== undefined ? { widthBy } : {}),
      ...(values['swarm-weights'] ? { weighted: true } : {}),
    },
    firstSeed,
    lastSeed,
    timeLimitMs: timeSec === undefined ? undefined : timeSec * 1000,
    path: values.path,
    json: values.json ?? false,
    full: values.full ?? false,
    expect: values.expect ?? false,
    outDir: values.out ?? 'out',
    writeTrace: !values['no-trace-file'],
    progressMs: progressSec * 1000,
    debug: values.debug ?? false,
    plain: values.plain ?? false,
    resultFile: values.result,
  };
  return { flags, spec: positionals[0]! };
}

/** The command that replays a finding. */
export function replayCommand(spec: string, flags: SimulateFlags, seed: number, path: string): string {
  const s = flags.settings;
  const parts = ['quorum simulate', spec];
  for (const o of flags.overrides) parts.push(`--const '${o.name}=${typeof o.value === 'object' ? JSON.stringify(o.value) : String(o.value)}'`);
  if (s.depth !== 100) parts.push(`--depth ${s.depth}`);
  if (s.walks !== 100) parts.push(`--walks ${s.walks}`);
  if (!s.swarm) parts.push('--no-swarm');
  if (s.weighted) parts.push('--swarm-weights');
  if (s.balance !== 'action') parts.push(`--balance ${s.balance}`);
  if (s.novelty) parts.push('--novelty');
  if (s.explore) parts.push('--explore');
  if (s.finish) parts.push('--finish');
  if (s.width !== undefined) parts.push(`--width ${s.width}`);
  if (s.widthBy !== undefined) parts.push(`--width-by ${s.widthBy.join(',')}`);
  parts.push(`--seed ${seed}`, `--path ${path}`);
  return parts.join(' ');
}

export interface SimulateRun {
  report: SimulateReport;
  traceFile?: TraceFile;
  result?: SimulateResult;
}

export async function runSimulate(spec: string, flags: SimulateFlags, onProgress?: (p: SimulateProgress) => void, signal?: AbortSignal): Promise<SimulateRun> {
  const report: SimulateReport = {
    ...emptyReport(spec),
    workers: flags.path !== undefined ? 0 : flags.workers,
    simulation: {
      firstSeed: flags.firstSeed,
      lastSeed: flags.lastSeed ?? null,
      seedsDone: null,
      settings: flags.settings,
      walks: 0,
      steps: 0,
      deepest: 0,
      seed: null,
      path: null,
      originalLength: null,
      shrunkLength: null,
      removedByShrinking: null,
      shrinks: null,
      replay: null,
    },
  };
  let result: SimulateResult;
  try {
    result = await simulateSpec(spec, {
      workers: flags.workers,
      overrides: flags.overrides,
      settings: flags.settings,
      firstSeed: flags.firstSeed,
      lastSeed: flags.lastSeed,
      timeLimitMs: flags.timeLimitMs,
      path: flags.path,
      onProgress,
      progressIntervalMs: flags.progressMs,
      signal,
    });
  } catch (e) {
    const q = e instanceof QuorumError ? e : new QuorumError('INTERNAL', e instanceof Error ? e.message : String(e));
    report.error = { code: q.code, message: q.message, where: q.where };
    report.exitCode = exitCodeForError(q.code);
    if (!(e instanceof QuorumError)) (report as { stack?: string }).stack = e instanceof Error ? e.stack : undefined;
    return { report };
  }
  const st = result.stats;
  report.model = result.loaded.definition.name;
  report.distinctStates = st.distinctStates;
  report.statesGenerated = st.steps + st.walks;
  report.depth = st.deepest;
  report.elapsedMs = st.elapsedMs;
  report.distinctStatesPerSecond = Math.round(st.distinctStates / Math.max(st.elapsedMs / 1000, 1e-3));
  report.expect = result.loaded.spec.expect ?? null;
  report.interrupted = result.interrupted;
  const sim = report.simulation;
  sim.seedsDone = result.seedsDone;
  sim.walks = st.walks;
  sim.steps = st.steps;
  sim.deepest = st.deepest;
  let traceFile: TraceFile | undefined;
  const f = result.finding;
  if (f && f.violation.kind === 'error') {
    report.result = 'error';
    const e = f.violation.error!;
    report.error = { code: e.code, message: e.message, where: e.where };
    report.exitCode = exitCodeForError(e.code);
    Object.assign(sim, findingFields(spec, flags, f));
  } else if (f && result.trace) {
    const kind = f.violation.kind;
    const plain = result.trace.map((s) => ({ action: s.action, args: Object.fromEntries(Object.entries(s.args).map(([k, v]) => [k, toPlain(v)])), state: toPlain(s.state) }));
    report.result = 'violation';
    report.violation = { kind, name: f.violation.name, trace: plain };
    Object.assign(sim, findingFields(spec, flags, f));
    const base = buildTraceFile(result.compiled, { kind, name: f.violation.name }, result.trace, { spec, constants: result.loaded.constants });
    traceFile = { ...base, simulation: { seed: f.seed, path: f.path, settings: flags.settings, originalLength: f.originalLength, shrunkLength: f.violation.length, replay: sim.replay } } as TraceFile;
    if (flags.writeTrace) {
      mkdirSync(flags.outDir, { recursive: true });
      const file = join(flags.outDir, `${basename(spec).replace(/\.cfg$/, '')}-${kind}-${stamp()}.json`);
      writeFileSync(file, JSON.stringify(traceFile, null, 1) + '\n');
      report.traceFile = relative(process.cwd(), file) || file;
    }
    report.exitCode = EXIT.VIOLATION;
  } else if (result.status === 'ok' || (result.status === 'stopped' && !result.interrupted)) {
    // A time limit reached without a violation is a clean finish, as TLC's simulation mode ends.
    report.result = 'ok';
    report.exitCode = EXIT.OK;
  } else {
    report.result = 'error';
    report.error = { code: 'INTERRUPTED', message: 'interrupted; the counts are what was explored so far' };
    report.exitCode = EXIT.INTERRUPTED;
  }
  report.asExpected = report.expect ? matches(report, report.expect) : null;
  if (flags.resultFile) writeResultFile(flags.resultFile, resultRecord(report, traceFile));
  return { report, traceFile, result };
}

function findingFields(spec: string, flags: SimulateFlags, f: NonNullable<SimulateResult['finding']>): Partial<SimulateReport['simulation']> {
  return {
    seed: f.seed,
    path: f.path,
    originalLength: f.originalLength,
    shrunkLength: f.violation.length,
    removedByShrinking: f.originalLength - f.violation.length,
    shrinks: f.shrinks,
    replay: replayCommand(spec, flags, f.seed, f.path),
  };
}

export function simulationSummary(r: SimulateReport): string[] {
  const so = process.stdout;
  const lines: string[] = [];
  const sim = r.simulation;
  if (r.result === 'violation') lines.push(paint(so, 'red', `Error: ${describeViolation({ violation: r.violation! })}`));
  else if (r.result === 'ok') lines.push(paint(so, 'green', 'Simulation completed. No error has been found.'));
  else if (r.error) lines.push(paint(so, 'red', `Stopped: ${r.error.where ? `${r.error.where}: ` : ''}${r.error.message}`));
  if (r.model === null) return lines;
  const w = sim.settings.width;
  if (w !== undefined) {
    const by = sim.settings.widthBy?.length ? `, novelty by ${sim.settings.widthBy.join(', ')}` : '';
    lines.push(`  Width-${w} search${by}: ${n(sim.steps)} states expanded, ${n(r.distinctStates)} distinct states kept, ${sim.deepest} states deep (depth limit ${sim.settings.depth}).`);
  } else lines.push(`  ${n(sim.walks)} walks, ${n(sim.steps)} steps, ${n(r.distinctStates)} distinct states seen, deepest walk ${sim.deepest} states (depth limit ${sim.settings.depth}).`);
  const seeds = sim.seedsDone ? (sim.seedsDone[0] === sim.seedsDone[1] ? `seed ${sim.seedsDone[0]}` : `seeds ${sim.seedsDone[0]}..${sim.seedsDone[1]}`) : 'no seed';
  lines.push(
    `  Finished in ${duration(r.elapsedMs)} with ${r.workers === 0 ? 'no workers (main thread)' : `${r.workers} worker${r.workers === 1 ? '' : 's'}`}; ${seeds} complete` +
      (w !== undefined ? '.' : ` (${sim.settings.walks} walks each${sim.settings.swarm ? ', swarm' : ''}, balance ${sim.settings.balance}).`),
  );
  if (sim.seed !== null) {
    lines.push(`  Found by seed ${sim.seed}; shrunk from ${sim.originalLength} to ${sim.shrunkLength} states (${sim.removedByShrinking} removed, ${sim.shrinks} shrinks).`);
    lines.push(`  Replay: ${sim.replay}`);
  }
  return lines;
}

export async function simulateCommand(args: string[]): Promise<number> {
  const { flags, spec } = parseSimulateArgs(args);
  const ci = process.env.CI !== undefined && process.env.CI !== '0' && process.env.CI !== 'false';
  const tty = Boolean(process.stdout.isTTY && process.stdin.isTTY) && !ci && !flags.json && !flags.plain;
  // On a terminal a live dashboard, as check's (a replay of one --path is too quick for one).
  let dashboard: import('../tui/index.js').SimulateDashboardHandle | undefined;
  if (tty && flags.path === undefined) {
    try {
      const tui = await import('../tui/index.js');
      dashboard = tui.startSimulateDashboard({ spec, workers: flags.workers, settings: flags.settings, firstSeed: flags.firstSeed, lastSeed: flags.lastSeed, timeLimitMs: flags.timeLimitMs });
    } catch (e) {
      if (flags.debug) err(`quorum: no dashboard (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  const abort = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts > 1) process.exit(EXIT.INTERRUPTED);
    // The dashboard shows the interruption itself.
    if (dashboard) dashboard.interrupt();
    else if (!flags.json) err('\nquorum: interrupted; stopping the walks (Ctrl-C again to quit at once)');
    abort.abort();
  };
  process.on('SIGINT', onSigint);
  if (!flags.json && !dashboard) {
    const w = flags.path !== undefined ? 0 : flags.workers;
    err(`quorum: simulating ${spec} with ${w === 0 ? 'no workers' : `${w} worker${w === 1 ? '' : 's'}`}, ${flags.lastSeed !== undefined ? `seeds ${flags.firstSeed}..${flags.lastSeed}` : `seed ${flags.firstSeed}`}`);
  }
  let prev: SimulateProgress | undefined;
  const onProgress = dashboard
    ? (p: SimulateProgress) => dashboard.update(p)
    : flags.json
      ? undefined
      : (p: SimulateProgress) => {
          err(progressText(p, prev));
          prev = p;
        };
  let run: SimulateRun;
  try {
    run = await runSimulate(spec, dashboard ? { ...flags, progressMs: 250 } : flags, onProgress, abort.signal);
  } finally {
    process.off('SIGINT', onSigint);
  }
  const r = run.report;
  if (dashboard) await dashboard.finish(r);
  if (flags.json) {
    out(JSON.stringify(r));
  } else {
    if (r.error && r.result === 'error' && r.error.code !== 'INTERRUPTED') {
      err(`quorum: ${r.error.where ? `${r.error.where}: ` : ''}error[${r.error.code}]: ${r.error.message}`);
      if (flags.debug && (r as { stack?: string }).stack) err((r as { stack?: string }).stack!);
    }
    if (run.traceFile && tty) {
      // On a terminal the shrunk trace opens in check's trace viewer.
      const tui = await import('../tui/index.js');
      await tui.showTraceViewer(run.traceFile, { exitCode: r.exitCode });
    } else if (run.traceFile) {
      out(renderTraceText(run.traceFile, { full: flags.full }).replace('A shortest counterexample', 'A shrunk counterexample'));
      out('');
    }
    for (const line of simulationSummary(r)) out(line);
    if (r.traceFile) out(`  Trace written to ${r.traceFile} (reopen with: quorum trace ${r.traceFile}).`);
  }
  if (flags.expect && r.result !== 'error') return r.asExpected === false || (r.asExpected === null && r.result !== 'ok') ? EXIT.VIOLATION : EXIT.OK;
  return r.exitCode;
}
