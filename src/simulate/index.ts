// `simulate`: seeds of random walks run on a worker pool (or this thread), the first violation found
// shrunk by fast-check and replayed here to rebuild its trace. Seeds are handed out in order and, once
// one finds a violation, the lower seeds still running are waited for: the lowest violating seed wins,
// so a run's result depends on its seeds and settings, not on the number of workers or on timing.
import { Piscina } from 'piscina';
import { CompiledModel } from '../engine/compiled-model.js';
import { specCheckOptions } from '../engine/index.js';
import { VariableNovelty } from './width.js';
import type { TraceStep } from '../engine/trace.js';
import type { CfgValue } from '../model/constants.js';
import { QuorumError } from '../model/errors.js';
import { loadSpec, type LoadedSpec } from '../spec/load.js';
import { runSeed, type SeedFinding, type SeedLive, type SeedResult, type WalkSettings } from './search.js';
import { runWalk } from './walk.js';
import { workerBundle } from '../engine/worker-bundle.js';
import { fileURLToPath } from 'node:url';

const WORKER_SOURCE = fileURLToPath(new URL('./worker.ts', import.meta.url));
import type { SeedLiveMessage, SeedTask, SimulateWorkerSetup } from './worker.js';

export interface SimulateOptions {
  readonly workers: number;
  readonly overrides?: readonly { name: string; value: CfgValue }[];
  readonly settings: WalkSettings;
  /** The first seed; seeds firstSeed, firstSeed + 1, ... are run. */
  readonly firstSeed: number;
  /** The last seed to run (inclusive); unbounded when absent (then a time limit or Ctrl-C ends the run). */
  readonly lastSeed?: number;
  readonly timeLimitMs?: number;
  /** Replay fast-check's path of one walk of firstSeed, on this thread. */
  readonly path?: string;
  readonly onProgress?: (p: SimulateProgress) => void;
  readonly progressIntervalMs?: number;
  readonly signal?: AbortSignal;
}

export interface SimulateProgress {
  readonly elapsedMs: number;
  readonly walks: number;
  readonly steps: number;
  readonly distinctStates: number;
  /** States in the longest walk so far. */
  readonly deepest: number;
  /** Seeds finished. */
  readonly seeds: number;
  readonly workers: number;
  /** The seeds running now (lowest first), with their counts so far (when the run reports progress). */
  readonly running?: readonly RunningSeed[];
  /** The violation of the lowest seed found so far: still shrinking, or shrunk (then lower seeds may still run). */
  readonly finding?: FindingProgress;
}

export interface RunningSeed {
  readonly seed: number;
  /** Which worker runs it (1-based, in the order workers first reported), 0 on the main thread, null until known. */
  readonly worker: number | null;
  /** Since the seed was handed out. */
  readonly elapsedMs: number;
  readonly walks: number;
  readonly steps: number;
  readonly deepest: number;
  readonly shrinking: SeedLive['shrinking'];
}

export interface FindingProgress {
  readonly seed: number;
  readonly kind: string;
  readonly name: string;
  readonly originalLength: number;
  /** States in the shortest violating walk so far. */
  readonly length: number;
  readonly shrinks: number;
  readonly shrinking: boolean;
}

let liveChannels = 0;

export interface SimulateResult {
  readonly loaded: LoadedSpec;
  readonly compiled: CompiledModel<unknown>;
  /** violation: found; ok: every seed asked for ran without one; stopped: the time limit or Ctrl-C came first. */
  readonly status: 'violation' | 'ok' | 'stopped';
  readonly interrupted: boolean;
  readonly stats: SimulateProgress;
  /** Seeds from firstSeed that all ran to the end (or up to the violating seed): [first, last], or null if none. */
  readonly seedsDone: readonly [number, number] | null;
  readonly finding?: SeedFinding;
  /** The shrunk walk, replayed here. */
  readonly trace?: TraceStep[];
}

/** Loads a spec and compiles the model with what the spec selects. */
export async function compileSpec(file: string, overrides: readonly { name: string; value: CfgValue }[] = []): Promise<{ loaded: LoadedSpec; compiled: CompiledModel<unknown> }> {
  const loaded = await loadSpec(file, overrides);
  const instance = loaded.definition.build(loaded.constants as never);
  const compiled = new CompiledModel(loaded.definition, instance as never, specCheckOptions(loaded, instance as never));
  return { loaded, compiled };
}

interface SeedRunner {
  run(seed: number, onWalk?: (live: SeedLive) => void): Promise<SeedResult>;
  close(): Promise<void>;
}

function inProcess(compiled: CompiledModel<unknown>, settings: WalkSettings): SeedRunner {
  const seen = new Set<number>();
  return {
    async run(seed, onWalk) {
      await new Promise((r) => setImmediate(r)); // let timers (progress, Ctrl-C) run between seeds
      return runSeed(compiled, settings, seed, { seen, ...(onWalk ? { onWalk } : {}) });
    },
    async close() {},
  };
}

