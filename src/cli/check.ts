// `quorum check`: run one spec and turn the outcome into the report that every output format shares.
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { checkSpec, type SpecCheckResult } from '../engine/index.js';
import type { Progress } from '../engine/explore.js';
import type { CfgValue } from '../model/constants.js';
import { QuorumError } from '../model/errors.js';
import { buildTraceFile, type TraceFile } from '../trace/trace-file.js';
import { toPlain } from '../trace/show.js';
import { EXIT, exitCodeForError } from './exit-codes.js';
import type { Expectation } from '../spec/cfg.js';

/** The `--json` summary of one run: a public interface. Add fields; never rename or drop them. */
export interface RunReport {
  result: 'ok' | 'violation' | 'error';
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
  };
  /** Reachability ("sometimes") properties: holds true (with a shortest witness), false, or null (undecided). */
  reachability: { name: string; holds: boolean | null; witness: { action: string; args: Record<string, unknown>; state: unknown }[] | null }[];
  error: null | { code: string; message: string; where?: string };
  interrupted: boolean;
  traceFile: string | null;
  coverage: { action: string; fired: number; distinct: number }[];
  memory: { seenTableBytes: number; parentLogBytes: number; livenessGraphBytes?: number };
  /** With liveness properties checked on a complete search: the analysis' time after the search (ms). */
  livenessMs?: number;
  expect: Expectation | null;
  asExpected: boolean | null;
  exitCode: number;
}

export interface CheckRun {
  readonly report: RunReport;
  readonly traceFile?: TraceFile;
  readonly result?: SpecCheckResult;
}

export interface CheckCommandOptions {
  readonly workers: number;
  readonly overrides: readonly { name: string; value: CfgValue }[];
  readonly outDir: string;
  readonly writeTrace: boolean;
  readonly onProgress?: (p: Progress) => void;
  readonly progressIntervalMs?: number;
  readonly signal?: AbortSignal;
}

function emptyReport(spec: string): RunReport {
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
  };
}

function stamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-').replace(/Z$/, '');
}

export async function runCheck(specFile: string, opts: CheckCommandOptions): Promise<CheckRun> {
  const report = emptyReport(specFile);
  let result: SpecCheckResult;
  try {
    result = await checkSpec(specFile, {
      workers: opts.workers,
      overrides: opts.overrides,
      onProgress: opts.onProgress,
      progressIntervalMs: opts.progressIntervalMs,
      signal: opts.signal,
    });
  } catch (e) {
    const err = e instanceof QuorumError ? e : new QuorumError('INTERNAL', e instanceof Error ? e.message : String(e));
    report.error = { code: err.code, message: err.message, where: err.where };
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
  if (result.livenessMs !== undefined) report.livenessMs = result.livenessMs;
  report.expect = result.loaded.spec.expect ?? null;
  report.interrupted = result.status === 'interrupted';
  const plainTrace = (t: readonly { action: string; args: object; state: unknown }[]) =>
    t.map((s) => ({ action: s.action, args: Object.fromEntries(Object.entries(s.args).map(([k, v]) => [k, toPlain(v)])), state: toPlain(s.state) }));
  report.reachability = result.reachability.map((r) => ({ name: r.name, holds: r.holds, witness: r.trace ? plainTrace(r.trace) : null }));

  let traceFile: TraceFile | undefined;
  if (result.failure) {
    report.result = 'error';
    report.error = { code: result.failure.code, message: result.failure.message, where: result.failure.where };
    if (result.failure.state !== undefined) {
      report.error.message += `; in state ${result.compiled.showValue(result.failure.state)}`;
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
    if (opts.writeTrace && v.trace.length > 0) {
      mkdirSync(opts.outDir, { recursive: true });
      const file = join(opts.outDir, `${basename(specFile).replace(/\.cfg$/, '')}-${v.kind}-${stamp()}.json`);
      writeFileSync(file, JSON.stringify(traceFile, null, 1) + '\n');
      report.traceFile = relative(process.cwd(), file) || file;
    }
    report.exitCode = EXIT.VIOLATION;
  } else if (result.status === 'interrupted') {
    report.result = 'error';
    report.error = { code: 'INTERRUPTED', message: 'interrupted; the counts are what was explored so far' };
    report.exitCode = EXIT.INTERRUPTED;
  } else {
    report.result = 'ok';
    report.exitCode = EXIT.OK;
  }
  report.asExpected = report.expect ? matches(report, report.expect) : null;
  return { report, traceFile, result };
}

export function matches(r: RunReport, e: Expectation): boolean {
  if (e.kind === 'ok') return r.result === 'ok';
  return r.result === 'violation' && (e.name === undefined || e.name === r.violation?.name);
}
