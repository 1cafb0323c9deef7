// The `quorum` command line. Flags, exit codes and the --json summary are a public interface.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultWorkers } from '../engine/pool.js';
import type { Progress } from '../engine/explore.js';
import { QuorumError } from '../model/errors.js';
import { parseConstantOverride } from '../spec/cfg.js';
import { listBundledModels } from '../spec/load.js';
import { readTraceFile } from '../trace/trace-file.js';
import { renderTraceText, describeViolation } from '../trace/render-text.js';
import { runCheck, type CheckRun, type RunReport } from './check.js';
import { EXIT, exitCodeForError } from './exit-codes.js';
import { HISTORY_OPTIONS, HISTORY_USAGE_LINE, historyCommand } from './history.js';
import { SIMULATE_USAGE, simulateCommand } from './simulate.js';
import { traceExport } from './trace-export.js';
import { REPLAY_USAGE, replayCommand } from './replay.js';
import { GRAPH_USAGE, graphCommand } from './graph.js';
import { MERGE_USAGE, mergeCommand } from './merge.js';
import { duration, n, paint, probability, progressLine } from './format.js';
import { boundedSentence, constantsLine, propertiesLine } from './checked.js';
import type { Bounds } from '../engine/explore.js';
import { savePathTo } from './save-path.js';
import { readCheckpoint, RunDir, parseMemorySize, type LoadedCheckpoint } from '../engine/index.js';
import { showBytes } from '../engine/memory.js';
import { relative } from 'node:path';

const VERSION = '0.1.0';

const USAGE = `quorum ${VERSION}: an explicit-state model checker for distributed protocols

Usage:
  quorum check [options] SPEC.cfg|DIR ...   check specs (a folder means every .cfg in it)
  quorum trace [--full] [--plain] FILE.json show a saved counterexample (out/*.json); --plain: as text
  quorum explore [--const N=V] [--out DIR] SPEC.cfg
                                            step through a model's state space interactively:
                                            / searches for any property (NAME BUDGET), w saves the path
  quorum trace FILE.json --format F         print it as itf, mermaid, text or json
  quorum replay SPEC.cfg TRACE.json         is a trace (quorum's or ITF) a behaviour of the model?
  quorum graph [--max-states N] SPEC.cfg    the state graph as Graphviz DOT, a counterexample in red
  quorum merge RESULT.json ...              merge results of simulate --seeds A..B --result FILE
  quorum simulate [options] SPEC.cfg        random walks; a violation is shrunk by fast-check
  quorum models                             list the bundled models
${HISTORY_USAGE_LINE}

Options for check:
  -w, --workers N        worker threads (default: available cores; 0 = on the main thread)
  -c, --const NAME=VAL   override a constant, in .cfg syntax (repeatable): --const MaxBallot=1
      --json             print one JSON summary on stdout (no progress, no viewer)
      --full             print whole states in the text trace, not only what changed
      --expect           judge each spec against its EXPECT line (exit 0 when all are as expected)
      --out DIR          where counterexample traces are written (default: out)
      --no-trace-file    do not write a trace file
      --no-typecheck     do not type-check the model module first
      --progress SECONDS seconds between progress lines (default: 3)
      --max-depth N      explore at most N breadth-first levels (initial states are level 1)
      --max-states N     start no new work once N distinct states are found
      --timeout SECONDS  start no new work after this time
                         (a run stopped at a bound says so and exits 5: it is not a complete check)
      --memory SIZE      memory budget, e.g. 2G or 512M (default: 3/4 of the machine's memory); past
                         half of it the parent log and the frontier go to the run folder, and a run
                         that cannot go on within it stops with a resume point (exit 6)
      --run-dir DIR      the run folder (default: OUT/runs/SPEC-TIME, created only when needed)
      --checkpoint MIN   write a checkpoint at a level boundary every MIN minutes (0: every level)
      --resume DIR       go on from the checkpoint in DIR (Ctrl-C and memory stops leave one)
      --plain            no interactive screens, even on a terminal
      --debug            show stack traces for internal errors
  -h, --help             this help
  -v, --version          the version

${HISTORY_OPTIONS}

${SIMULATE_USAGE}
${REPLAY_USAGE}
${GRAPH_USAGE}
${MERGE_USAGE}

Exit codes: 0 no violation, 1 violation found, 2 bad input, 3 internal error, 130 interrupted.
Exit code 4: quorum history could not decide some history within its budget (unknown).
Exit code 5: stopped at a bound (--max-depth, --max-states, --timeout) with no error found.
Exit code 6: stopped for memory (--memory) with no error found; resume with --resume DIR.`;

