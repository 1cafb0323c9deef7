// `quorum check`: run one spec and turn the outcome into the report that every output format shares.
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkSpec, defaultMemoryBudget, type LoadedCheckpoint, type SpecCheckResult } from '../engine/index.js';
import type { Progress } from '../engine/explore.js';
import type { CfgValue } from '../model/constants.js';
import { QuorumError } from '../model/errors.js';
import { buildTraceFile, type TraceFile } from '../trace/trace-file.js';
import { toPlain } from '../trace/show.js';
import { violationHint } from '../trace/render-text.js';
import { EXIT, exitCodeForError } from './exit-codes.js';
import type { Expectation } from '../spec/cfg.js';
import { readSpec, resolveModelPath } from '../spec/load.js';
import { diagnosticWhere, typecheckModel } from '../spec/typecheck.js';
import type { Bounds } from '../engine/explore.js';
import { boundFlag, checkedOf, type Checked } from './checked.js';

/** The `--json` summary of one run: a public interface. Add fields; never rename or drop them. */
export interface RunReport {
  /** 'bounded': stopped at --max-depth, --max-states or --timeout with no error found; not a complete check. */
  result: 'ok' | 'violation' | 'error' | 'bounded';
  spec: string;
  model: string | null;
  distinctStates: number;
  statesGenerated: number;
  depth: number;
  /** States found but not expanded (non-zero when the run stopped early). */
  queue: number;
  elapsedMs: number;
  collisionProbability: number;
  workers: number;
  distinctStatesPerSecond: number;
  violation: null | {
    kind: string;
    name: string;
    trace: { action: string; args: Record<string, unknown>; state: unknown }[];
    /** Liveness lassos: the index in trace of the state the cycle returns to, and the closing step. */
    loopStart?: number;
    loopAction?: string;
    /** Liveness: the behavior stutters forever in its last state. */
    stuttering?: boolean;
    /** The top-level variables the violated property reads in the last state, when known. */
    reads?: string[];
    /** What to do about it, when there is a usual next step (a deadlock: how to declare terminal states). */
    hint?: string;
  };
  /** Reachability ("sometimes") properties: holds true (with a shortest witness), false, or null (undecided). */
  reachability: { name: string; holds: boolean | null; witness: { action: string; args: Record<string, unknown>; state: unknown }[] | null }[];
  /** diagnostics: with TYPE_ERROR, every type error of the model ("file:line:col" and message; the first is where/message). */
  /**
   * location: where in the model's own code it threw (source-mapped "file:line:col"), when known.
   * trace: a shortest trace to the state the model failed in, when it failed expanding a reachable state.
   */
  error: null | {
    code: string;
    message: string;
    where?: string;
    diagnostics?: { where: string; message: string }[];
    location?: string;
    trace?: { action: string; args: Record<string, unknown>; state: unknown }[];
  };
  /** The trace file could not be written (the violation is still reported, with its exit code). */
  traceFileError?: { code: string; message: string; where: string };
  interrupted: boolean;
  traceFile: string | null;
  coverage: { action: string; fired: number; distinct: number }[];
  /**
   * peakRssBytes: the process's peak resident set (all threads); peakRssBytesPerState: that over the distinct states.
   * budgetBytes: the --memory budget; spilledBytes: written to the run folder; spilled: the parent log and frontier went to disk.
   */
  memory: {
    seenTableBytes: number;
    parentLogBytes: number;
    livenessGraphBytes?: number;
    peakRssBytes?: number;
    peakRssBytesPerState?: number;
    budgetBytes?: number;
    spilledBytes?: number;
    spilled?: boolean;
  };
  /** A run stopped early (Ctrl-C, memory, or a bound with --checkpoint) that `quorum check --resume DIR` continues; null otherwise. */
  resumeDir: string | null;
  /** This run went on from a checkpoint: its folder, the level and distinct states it started from, the time before. */
  resumed: null | { dir: string; level: number; distinctStates: number; elapsedMsBefore: number };
  /** With liveness properties checked on a complete search: the analysis' time after the search (ms). */
  livenessMs?: number;
  expect: Expectation | null;
  asExpected: boolean | null;
  exitCode: number;
  /** For result 'bounded': the bound the run stopped at ('depth', 'states' or 'time', and its limit: levels, states, ms). */
  bound: null | { kind: 'depth' | 'states' | 'time'; limit: number; flag: string };
  /** What was checked: constants (after --const), invariants, properties, constraints, symmetry, fairness, bounds. */
  checked: Checked | null;
}

