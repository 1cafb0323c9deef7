// `quorum history`: linearizability (or sequential consistency) of recorded client histories.
// Flags, exit codes and the --json fields are a public interface: extend, never rename.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { QuorumError } from '../model/errors.js';
import { partitionOps } from '../history/check.js';
import { MODELS } from '../history/models/index.js';
import { parseHistory, type HistoryFormat, type JepsenOp } from '../history/parse.js';
import type { HistoryPool } from '../history/pool.js';
import { makeSpec, startPartition, type PartitionResult, type PartitionTask } from '../history/run.js';
import { historyHtml } from '../history/html.js';
import { renderExplanation } from '../history/timeline.js';
import type { BadPartition } from '../history/timeline-layout.js';
import type { Consistency, Explanation } from '../history/types.js';
import { toWire } from '../history/wire.js';
import { EXIT, exitCodeForError } from './exit-codes.js';
import { n, paint } from './format.js';
import { interactive } from './main.js';

/**
 * Starting the pool costs about 0.3 s on a quiet 2-core machine and over 1 s on a loaded one (threads,
 * bundling and loading the worker code, a cold JIT in each): kv c50-ok's 10 partitions ran slower on
 * 2 workers than on the main thread. So the main thread starts alone and the pool joins once a
 * history has kept it busy about as long as the pool takes to start (the ski-rental rule: never worse
 * than twice the better choice made in hindsight).
 */
const POOL_AFTER_MS_DEFAULT = 1000;

export const HISTORY_USAGE_LINE = '  quorum history --model NAME [options] FILE...   check recorded client histories for linearizability';
export const HISTORY_OPTIONS = `Options for history:
  -m, --model NAME       ${MODELS.map((m) => m.name).join(', ')}
      --init EDN         the initial value (default per model: ${MODELS.map((m) => `${m.name} ${m.defaultInit}`).join(', ')})
      --no-partition     check the history as one object even when the model partitions it (e.g. kv by key)
      --consistency C    linearizable (default) or sequential
      --timeout S        seconds per history before the verdict is unknown (default 60; 0 = no limit)
  -w, --workers N        threads checking the partitions of a history: the main thread, joined by
                         N-1 worker threads when the check runs long (default: available cores;
                         0 or 1 = main thread only)
      --pool-after MS    start the worker threads once a history has been checked this long on the
                         main thread (default ${POOL_AFTER_MS_DEFAULT}; 0 = send every partition to N workers at once)
      --json             print one JSON object on stdout
      --html FILE        also write a self-contained HTML page (no network) with a timeline of every
                         non-linearizable partition: one lane per process, hover for an op's details
      --plain            text only, even on a terminal (where quorum history otherwise shows the
                         timeline of each non-linearizable partition: ←→ move, +/- zoom, ↑↓ partition, q quit)
  Exit codes for history: 0 all linearizable, 1 some not, 2 bad input, 3 internal error, 4 some unknown.`;

/** 1 GiB of memo table per partition before the verdict is unknown. */
const MAX_MEMO_BYTES = 1 << 30;

export interface HistoryReport {
  readonly file: string;
  readonly model: string;
  readonly consistency: Consistency;
  readonly format?: HistoryFormat;
  /** Absent when the file could not be read or parsed (see error). */
  readonly verdict?: 'linearizable' | 'not-linearizable' | 'unknown';
  /** Operations parsed (client ops; fail ops included). */
  readonly operations: number;
  readonly partitions: number;
  /** Reading, parsing and checking this file. */
  readonly elapsedMs: number;
  readonly steps: number;
  readonly workers: number;
  readonly reason?: 'timeout' | 'memory';
  readonly explanation?: Explanation;
  /**
   * Every non-linearizable partition's explanation, in partition order (the first is `explanation`).
   * Only when every partition was checked on (for the timeline screen and --html); otherwise the
   * check stops at the first non-linearizable partition.
   */
  readonly explanations?: readonly Explanation[];
  readonly error?: { readonly code: string; readonly message: string; readonly where?: string };
}