function out(s: string): void {
  process.stdout.write(s + '\n');
}
function err(s: string): void {
  process.stderr.write(s + '\n');
}

function fail(e: unknown, debug: boolean): number {
  const q = e instanceof QuorumError ? e : new QuorumError('INTERNAL', e instanceof Error ? e.message : String(e));
  err(`quorum: ${q.oneLine()}`);
  if (debug && e instanceof Error && e.stack) err(e.stack);
  return exitCodeForError(q.code);
}

/** On CI (CI set, and not to 0 or false, the rule Ink uses) there are no interactive screens. */
export function onCi(): boolean {
  const ci = process.env.CI;
  return ci !== undefined && ci !== '0' && ci !== 'false';
}

export function interactive(): boolean {
  return Boolean(process.stdout.isTTY && process.stdin.isTTY) && !onCi();
}

function expandSpecs(args: readonly string[]): string[] {
  const files: string[] = [];
  for (const a of args) {
    if (existsSync(a) && statSync(a).isDirectory()) {
      const cfgs = readdirSync(a)
        .filter((f) => f.endsWith('.cfg'))
        .sort()
        .map((f) => join(a, f));
      if (cfgs.length === 0) throw new QuorumError('FILE_NOT_FOUND', 'no .cfg files in this folder', a);
      files.push(...cfgs);
    } else files.push(a);
  }
  return files;
}

function summaryText(r: RunReport): string[] {
  const lines: string[] = [];
  const so = process.stdout;
  if (r.result === 'ok') lines.push(paint(so, 'green', 'Model checking completed. No error has been found.'));
  else if (r.result === 'violation') lines.push(paint(so, 'red', `Error: ${describeViolation({ violation: r.violation! })}`));
  else if (r.result === 'bounded' && r.bound) lines.push(paint(so, 'yellow', boundedSentence(r.bound, r)));
  else if (r.error?.code === 'INTERRUPTED' || r.error?.code === 'MEMORY_BUDGET') lines.push(paint(so, 'red', `Stopped: ${r.error.message}`));
  // The error itself is on stderr, once.
  else if (r.error) lines.push(paint(so, 'red', `Stopped by the error above (error[${r.error.code}]).`));
  if (r.checked) {
    lines.push(`  Checked: ${propertiesLine(r.checked)}.`);
    lines.push(`  Constants: ${constantsLine(r.checked)}.`);
  }
  if (r.model !== null) {
    lines.push(
      `  ${n(r.distinctStates)} distinct states found, ${n(r.statesGenerated)} states generated, depth ${r.depth}` +
        (r.queue > 0 ? `, ${n(r.queue)} states left on queue` : '') +
        '.',
    );
    lines.push(`  The probability of a fingerprint collision is (optimistically) ${probability(r.collisionProbability)}.`);
    lines.push(
      `  Finished in ${duration(r.elapsedMs)} with ${r.workers === 0 ? 'no workers (main thread)' : `${r.workers} worker${r.workers === 1 ? '' : 's'}`} ` +
        `(${n(r.distinctStatesPerSecond)} distinct states/s).`,
    );
    for (const x of r.reachability) {
      if (x.holds === true) lines.push(`  Reachability property ${x.name} holds: a shortest witness has ${x.witness!.length} states (${x.witness!.map((w) => w.action).join(' → ')}).`);
      else if (x.holds === false) lines.push(paint(so, 'red', `  Reachability property ${x.name} fails: no reachable state satisfies it.`));
      else lines.push(`  Reachability property ${x.name}: undecided (the run stopped first).`);
    }
    if (r.resumed) lines.push(`  Resumed from ${r.resumed.dir} at level ${r.resumed.level} (${n(r.resumed.distinctStates)} distinct states, ${duration(r.resumed.elapsedMsBefore)} before); the counts and time include the run before.`);
    if (r.memory.peakRssBytes !== undefined && r.distinctStates > 0) {
      lines.push(
        `  Peak memory ${showBytes(r.memory.peakRssBytes)} (${n(r.memory.peakRssBytesPerState ?? 0)} bytes per distinct state)` +
          (r.memory.spilled ? `; ${showBytes(r.memory.spilledBytes ?? 0)} written to the run folder` : '') +
          (r.memory.budgetBytes !== undefined && r.memory.spilled ? ` (budget ${showBytes(r.memory.budgetBytes)})` : '') +
          '.',
      );
    }
    if (r.resumeDir) lines.push(paint(so, 'yellow', `  Resume point: quorum check --resume ${r.resumeDir}`));
    const idle = r.coverage.filter((c) => c.fired === 0).map((c) => c.action);
    if (idle.length > 0 && r.result === 'ok') lines.push(paint(so, 'yellow', `  Warning: these actions never fired: ${idle.join(', ')}.`));
  }
  return lines;
}