export interface CheckRun {
  readonly report: RunReport;
  readonly traceFile?: TraceFile;
  readonly result?: SpecCheckResult;
  /** The trace to the state the model failed in, ready to show. */
  readonly failureTrace?: TraceFile;
}

export interface CheckCommandOptions {
  readonly workers: number;
  readonly overrides: readonly { name: string; value: CfgValue }[];
  readonly outDir: string;
  readonly writeTrace: boolean;
  readonly onProgress?: (p: Progress) => void;
  readonly progressIntervalMs?: number;
  readonly signal?: AbortSignal;
  /** Type-check the model module first (default true). */
  readonly typecheck?: boolean;
  readonly bounds?: Bounds;
  /** The memory budget in bytes (default: defaultMemoryBudget()). */
  readonly memoryBudget?: number;
  /** The run folder for spill files, checkpoints and the resume point (default: OUT/runs/SPEC-TIME). */
  readonly runDir?: string;
  readonly checkpointMinutes?: number;
  readonly resume?: LoadedCheckpoint;
}

/** A report with nothing measured yet: what every command's --json starts from. */
export function emptyReport(spec: string): RunReport {
  return {
    result: 'error',
    spec,
    model: null,
    distinctStates: 0,
    statesGenerated: 0,
    depth: 0,
    queue: 0,
    elapsedMs: 0,
    collisionProbability: 0,
    workers: 0,
    distinctStatesPerSecond: 0,
    violation: null,
    reachability: [],
    error: null,
    interrupted: false,
    traceFile: null,
    coverage: [],
    memory: { seenTableBytes: 0, parentLogBytes: 0 },
    expect: null,
    asExpected: null,
    exitCode: EXIT.INTERNAL,
    bound: null,
    checked: null,
    resumeDir: null,
    resumed: null,
  };
}

function stamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-').replace(/Z$/, '');
}