export interface HistoryRunOptions {
  readonly model: string;
  readonly init?: string;
  readonly partition: boolean;
  readonly consistency: Consistency;
  readonly timeoutMs: number; // Infinity: none
  readonly workers: number;
  /** Go on past the first non-linearizable partition, to explain each (default false). */
  readonly explainAll?: boolean;
  /** Milliseconds of main-thread checking before the pool joins in; 0: all partitions to the pool at once. */
  readonly poolAfterMs?: number;
}

/** Checks each file in turn (partitions of one file in parallel on the pool); never throws for one bad file. */

export async function checkHistoryFiles(files: readonly string[], o: HistoryRunOptions): Promise<HistoryReport[]> {
  const spec = makeSpec(o.model, o.init);
  const init = o.init ?? MODELS.find((m) => m.name === o.model)!.defaultInit;
  let pool: Promise<HistoryPool> | undefined;
  const startPool = async (): Promise<HistoryPool> => {
    const { HistoryPool } = await import('../history/pool.js');
    // With the main thread checking too, N threads in all are the main one and N-1 workers.
    return HistoryPool.start(poolAfterMs === 0 ? o.workers : o.workers - 1);
  };
  const poolAfterMs = o.poolAfterMs ?? POOL_AFTER_MS_DEFAULT;
  const mayUsePool = o.workers > 1 && o.partition && spec.partition !== undefined;
  const reports: HistoryReport[] = [];
  try {
    for (const file of files) {
      const started = performance.now();
      const base = { file, model: o.model, consistency: o.consistency };
      let ops: JepsenOp[];
      let format: HistoryFormat;
      try {
        let text: string;
        try {
          if (statSync(file).isDirectory()) throw new QuorumError('FILE_NOT_FOUND', 'is a folder, not a history file', file);
          text = readFileSync(file, 'utf8');
        } catch (e) {
          if (e instanceof QuorumError) throw e;
          throw new QuorumError('FILE_NOT_FOUND', 'cannot read this file', file);
        }
        ({ ops, format } = parseHistory(text, file));
      } catch (e) {
        const q = e instanceof QuorumError ? e : new QuorumError('INTERNAL', e instanceof Error ? e.message : String(e), file);
        reports.push({
          ...base,
          operations: 0,
          partitions: 0,
          elapsedMs: performance.now() - started,
          steps: 0,
          workers: 0,
          error: { code: q.code, message: q.message, ...(q.where ? { where: q.where } : {}) },
        });
        continue;
      }
      const parts = partitionOps(spec, ops, o.partition);
      const task = (index: number): PartitionTask => ({
        model: o.model,
        init,
        consistency: o.consistency,
        partitioned: o.partition,
        index,
        budgetMs: o.timeoutMs - (performance.now() - started),
        sentAt: Date.now(),
        maxMemoryBytes: MAX_MEMO_BYTES,
      });
      let results: PartitionResult[];
      let parallel = false;
      if (mayUsePool && parts.length > 1 && poolAfterMs === 0) {
        pool ??= startPool();
        results = await onPool(await pool, parts, task, o.explainAll ?? false);
        parallel = true;
      } else {
        const getPool = mayUsePool && parts.length > 1 ? (): Promise<HistoryPool> => (pool ??= startPool()) : undefined;
        ({ results, pooled: parallel } = await interleaved(spec, parts, task, started + poolAfterMs, getPool, o.explainAll ?? false));
      }
      const bads = results.filter((r) => r.verdict === 'not-linearizable').sort((a, b) => a.index - b.index);
      const bad = bads[0];
      const unknown = results.find((r) => r.verdict === 'unknown');
      reports.push({
        ...base,
        format,
        verdict: bad ? 'not-linearizable' : unknown ? 'unknown' : 'linearizable',
        operations: ops.length,
        partitions: parts.length,
        elapsedMs: performance.now() - started,
        steps: results.reduce((s, r) => s + r.steps, 0),
        workers: parallel ? o.workers : 0,
        ...(!bad && unknown?.reason ? { reason: unknown.reason } : {}),
        ...(bad?.explanation ? { explanation: bad.explanation } : {}),
        ...(o.explainAll && bad ? { explanations: bads.flatMap((r) => (r.explanation ? [r.explanation] : [])) } : {}),
      });
    }
  } finally {
    if (pool) await (await pool).close();
  }
  return reports;
}