interface CheckFlags {
  workers: number;
  json: boolean;
  full: boolean;
  expect: boolean;
  outDir: string;
  writeTrace: boolean;
  typecheck: boolean;
  progressMs: number;
  plain: boolean;
  debug: boolean;
  overrides: { name: string; value: import('../model/constants.js').CfgValue; text?: string }[];
  bounds: Bounds;
  memoryBudget?: number;
  runDir?: string;
  checkpointMinutes?: number;
  resume?: LoadedCheckpoint;
}

/** A whole number of at least 1 for a flag, or a usage error naming it. */
function countFlag(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (!Number.isInteger(x) || x < 1) throw new QuorumError('USAGE', `${flag} takes a whole number of at least 1, got '${v}'`, flag);
  return x;
}

async function checkCommand(args: string[]): Promise<number> {
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
      'no-typecheck': { type: 'boolean' },
      progress: { type: 'string' },
      plain: { type: 'boolean' },
      debug: { type: 'boolean' },
      'max-depth': { type: 'string' },
      'max-states': { type: 'string' },
      timeout: { type: 'string' },
      memory: { type: 'string' },
      'run-dir': { type: 'string' },
      checkpoint: { type: 'string' },
      resume: { type: 'string' },
    },
  });
  const checkpointMin = values.checkpoint === undefined ? undefined : Number(values.checkpoint);
  if (checkpointMin !== undefined && !(checkpointMin >= 0)) throw new QuorumError('USAGE', `--checkpoint takes a number of minutes, got '${values.checkpoint}'`, '--checkpoint');
  // --resume: the spec and the --const overrides come from the checkpoint unless given again.
  const resume = values.resume !== undefined ? readCheckpoint(new RunDir(values.resume)) : undefined;
  if (resume && positionals.length > 1) throw new QuorumError('USAGE', '--resume continues one run: give at most its spec', '--resume');
  if (resume && values['run-dir'] !== undefined) throw new QuorumError('USAGE', '--resume goes on in the checkpoint\'s own folder; drop --run-dir', '--run-dir');
  if (resume && positionals.length === 0) positionals.push(relative(process.cwd(), resume.checkpoint.identity.spec) || resume.checkpoint.identity.spec);
  const constArgs = values.const ?? (resume ? [...resume.checkpoint.identity.overrides] : []);
  const timeoutSec = values.timeout === undefined ? undefined : Number(values.timeout);
  if (timeoutSec !== undefined && !(timeoutSec >= 0)) throw new QuorumError('USAGE', `--timeout takes a number of seconds, got '${values.timeout}'`, '--timeout');
  const bounds: Bounds = {
    ...(values['max-depth'] !== undefined ? { maxDepth: countFlag('--max-depth', values['max-depth']) } : {}),
    ...(values['max-states'] !== undefined ? { maxStates: countFlag('--max-states', values['max-states']) } : {}),
    ...(timeoutSec !== undefined ? { timeoutMs: timeoutSec * 1000 } : {}),
  };
  const workers = values.workers === undefined ? defaultWorkers() : Number(values.workers);
  if (!Number.isInteger(workers) || workers < 0 || workers > 256) throw new QuorumError('USAGE', `--workers takes a whole number from 0 to 256, got '${values.workers}'`, '--workers');
  const progressSec = values.progress === undefined ? 3 : Number(values.progress);
  if (!(progressSec > 0)) throw new QuorumError('USAGE', `--progress takes a number of seconds, got '${values.progress}'`, '--progress');
  if (positionals.length === 0) throw new QuorumError('USAGE', 'check needs a spec file or folder: quorum check specs/paxos.cfg', 'check');
  const flags: CheckFlags = {
    workers,
    json: values.json ?? false,
    full: values.full ?? false,
    expect: values.expect ?? false,
    outDir: values.out ?? 'out',
    writeTrace: !values['no-trace-file'],
    typecheck: !values['no-typecheck'],
    progressMs: progressSec * 1000,
    plain: values.plain ?? false,
    debug: values.debug ?? false,
    overrides: constArgs.map((t) => ({ ...parseConstantOverride(t), text: t })),
    bounds,
    ...(values.memory !== undefined ? { memoryBudget: parseMemorySize(values.memory) } : {}),
    ...(values['run-dir'] !== undefined ? { runDir: values['run-dir'] } : {}),
    ...(checkpointMin !== undefined ? { checkpointMinutes: checkpointMin } : {}),
    ...(resume ? { resume } : {}),
  };
  const specs = expandSpecs(positionals);

  // Ctrl-C: the first stops the run and reports what was explored; a second one leaves at once.
  const abort = new AbortController();
  let interrupts = 0;
  const runs: CheckRun[] = [];
  const tty = interactive() && !flags.json && !flags.plain && specs.length === 1;
  const onSigint = () => {
    interrupts++;
    if (interrupts > 1) process.exit(EXIT.INTERRUPTED);
    // The dashboard shows the interruption itself.
    if (!flags.json && !tty) err('\nquorum: interrupted; finishing the tasks in flight and writing a resume point (Ctrl-C again to quit at once)');
    abort.abort();
  };
  process.on('SIGINT', onSigint);

  try {
    for (const spec of specs) {
      if (abort.signal.aborted) break;
      runs.push(await checkOne(spec, flags, abort.signal, tty));
    }
  } finally {
    process.off('SIGINT', onSigint);
  }

  const reports = runs.map((r) => r.report);
  const code = overallExit(reports, flags.expect);
  if (flags.json) {
    if (reports.length === 1) out(JSON.stringify(reports[0]));
    else
      out(
        JSON.stringify({
          result: reports.some((r) => r.result === 'error')
            ? 'error'
            : reports.some((r) => r.result === 'violation')
              ? 'violation'
              : reports.some((r) => r.result === 'bounded')
                ? 'bounded'
                : 'ok',
          asExpected: flags.expect ? reports.every((r) => r.asExpected ?? r.result === 'ok') : null,
          exitCode: code,
          runs: reports,
        }),
      );
  } else if (reports.length > 1) {
    out('');
    out(summaryTable(reports, flags.expect));
  }
  return code;
}