function onPool(workers: number, setup: SimulateWorkerSetup, settings: WalkSettings, live?: string): SeedRunner {
  const pool = new Piscina({
    // The engine's loader of a bundle runs this worker's bundle as well (it imports workerData.bundle).
    filename: new URL(setup.bundle !== undefined ? '../engine/worker-bundled.mjs' : './worker-entry.mjs', import.meta.url).href,
    minThreads: workers,
    maxThreads: workers,
    concurrentTasksPerWorker: 1,
    idleTimeout: 60_000,
    workerData: setup,
    resourceLimits: { maxOldGenerationSizeMb: 8192 },
  });
  return {
    async run(seed) {
      try {
        return (await pool.run({ settings, seed, countStates: true, ...(live !== undefined ? { live } : {}) } satisfies SeedTask)) as SeedResult;
      } catch (e) {
        if (e instanceof QuorumError) throw e;
        throw new QuorumError('WORKER_DIED', `a simulation worker failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    },
    async close() {
      await pool.destroy();
    },
  };
}

export async function simulateSpec(file: string, opts: SimulateOptions): Promise<SimulateResult> {
  const started = performance.now();
  const { loaded, compiled } = await compileSpec(file, opts.overrides);
  const settings = opts.settings;
  // Names given to the width search are checked here, before any worker starts.
  if (settings.width !== undefined) new VariableNovelty(settings.width, settings.widthBy ?? [], compiled.init[0]);
  if (opts.path !== undefined) return replayPath(loaded, compiled, settings, opts.firstSeed, opts.path, started);

  const workers = opts.workers;
  // Live per-seed counts from the workers, only when someone listens.
  const liveName = opts.onProgress && workers > 0 ? `quorum-simulate-${process.pid}-${++liveChannels}` : undefined;
  const runner =
    workers > 0
      ? onPool(
          workers,
          {
            modelPath: loaded.modelPath,
            constants: loaded.constants,
            check: specCheckOptions(loaded, compiled.instance),
            bundle: await workerBundle(loaded.modelPath, WORKER_SOURCE),
          },
          settings,
          liveName,
        )
      : inProcess(compiled, settings);
  const distinct = new Set<number>();
  let walks = 0, steps = 0, deepest = 0, seedsFinished = 0;
  const running = new Map<number, { started: number; worker: number | null; live: SeedLive }>();
  const threads = new Map<number, number>();
  const finding = (): FindingProgress | undefined => {
    const live = [...running.entries()].filter(([s, r]) => r.live.shrinking !== null && (best === undefined || s < best.seed)).sort((a, b) => a[0] - b[0])[0];
    if (live) {
      const sh = live[1].live.shrinking!;
      return { seed: live[0], kind: sh.kind, name: sh.name, originalLength: sh.originalLength, length: sh.length, shrinks: sh.shrinks, shrinking: true };
    }
    if (!best) return undefined;
    const v = best.violation;
    return { seed: best.seed, kind: v.kind, name: v.name, originalLength: best.originalLength, length: v.length, shrinks: best.shrinks, shrinking: false };
  };
  const stats = (): SimulateProgress => {
    const now = performance.now();
    const base = { elapsedMs: Math.round(now - started), walks, steps, distinctStates: distinct.size, deepest, seeds: seedsFinished, workers };
    if (!opts.onProgress) return base;
    const f = finding();
    const seeds = [...running.entries()].sort((a, b) => a[0] - b[0]);
    return {
      ...base,
      running: seeds.map(([seed, r]) => ({ seed, worker: r.worker, elapsedMs: Math.round(now - r.started), ...r.live })),
      ...(f ? { finding: f } : {}),
    };
  };
  const channel = liveName !== undefined ? new BroadcastChannel(liveName) : undefined;
  channel?.addEventListener('message', (e) => {
    const m = (e as MessageEvent<SeedLiveMessage>).data;
    const r = running.get(m.seed);
    if (!r) return; // it finished meanwhile
    if (!threads.has(m.thread)) threads.set(m.thread, threads.size + 1);
    r.worker = threads.get(m.thread)!;
    r.live = { walks: m.walks, steps: m.steps, deepest: m.deepest, shrinking: m.shrinking };
  });
  (channel as { unref?: () => void } | undefined)?.unref?.();
  const timer = opts.onProgress ? setInterval(() => opts.onProgress!(stats()), opts.progressIntervalMs ?? 3000) : undefined;
  // On this thread a seed runs without a break: its live counts report progress themselves.
  let lastReport = performance.now();
  const inline = (seed: number) => (live: SeedLive) => {
    const r = running.get(seed);
    if (r) r.live = live;
    const now = performance.now();
    if (now - lastReport >= (opts.progressIntervalMs ?? 3000)) {
      lastReport = now;
      opts.onProgress!(stats());
    }
  };
  const deadline = opts.timeLimitMs !== undefined ? started + opts.timeLimitMs : Infinity;
  // The width search does not depend on the seed: one seed runs it.
  const last = settings.width !== undefined ? opts.firstSeed : opts.lastSeed ?? Infinity;
  const done = new Set<number>();
  let next = opts.firstSeed;
  let best: SeedFinding | undefined;
  let failure: unknown;
  let closing = false;
  const inFlight = new Map<number, Promise<void>>();
  // Ctrl-C ends the wait for the seeds in flight on workers (then abandoned) at once; the time limit
  // still lets them finish. On this thread a seed runs to its end anyway.
  const aborted = new Promise<void>((r) => opts.signal?.addEventListener('abort', () => r(), { once: true }));
  const stopIssuing = () => best !== undefined || failure !== undefined || opts.signal?.aborted || performance.now() >= deadline || next > last;

  const launch = (seed: number) => {
    if (opts.onProgress) running.set(seed, { started: performance.now(), worker: workers === 0 ? 0 : null, live: { walks: 0, steps: 0, deepest: 0, shrinking: null } });
    const p = runner.run(seed, opts.onProgress && workers === 0 ? inline(seed) : undefined).then(
      (r) => {
        running.delete(seed);
        seedsFinished++;
        done.add(seed);
        walks += r.walks;
        steps += r.steps;
        if (r.deepest > deepest) deepest = r.deepest;
        for (const k of r.fresh ?? []) distinct.add(k);
        if (r.finding && (best === undefined || r.finding.seed < best.seed)) best = r.finding;
      },
      (e) => {
        running.delete(seed);
        if (!closing) failure ??= e; // a seed abandoned when the run stopped rejects as its worker goes
      },
    );
    inFlight.set(seed, p.finally(() => inFlight.delete(seed)));
  };
  try {
    const parallel = Math.max(1, workers);
    while (true) {
      while (!stopIssuing() && inFlight.size < parallel) launch(next++);
      if (inFlight.size === 0 || failure !== undefined) break;
      // Once a violation is found only the lower seeds still matter.
      const waitingFor = best ? [...inFlight.keys()].filter((s) => s < best!.seed) : [...inFlight.keys()];
      if (best && waitingFor.length === 0) break;
      if (!best && stopIssuing() && (opts.signal?.aborted || performance.now() >= deadline) && failure === undefined) {
        // Stopped: the seeds in flight are abandoned (their walks do not count).
        break;
      }
      await Promise.race([...waitingFor.map((s) => inFlight.get(s)!), ...(best || workers === 0 ? [] : [aborted])]);
    }
  } finally {
    if (timer) clearInterval(timer);
    channel?.close();
    closing = true;
    await runner.close();
  }
  if (failure !== undefined) throw failure;

  // The longest run of finished seeds from the first one (for merging seed ranges).
  let upTo = opts.firstSeed - 1;
  while (done.has(upTo + 1) && (best === undefined || upTo + 1 <= best.seed)) upTo++;
  const seedsDone: readonly [number, number] | null = upTo >= opts.firstSeed ? [opts.firstSeed, upTo] : null;
  const interrupted = Boolean(opts.signal?.aborted);
  if (!best) {
    const complete = next > last && upTo === last;
    return { loaded, compiled, status: complete ? 'ok' : 'stopped', interrupted, stats: stats(), seedsDone };
  }
  const trace = replayFinding(compiled, settings, best);
  return { loaded, compiled, status: 'violation', interrupted, stats: stats(), seedsDone, finding: best, trace };
}

/** Replays a shrunk walk here; it must violate the same property at the same length. */
export function replayFinding(compiled: CompiledModel<unknown>, settings: WalkSettings, f: SeedFinding): TraceStep[] {
  const trace: TraceStep[] = [];
  const again = runWalk(compiled, f.plan, { balance: settings.balance, trace }).violation;
  if (!again || again.kind !== f.violation.kind || again.name !== f.violation.name || again.length !== f.violation.length) {
    throw new QuorumError('INTERNAL', `the shrunk walk of seed ${f.seed} does not replay to the same violation (is the model deterministic?)`);
  }
  return trace;
}

function replayPath(loaded: LoadedSpec, compiled: CompiledModel<unknown>, settings: WalkSettings, seed: number, path: string, started: number): SimulateResult {
  let r: SeedResult;
  try {
    r = runSeed(compiled, settings, seed, { path, seen: new Set() });
  } catch (e) {
    throw new QuorumError('USAGE', `--path ${path} is not a walk of seed ${seed} with these settings: ${e instanceof Error ? e.message : String(e)}`, '--path');
  }
  const stats: SimulateProgress = {
    elapsedMs: Math.round(performance.now() - started),
    walks: r.walks,
    steps: r.steps,
    distinctStates: r.fresh?.length ?? 0,
    deepest: r.deepest,
    seeds: 1,
    workers: 0,
  };
  if (!r.finding) return { loaded, compiled, status: 'ok', interrupted: false, stats, seedsDone: [seed, seed] };
  return { loaded, compiled, status: 'violation', interrupted: false, stats, seedsDone: [seed, seed], finding: r.finding, trace: replayFinding(compiled, settings, r.finding) };
}