/** Search steps a partition runs on the main thread before the next one's turn. */
const SLICE_STEPS = 2048;

/**
 * The partitions on the main thread side by side, each in turn for a slice of steps (as Porcupine
 * runs them in parallel): the first violation found stops the rest, so a history whose violation is
 * quick to find is not held up by a long linearizable partition before it. If they are not done by
 * `poolAt` (performance.now() time), the pool joins in: each worker takes over the largest partition
 * left (restarting it). `pooled`: whether a worker checked any.
 */
async function interleaved(
  spec: ReturnType<typeof makeSpec>,
  parts: readonly (readonly JepsenOp[])[],
  task: (i: number) => PartitionTask,
  poolAt: number,
  getPool: (() => Promise<HistoryPool>) | undefined,
  explainAll = false,
): Promise<{ results: PartitionResult[]; pooled: boolean }> {
  // A violation stops the rest, unless every partition is to be explained; an undecided one always does.
  const stops = (r: PartitionResult): boolean => r.verdict === 'unknown' || (r.verdict === 'not-linearizable' && !explainAll);
  const active = new Map(parts.map((part, i) => [i, startPartition(spec, part, task(i), SLICE_STEPS)] as const));
  const results: PartitionResult[] = [];
  const abort = new AbortController();
  const running = new Set<Promise<void>>();
  let failure: unknown;
  let pooled = false;
  let joined = false;
  const feed = (pool: HistoryPool): void => {
    // The main thread keeps the last one: handing it over would only add the transfer.
    if (abort.signal.aborted || active.size < 2) return;
    let i = -1;
    for (const k of active.keys()) if (i < 0 || parts[k]!.length > parts[i]!.length) i = k;
    active.delete(i);
    pooled = true;
    const run = pool.run({ ...task(i), ops: parts[i]!.map(toWire) }, abort.signal).then(
      (r) => {
        results.push(r);
        if (stops(r)) abort.abort();
        else feed(pool);
      },
      (e: unknown) => {
        if (!abort.signal.aborted) {
          failure ??= e;
          abort.abort();
        }
      },
    );
    running.add(run);
    void run.finally(() => running.delete(run));
  };
  while (!abort.signal.aborted && active.size > 0) {
    if (getPool && !joined && active.size > 1 && performance.now() >= poolAt) {
      joined = true;
      getPool().then(
        (pool) => {
          for (let w = 0; w < pool.threads; w++) feed(pool);
        },
        (e: unknown) => (failure ??= e),
      );
    }
    for (const [i, run] of active) {
      const r = run.next();
      if (!r.done) continue;
      active.delete(i);
      results.push(r.value);
      if (stops(r.value)) {
        abort.abort();
        break;
      }
    }
    // Let the pool's messages through between rounds.
    if (joined && !abort.signal.aborted) await new Promise((done) => setImmediate(done));
  }
  while (running.size > 0) await Promise.all([...running]);
  if (failure !== undefined) throw failure;
  return { results, pooled };
}

/** Every partition on the pool; the first non-linearizable (unless all are explained) or unknown one cancels the rest. */
async function onPool(
  pool: HistoryPool,
  parts: readonly (readonly JepsenOp[])[],
  task: (i: number) => PartitionTask,
  explainAll: boolean,
): Promise<PartitionResult[]> {
  const abort = new AbortController();
  const results: PartitionResult[] = [];
  // Largest first: the longest search starts earliest.
  const order = parts.map((p, i) => [p.length, i] as const).sort((a, b) => b[0] - a[0]);
  await Promise.all(
    order.map(async ([, i]) => {
      try {
        const r = await pool.run({ ...task(i), ops: parts[i]!.map(toWire) }, abort.signal);
        results.push(r);
        if (r.verdict === 'unknown' || (r.verdict === 'not-linearizable' && !explainAll)) abort.abort();
      } catch (e) {
        if (!abort.signal.aborted) throw e;
      }
    }),
  );
  return results;
}