function overallExit(reports: RunReport[], expect: boolean): number {
  const errors = reports.filter((r) => r.result === 'error');
  if (errors.some((r) => r.exitCode === EXIT.INTERRUPTED)) return EXIT.INTERRUPTED;
  if (errors.length > 0) return Math.max(...errors.map((r) => r.exitCode));
  if (expect) {
    const unexpected = reports.filter((r) => !(r.asExpected ?? r.result === 'ok'));
    if (unexpected.length === 0) return EXIT.OK;
    return unexpected.every((r) => r.result === 'bounded') ? EXIT.STOPPED_AT_BOUND : EXIT.VIOLATION;
  }
  if (reports.some((r) => r.result === 'violation')) return EXIT.VIOLATION;
  return reports.some((r) => r.result === 'bounded') ? EXIT.STOPPED_AT_BOUND : EXIT.OK;
}

function summaryTable(reports: RunReport[], expect: boolean): string {
  const so = process.stdout;
  const rows = reports.map((r) => {
    const outcome =
      r.result === 'ok'
        ? 'ok'
        : r.result === 'violation'
          ? `${r.violation!.kind} ${r.violation!.name} (${r.violation!.trace.length} states)`
          : r.result === 'bounded'
            ? `stopped at ${r.bound?.flag ?? 'a bound'}`
            : `error ${r.error?.code ?? ''}`;
    const verdict = expect ? (r.asExpected ?? r.result === 'ok' ? 'as expected' : 'UNEXPECTED') : '';
    return [r.spec, r.model ?? '-', n(r.distinctStates), String(r.depth), duration(r.elapsedMs), outcome, verdict];
  });
  const head = ['spec', 'model', 'distinct states', 'depth', 'time', 'outcome', expect ? 'expected?' : ''];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (cells: string[]) => cells.map((c, i) => (i === 2 || i === 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  const lines = [fmt(head), widths.map((w) => '-'.repeat(w)).join('  ').trimEnd()];
  for (const [i, r] of rows.entries()) {
    const line = fmt(r);
    const rep = reports[i]!;
    const bad = expect ? !(rep.asExpected ?? rep.result === 'ok') : rep.result !== 'ok';
    lines.push(paint(so, bad ? 'red' : 'green', line));
  }
  return lines.join('\n');
}

async function checkOne(spec: string, flags: CheckFlags, signal: AbortSignal, tty: boolean): Promise<CheckRun> {
  let dashboard: { update(p: Progress): void; finish(s: RunReport): Promise<void> } | undefined;
  let tui: typeof import('../tui/index.js') | undefined;
  if (tty) {
    try {
      tui = await import('../tui/index.js');
      dashboard = tui.startDashboard({ spec, model: '', workers: flags.workers });
    } catch (e) {
      if (flags.debug) err(`quorum: no dashboard (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  if (!flags.json && !dashboard) err(`quorum: checking ${spec} with ${flags.workers === 0 ? 'no workers' : `${flags.workers} worker${flags.workers === 1 ? '' : 's'}`}`);
  let prev: { elapsedMs: number; distinct: number; generated: number } | undefined;
  const onProgress = (p: Progress) => {
    if (dashboard) dashboard.update(p);
    else if (!flags.json) {
      err(progressLine(p, prev));
      prev = { elapsedMs: p.elapsedMs, distinct: p.distinctStates, generated: p.statesGenerated };
    }
  };
  const run = await runCheck(spec, {
    workers: flags.workers,
    overrides: flags.overrides,
    outDir: flags.outDir,
    writeTrace: flags.writeTrace,
    typecheck: flags.typecheck,
    onProgress,
    progressIntervalMs: dashboard ? 250 : flags.progressMs,
    signal,
    bounds: flags.bounds,
    ...(flags.memoryBudget !== undefined ? { memoryBudget: flags.memoryBudget } : {}),
    ...(flags.runDir !== undefined ? { runDir: flags.runDir } : {}),
    ...(flags.checkpointMinutes !== undefined ? { checkpointMinutes: flags.checkpointMinutes } : {}),
    ...(flags.resume ? { resume: flags.resume } : {}),
  });
  const r = run.report;
  if (dashboard) await dashboard.finish(r);
  if (flags.json) return run;
  if (r.model === null && r.error) {
    for (const d of r.error.diagnostics ?? [r.error]) err(`quorum: ${d.where ? `${d.where}: ` : ''}error[${r.error.code}]: ${d.message}`);
    if (flags.debug && (r as { stack?: string }).stack) err((r as { stack?: string }).stack!);
    return run;
  }
  if (r.error && r.result === 'error' && r.error.code !== 'INTERRUPTED' && r.error.code !== 'MEMORY_BUDGET') {
    const at = [r.error.location, r.error.where].filter(Boolean).join(': ');
    err(`quorum: ${at ? `${at}: ` : ''}error[${r.error.code}]: ${r.error.message}`);
    if (flags.debug && run.result?.failure?.stack) err(run.result.failure.stack);
    if (run.failureTrace) {
      const n = run.failureTrace.trace.length;
      const text = renderTraceText(run.failureTrace, { full: flags.full }).split('\n').slice(1);
      out([`A shortest trace to the state it failed in has ${n} state${n === 1 ? '' : 's'}:`, ...text].join('\n'));
      out('');
    }
  }
  if (run.traceFile && tui && tty) await tui.showTraceViewer(run.traceFile, { exitCode: r.exitCode });
  // Also after the viewer: the counterexample stays on the normal screen once the viewer is gone.
  if (run.traceFile) {
    out(renderTraceText(run.traceFile, { full: flags.full }));
    out('');
  }
  for (const line of summaryText(r)) out(line);
  if (r.traceFile) out(`  Trace written to ${r.traceFile} (reopen with: quorum trace ${r.traceFile}).`);
  if (r.traceFileError) err(`quorum: ${r.traceFileError.where}: error[${r.traceFileError.code}]: ${r.traceFileError.message}`);
  return run;
}

async function traceCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { full: { type: 'boolean' }, plain: { type: 'boolean' }, format: { type: 'string' } } });
  if (positionals.length !== 1) throw new QuorumError('USAGE', 'trace takes one trace file: quorum trace out/<file>.json', 'trace');
  if (values.format !== undefined) return traceExport(positionals[0]!, values.format, { full: values.full });
  const t = readTraceFile(positionals[0]!);
  if (interactive() && !values.plain) {
    const tui = await import('../tui/index.js');
    await tui.showTraceViewer(t, { exitCode: EXIT.OK });
  }
  // Also after the viewer: the counterexample stays on the normal screen once the viewer is gone.
  out(renderTraceText(t, { full: values.full ?? false }));
  return EXIT.OK;
}

async function exploreCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { const: { type: 'string', short: 'c', multiple: true }, out: { type: 'string' } } });
  if (positionals.length !== 1) throw new QuorumError('USAGE', 'explore takes one spec file: quorum explore specs/paxos.cfg', 'explore');
  if (!interactive()) throw new QuorumError('USAGE', 'explore is interactive: run it in a terminal', 'explore');
  const { loadSpec } = await import('../spec/load.js');
  const { CompiledModel } = await import('../engine/compiled-model.js');
  const loaded = await loadSpec(positionals[0]!, (values.const ?? []).map(parseConstantOverride));
  const instance = loaded.definition.build(loaded.constants as never);
  const model = new CompiledModel(loaded.definition, instance, {
    invariants: loaded.spec.invariants.map((x) => x.name),
    constraints: loaded.spec.constraints.map((x) => x.name),
    actionConstraints: loaded.spec.actionConstraints.map((x) => x.name),
    checkDeadlock: loaded.spec.checkDeadlock,
  });
  const tui = await import('../tui/index.js');
  const save = savePathTo(values.out ?? 'out', positionals[0]!);
  await tui.runExplorer({ model: model as never, specName: positionals[0]!, save, constants: loaded.constants });
  return EXIT.OK;
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  const debug = argv.includes('--debug');
  // `quorum check --help` and the like: the one usage text covers every command.
  if (cmd !== undefined && rest.some((a) => a === '-h' || a === '--help')) {
    out(USAGE);
    return EXIT.OK;
  }
  try {
    switch (cmd) {
      case 'check':
        return await checkCommand(rest);
      case 'trace':
        return await traceCommand(rest);
      case 'explore':
        return await exploreCommand(rest);
      case 'history':
        return await historyCommand(rest);
      case 'simulate':
        return await simulateCommand(rest);
      case 'replay':
        return await replayCommand(rest);
      case 'graph':
        return await graphCommand(rest);
      case 'merge':
        return await mergeCommand(rest);
      case 'models':
        out(listBundledModels().join('\n'));
        return EXIT.OK;
      case '-v':
      case '--version':
        out(VERSION);
        return EXIT.OK;
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        out(USAGE);
        return cmd === undefined ? EXIT.BAD_INPUT : EXIT.OK;
      default:
        throw new QuorumError('USAGE', `unknown command '${cmd}'; commands: check, simulate, trace, replay, graph, merge, explore, models, history (quorum --help)`);
    }
  } catch (e) {
    if (e instanceof Error && 'code' in e && String((e as { code: unknown }).code).startsWith('ERR_PARSE_ARGS')) {
      return fail(new QuorumError('USAGE', `${e.message} (quorum --help)`), debug);
    }
    return fail(e, debug);
  }
}