export async function runCheck(specFile: string, opts: CheckCommandOptions): Promise<CheckRun> {
  const report = emptyReport(specFile);
  let result: SpecCheckResult;
  try {
    if (opts.typecheck !== false) await typecheckSpecModel(specFile);
    result = await checkSpec(specFile, {
      workers: opts.workers,
      overrides: opts.overrides,
      onProgress: opts.onProgress,
      progressIntervalMs: opts.progressIntervalMs,
      signal: opts.signal,
      bounds: opts.bounds,
      memoryBudget: opts.memoryBudget ?? defaultMemoryBudget(),
      runDir: opts.resume ? undefined : (opts.runDir ?? join(opts.outDir, 'runs', `${basename(specFile).replace(/\.cfg$/, '')}-${stamp()}`)),
      ...(opts.checkpointMinutes !== undefined ? { checkpointMinutes: opts.checkpointMinutes } : {}),
      ...(opts.resume ? { resume: opts.resume } : {}),
    });
  } catch (e) {
    const err = e instanceof QuorumError ? e : new QuorumError('INTERNAL', e instanceof Error ? e.message : String(e));
    report.error = { code: err.code, message: err.message, where: err.where };
    if (err.code === 'TYPE_ERROR' && Array.isArray(err.details?.diagnostics)) report.error.diagnostics = err.details.diagnostics as { where: string; message: string }[];
    report.exitCode = exitCodeForError(err.code);
    if (!(e instanceof QuorumError)) (report as RunReport & { stack?: string }).stack = e instanceof Error ? e.stack : undefined;
    return { report };
  }
  report.model = result.model;
  report.distinctStates = result.distinctStates;
  report.statesGenerated = result.statesGenerated;
  report.depth = result.depth;
  report.queue = result.queue;
  report.elapsedMs = result.elapsedMs;
  report.collisionProbability = result.collisionProbability;
  report.workers = result.workers;
  report.distinctStatesPerSecond = Math.round(result.distinctStates / Math.max(result.elapsedMs / 1000, 1e-3));
  report.coverage = result.coverage;
  report.memory = { seenTableBytes: result.seenTableBytes, parentLogBytes: result.parentLogBytes };
  if (result.livenessGraphBytes !== undefined) report.memory.livenessGraphBytes = result.livenessGraphBytes;
  if (result.memory) {
    const m = result.memory;
    report.memory.peakRssBytes = m.peakRssBytes;
    report.memory.peakRssBytesPerState = result.distinctStates > 0 ? Math.round(m.peakRssBytes / result.distinctStates) : 0;
    if (m.budgetBytes !== undefined) report.memory.budgetBytes = m.budgetBytes;
    report.memory.spilledBytes = m.spilledBytes;
    report.memory.spilled = m.spilled;
  }
  if (result.resumePoint) report.resumeDir = relative(process.cwd(), result.resumePoint.dir) || result.resumePoint.dir;
  if (result.resumed) report.resumed = { dir: relative(process.cwd(), result.resumed.dir) || result.resumed.dir, level: result.resumed.level, distinctStates: result.resumed.distinctStates, elapsedMsBefore: result.resumed.elapsedMs };
  if (result.livenessMs !== undefined) report.livenessMs = result.livenessMs;
  report.expect = result.loaded.spec.expect ?? null;
  report.interrupted = result.status === 'interrupted';
  report.checked = checkedOf(result, opts.overrides, opts.bounds ?? {});
  const plainTrace = (t: readonly { action: string; args: object; state: unknown }[]) =>
    t.map((s) => ({ action: s.action, args: Object.fromEntries(Object.entries(s.args).map(([k, v]) => [k, toPlain(v)])), state: toPlain(s.state) }));
  report.reachability = result.reachability.map((r) => ({ name: r.name, holds: r.holds, witness: r.trace ? plainTrace(r.trace) : null }));

  let traceFile: TraceFile | undefined;
  let failureTrace: TraceFile | undefined;
  if (result.failure) {
    report.result = 'error';
    report.error = { code: result.failure.code, message: result.failure.message, where: result.failure.where };
    if (result.failure.state !== undefined) {
      report.error.message += `; in state ${result.compiled.showValue(result.failure.state)}`;
    }
    const location = modelFrame(result.failure.stack, result.loaded.modelPath);
    if (location) report.error.location = location;
    if (result.failure.trace && result.failure.trace.length > 0) {
      report.error.trace = plainTrace(result.failure.trace);
      failureTrace = buildTraceFile(result.compiled, { kind: 'error', name: result.failure.code }, result.failure.trace, { spec: specFile, constants: result.loaded.constants });
    }
    report.exitCode = exitCodeForError(result.failure.code);
  } else if (result.violation) {
    const v = result.violation;
    report.result = 'violation';
    report.violation = { kind: v.kind, name: v.name, trace: plainTrace(v.trace) };
    if (v.loopStart !== undefined) report.violation.loopStart = v.loopStart;
    if (v.loopAction !== undefined) report.violation.loopAction = v.loopAction;
    if (v.stuttering) report.violation.stuttering = true;
    traceFile = buildTraceFile(result.compiled, { kind: v.kind, name: v.name, loopStart: v.loopStart, loopAction: v.loopAction, stuttering: v.stuttering }, v.trace, {
      spec: specFile,
      constants: result.loaded.constants,
    });
    if (traceFile.violation.reads) report.violation.reads = traceFile.violation.reads;
    const hint = violationHint(traceFile);
    if (hint) report.violation.hint = hint;
    if (opts.writeTrace && v.trace.length > 0) {
      const file = join(opts.outDir, `${basename(specFile).replace(/\.cfg$/, '')}-${v.kind}-${stamp()}.json`);
      try {
        writeTraceFile(opts.outDir, file, JSON.stringify(traceFile, null, 1) + '\n');
        report.traceFile = relative(process.cwd(), file) || file;
      } catch (e) {
        // The counterexample is still reported (and shown); only the file is missing.
        const reason = e instanceof Error ? e.message : String(e);
        report.traceFileError = { code: 'TRACE_WRITE', message: `cannot write the trace file ${file}: ${reason}`, where: opts.outDir };
      }
    }
    report.exitCode = EXIT.VIOLATION;
  } else if (result.status === 'memory') {
    report.result = 'error';
    report.error = { code: 'MEMORY_BUDGET', message: `stopped for memory: ${result.memoryStop ?? 'over the budget'}; the counts are what was explored so far` };
    if (result.resumePointError) report.error.message += `; no resume point: ${result.resumePointError}`;
    report.exitCode = EXIT.STOPPED_FOR_MEMORY;
  } else if (result.status === 'interrupted') {
    report.result = 'error';
    report.error = { code: 'INTERRUPTED', message: 'interrupted; the counts are what was explored so far' + (result.resumePointError ? `; no resume point: ${result.resumePointError}` : '') };
    report.exitCode = EXIT.INTERRUPTED;
  } else if (result.status === 'bounded' && result.bound) {
    report.result = 'bounded';
    report.bound = { ...result.bound, flag: boundFlag(result.bound) };
    report.exitCode = EXIT.STOPPED_AT_BOUND;
  } else {
    report.result = 'ok';
    report.exitCode = EXIT.OK;
  }
  report.asExpected = report.expect ? matches(report, report.expect) : null;
  return { report, traceFile, result, failureTrace };
}