function overallExit(reports: readonly HistoryReport[]): number {
  const errors = reports.filter((r) => r.error);
  if (errors.length > 0) return Math.max(...errors.map((r) => exitCodeForError(r.error!.code)));
  if (reports.some((r) => r.verdict === 'not-linearizable')) return EXIT.VIOLATION;
  if (reports.some((r) => r.verdict === 'unknown')) return EXIT.UNKNOWN;
  return EXIT.OK;
}

function resultOf(code: number): string {
  return code === EXIT.OK ? 'linearizable' : code === EXIT.VIOLATION ? 'not-linearizable' : code === EXIT.UNKNOWN ? 'unknown' : 'error';
}

const ms = (x: number): string => (x < 10 ? x.toFixed(2) : x < 1000 ? x.toFixed(1) : x.toFixed(0)) + ' ms';

export function reportLines(r: HistoryReport, stream: NodeJS.WriteStream = process.stdout): string[] {
  if (r.error) return [paint(stream, 'red', `${r.error.where ?? r.file}: error[${r.error.code}]: ${r.error.message}`)];
  const what = r.consistency === 'sequential' ? (r.verdict === 'linearizable' ? 'sequentially consistent' : 'not sequentially consistent') : r.verdict!.replace('-', ' ');
  const stats = `${n(r.operations)} ops, ${r.partitions} partition${r.partitions === 1 ? '' : 's'}, ${ms(r.elapsedMs)}`;
  if (r.verdict === 'linearizable') return [paint(stream, 'green', `${r.file}: ${what}`) + ` (${stats})`];
  if (r.verdict === 'unknown')
    return [paint(stream, 'yellow', `${r.file}: unknown`) + ` (${stats}; the ${r.reason === 'memory' ? 'memory' : 'time'} budget ran out before the search decided)`];
  const lines = [paint(stream, 'red', `${r.file}: ${what}`) + ` (${stats})`];
  if (r.explanation) lines.push(...renderExplanation(r.explanation, { partitions: r.partitions }));
  if (r.explanations && r.explanations.length > 1)
    lines.push(
      `  ${r.explanations.length} of the ${r.partitions} partitions are not linearizable: ${r.explanations.map((e) => e.partition + 1).join(', ')} (the first is shown).`,
    );
  return lines;
}

export async function historyCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      model: { type: 'string', short: 'm' },
      init: { type: 'string' },
      'no-partition': { type: 'boolean' },
      'pool-after': { type: 'string' },
      consistency: { type: 'string' },
      timeout: { type: 'string' },
      workers: { type: 'string', short: 'w' },
      json: { type: 'boolean' },
      html: { type: 'string' },
      plain: { type: 'boolean' },
      debug: { type: 'boolean' },
    },
  });
  if (values.model === undefined)
    throw new QuorumError('USAGE', `history needs --model NAME (${MODELS.map((m) => m.name).join(', ')})`, 'history');
  if (positionals.length === 0) throw new QuorumError('USAGE', 'history needs at least one history file', 'history');
  const consistency = (values.consistency ?? 'linearizable') as Consistency;
  if (consistency !== 'linearizable' && consistency !== 'sequential')
    throw new QuorumError('USAGE', `--consistency takes linearizable or sequential, got '${values.consistency}'`, '--consistency');
  const timeoutSec = values.timeout === undefined ? 60 : Number(values.timeout);
  if (!(timeoutSec >= 0)) throw new QuorumError('USAGE', `--timeout takes a number of seconds, got '${values.timeout}'`, '--timeout');
  const workers = values.workers === undefined ? Math.max(1, availableParallelism()) : Number(values.workers);
  if (!Number.isInteger(workers) || workers < 0 || workers > 256) throw new QuorumError('USAGE', `--workers takes a whole number from 0 to 256, got '${values.workers}'`, '--workers');
  if (values.html !== undefined) checkHtmlTarget(values.html);
  const tty = interactive() && !values.json && !values.plain;
  const poolAfterMs = values['pool-after'] === undefined ? POOL_AFTER_MS_DEFAULT : Number(values['pool-after']);
  if (!(poolAfterMs >= 0)) throw new QuorumError('USAGE', `--pool-after takes a number of milliseconds, got '${values['pool-after']}'`, '--pool-after');
  const started = performance.now();
  const reports = await checkHistoryFiles(positionals, {
    poolAfterMs,
    model: values.model,
    ...(values.init !== undefined ? { init: values.init } : {}),
    partition: !values['no-partition'],
    consistency,
    timeoutMs: timeoutSec === 0 ? Infinity : timeoutSec * 1000,
    workers,
    explainAll: tty || values.html !== undefined,
  });
  let code = overallExit(reports);
  const wallMs = performance.now() - started;
  const bad = badPartitions(reports);
  let htmlError: { code: string; message: string; where: string } | undefined;
  if (values.html !== undefined) {
    try {
      writeFileSync(values.html, historyHtml(bad, { model: values.model, files: reports.length }));
    } catch (e) {
      htmlError = { code: 'TRACE_WRITE', message: `cannot write the HTML page: ${e instanceof Error ? e.message : String(e)}`, where: values.html };
      code = Math.max(code, exitCodeForError(htmlError.code));
    }
  }
  if (values.json) {
    const html = values.html === undefined ? {} : htmlError ? { htmlError } : { html: values.html };
    process.stdout.write(JSON.stringify({ result: resultOf(code), exitCode: code, wallMs, histories: reports, ...html }) + '\n');
    return code;
  }
  if (tty && bad.length > 0) {
    const tui = await import('../tui/index.js');
    await tui.showHistoryTimeline(bad, { exitCode: code });
  }
  // Also after the timeline screen: the counterexample stays on the normal screen once it is gone.
  for (const r of reports) for (const line of reportLines(r)) process.stdout.write(line + '\n');
  if (reports.length > 1) {
    const count = (v: string) => reports.filter((r) => r.verdict === v).length;
    const errors = reports.filter((r) => r.error).length;
    const sum = reports.reduce((s, r) => s + r.elapsedMs, 0);
    process.stdout.write(
      `\n${reports.length} histories: ${count('linearizable')} linearizable, ${count('not-linearizable')} not, ${count('unknown')} unknown` +
        `${errors ? `, ${errors} unreadable` : ''}; ${ms(sum)} in all (sum of per-file times), ${ms(wallMs)} wall.\n`,
    );
  }
  if (htmlError) process.stderr.write(paint(process.stderr, 'red', `quorum: ${htmlError.where}: error[${htmlError.code}]: ${htmlError.message}`) + '\n');
  else if (values.html !== undefined)
    process.stdout.write(`Timeline page written to ${values.html} (${bad.length} non-linearizable partition${bad.length === 1 ? '' : 's'}).\n`);
  return code;
}

/** Every non-linearizable partition of every file, in file then partition order. */
function badPartitions(reports: readonly HistoryReport[]): BadPartition[] {
  return reports.flatMap((r) =>
    (r.explanations ?? (r.explanation ? [r.explanation] : [])).map((explanation) => ({ file: r.file, partitions: r.partitions, explanation, consistency: r.consistency })),
  );
}

/** A page that could not be written is known before the check: its folder must exist. */
function checkHtmlTarget(file: string): void {
  const st = statSync(file, { throwIfNoEntry: false });
  if (st?.isDirectory()) throw new QuorumError('USAGE', '--html takes a file name, not a folder', file);
  const dir = statSync(dirname(file), { throwIfNoEntry: false });
  if (!dir?.isDirectory()) throw new QuorumError('USAGE', `--html: the folder ${dirname(file)} does not exist`, file);
}