/**
 * Creates the trace folder one level at a time (mkdirSync's recursive mode loops forever under /proc)
 * and writes the file. Throws with the reason when the folder is under a file or not writable.
 */
function writeTraceFile(dir: string, file: string, text: string): void {
  const missing: string[] = [];
  let d = resolve(dir);
  for (;;) {
    const st = statSync(d, { throwIfNoEntry: false });
    if (st) {
      if (!st.isDirectory()) throw new Error(`${d} is not a folder`);
      break;
    }
    missing.unshift(d);
    const up = dirname(d);
    if (up === d) break;
    d = up;
  }
  for (const m of missing) mkdirSync(m);
  writeFileSync(file, text);
}

/** The first frame of a stack in the model's own code (not quorum's, not a package's), as "file:line:col". */
export function modelFrame(stack: string | undefined, modelPath: string): string | undefined {
  if (!stack) return undefined;
  const modelDir = dirname(resolve(modelPath)) + sep;
  for (const line of stack.split('\n')) {
    const m = /^\s*at (?:.*? \()?(.+?):(\d+):(\d+)\)?$/.exec(line);
    if (!m) continue;
    let file = m[1]!;
    if (file.startsWith('file://')) {
      try {
        file = fileURLToPath(file);
      } catch {
        continue;
      }
    }
    if (!isAbsolute(file) || file.split(sep).includes('node_modules')) continue;
    if (file.startsWith(QUORUM_SRC) && !file.startsWith(modelDir)) continue;
    return `${relative(process.cwd(), file) || file}:${m[2]}:${m[3]}`;
  }
  return undefined;
}

const QUORUM_SRC = resolve(dirname(fileURLToPath(import.meta.url)), '..') + sep;

/** Throws TYPE_ERROR (with every diagnostic) when the spec's model module does not type-check. */
async function typecheckSpecModel(specFile: string): Promise<void> {
  const spec = readSpec(specFile);
  const modelPath = resolveModelPath(spec.model.name, dirname(specFile), spec.model.where);
  const { diagnostics } = await typecheckModel(modelPath);
  if (diagnostics.length === 0) return;
  const all = diagnostics.map((d) => ({ where: diagnosticWhere(d), message: `${d.message} (TS${d.tsCode})` }));
  throw new QuorumError('TYPE_ERROR', all[0]!.message, all[0]!.where, { diagnostics: all });
}

export function matches(r: RunReport, e: Expectation): boolean {
  if (e.kind === 'ok') return r.result === 'ok';
  return r.result === 'violation' && (e.name === undefined || e.name === r.violation?.name);
}
