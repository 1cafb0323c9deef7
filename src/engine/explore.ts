// Breadth-first exploration, level by level. Each level's chunks are expanded by an executor
// (this thread or a Piscina pool); new states are deduplicated in the shared seen table. A level is
// always finished before the run stops on a violation, so counts and the reported counterexample do
// not depend on the number of workers or on scheduling.
import type { Chunk } from './chunk.js';
import { CHUNK_STATES, ChunkBuilder } from './chunk.js';
import type { StateCodec } from './codec.js';
import type { CompiledModel } from './compiled-model.js';
import { ModelThrew } from './compiled-model.js';
import type { Executor } from './executor.js';
import { describeFailure, type ExpandResult, type FoundViolation, type FoundWitness, type ModelFailure, type TaskChunk } from './expand.js';
import { fpToHex } from './fingerprint.js';
import { findNonValue, showPath } from './state-path.js';
import { SeenTable } from './seen-table.js';
import { fingerprintChain, replay, type LevelLog, type TraceStep } from './trace.js';
import { QuorumError } from '../model/errors.js';
import { checkLiveness } from './liveness.js';
import { LiveGraphBuilder, livePredicates, MAX_FAIRNESS } from './live-graph.js';
import { writeCheckpoint, type LoadedCheckpoint, type RunIdentity } from './checkpoint.js';
import { currentRss, peakRss, showBytes } from './memory.js';
import type { RecordRef, RunDir } from './run-dir.js';

export interface ActionCoverage {
  readonly action: string;
  /** Successors produced by the action (duplicates included). */
  readonly fired: number;
  /** Distinct states first reached through it. */
  readonly distinct: number;
}

export interface Progress {
  readonly elapsedMs: number;
  readonly distinctStates: number;
  readonly statesGenerated: number;
  /** States found but not yet expanded. */
  readonly queue: number;
  readonly depth: number;
  readonly workers: number;
  readonly coverage: readonly ActionCoverage[];
}

export interface Violation<S = unknown> {
  readonly kind: 'invariant' | 'deadlock' | 'action' | 'reachability' | 'liveness';
  readonly name: string;
  /** For reachability failures: empty (no reachable state satisfies the property). */
  readonly trace: TraceStep<S>[];
  /** Liveness lassos: index in trace of the state the cycle returns to. */
  readonly loopStart?: number;
  /** Liveness: the behavior stutters forever in its last state. */
  readonly stuttering?: boolean;
  /** Liveness lassos: the step from the last state back to trace[loopStart]. */
  readonly loopAction?: string;
}

/** A reachability ("sometimes") property's outcome: a shortest witness, or none. */
export interface ReachabilityResult<S = unknown> {
  readonly name: string;
  /** true: witnessed; false: no reachable state satisfies it; null: the run stopped before it could tell. */
  readonly holds: boolean | null;
  readonly trace?: TraceStep<S>[];
}

export interface RunFailure {
  readonly code: string;
  readonly message: string;
  readonly where?: string;
  /** The state the model threw in, when known. */
  readonly state?: unknown;
  readonly stack?: string;
  /** A shortest trace to the state the model failed in (when it failed expanding a reachable state). */
  readonly trace?: TraceStep<unknown>[];
}

/** Limits on a run: it stops, reporting a bound (not "no error"), when one is reached with work left. */
export interface Bounds {
  /** Breadth-first levels to explore (initial states are level 1); states at the last one are not expanded. */
  readonly maxDepth?: number;
  /** Distinct states after which no new work is started (the tasks in flight finish). */
  readonly maxStates?: number;
  /** Milliseconds after which no new work is started. */
  readonly timeoutMs?: number;
}

/** The bound a run stopped at. */
export interface BoundReached {
  readonly kind: 'depth' | 'states' | 'time';
  readonly limit: number;
}

/** Where a stopped run can be resumed from (`quorum check --resume DIR`). */
export interface ResumePoint {
  readonly dir: string;
  /** The level the resumed run goes on with. */
  readonly level: number;
  readonly distinctStates: number;
}

export interface RunMemory {
  /** The process's peak resident set (all threads). */
  readonly peakRssBytes: number;
  readonly budgetBytes?: number;
  /** Bytes this run wrote to its run folder (spilled parent log and frontier, checkpoints' records). */
  readonly spilledBytes: number;
  /** The run went over half its budget and kept its parent log and frontier on disk from then on. */
  readonly spilled: boolean;
}

export interface Outcome<S = unknown> {
  /** 'memory': stopped before going over the memory budget (with a resume point). */
  readonly status: 'ok' | 'violation' | 'error' | 'interrupted' | 'bounded' | 'memory';
  /** For status 'memory': why. */
  readonly memoryStop?: string;
  readonly memory?: RunMemory;
  /** A stopped run that can be resumed (interrupted, stopped for memory, or at a bound with a run folder). */
  readonly resumePoint?: ResumePoint;
  /** The resume point could not be written: why. */
  readonly resumePointError?: string;
  /** This run went on from a checkpoint: where it was taken. */
  readonly resumed?: { readonly dir: string; readonly level: number; readonly distinctStates: number; readonly elapsedMs: number };
  /** For status 'bounded': which bound stopped the run. */
  readonly bound?: BoundReached;
  readonly distinctStates: number;
  readonly statesGenerated: number;
  readonly depth: number;
  readonly queue: number;
  readonly elapsedMs: number;
  readonly workers: number;
  readonly coverage: ActionCoverage[];
  /** TLC's "calculated (optimistic)" fingerprint-collision probability. */
  readonly collisionProbability: number;
  readonly violation: Violation<S> | null;
  readonly failure: RunFailure | null;
  readonly reachability: ReachabilityResult<S>[];
  /** Memory of the seen table and of the parent log, for bytes-per-state reports. */
  readonly seenTableBytes: number;
  readonly parentLogBytes: number;
  /** With liveness properties: the memory of the state graph the search recorded (typed arrays, capacity included). */
  readonly livenessGraphBytes?: number;
  /** With liveness properties, once the search completed: time of the analysis on the graph, counterexample included (ms). */
  readonly livenessMs?: number;
}

export interface ExploreParams<S> {
  readonly model: CompiledModel<S>;
  readonly codec: StateCodec;
  readonly executor: Executor;
  readonly onProgress?: (p: Progress) => void;
  readonly progressIntervalMs?: number;
  readonly signal?: AbortSignal;
  readonly initialCapacity?: number;
  /** performance.now() when the run began (elapsed time counts from it), if before exploring. */
  readonly startedAt?: number;
  readonly bounds?: Bounds;
  /** Bytes the process may use: past half of it the parent log and the frontier go to the run folder. */
  readonly memoryBudget?: number;
  /** The resident set above which the run spills (default: half the budget; 0 spills from the start). */
  readonly spillAbove?: number;
  /** The run folder, checkpoints and resume points. */
  readonly persist?: Persistence;
  /** Go on from this checkpoint. */
  readonly resume?: LoadedCheckpoint;
}

export interface Persistence {
  readonly dir: RunDir;
  readonly identity: RunIdentity;
  /** Write a checkpoint at a level boundary once this many ms have passed since the last (0: at every level). */
  readonly checkpointEveryMs?: number;
  /** Also leave a resume point when the run stops at a bound (Ctrl-C and memory always do). */
  readonly atBound?: boolean;
}

const KIND_ORDER = { deadlock: 0, invariant: 1, action: 2 } as const;

/** The violation to report among those found in one level: shortest, then a fixed order. */
function pickViolation(vs: readonly FoundViolation[]): FoundViolation | undefined {
  let best: FoundViolation | undefined;
  const key = (v: FoundViolation) => [v.level, KIND_ORDER[v.kind], v.name, fpToHex(v.fp[0], v.fp[1])] as const;
  for (const v of vs) {
    if (!best) {
      best = v;
      continue;
    }
    const a = key(v), b = key(best);
    for (let i = 0; i < a.length; i++) {
      if (a[i]! < b[i]!) {
        best = v;
        break;
      }
      if (a[i]! > b[i]!) break;
    }
  }
  return best;
}

/** A chunk of a level: in memory, in the run folder, or both. */
interface LevelChunk {
  readonly count: number;
  mem?: Chunk;
  frontier?: RecordRef;
  log?: RecordRef;
}

/** A chunk of the level being expanded, from state `from` on. */
interface PendingItem {
  chunk?: TaskChunk;
  ref?: RecordRef;
  readonly count: number;
  from: number;
}

// With a budget, the run starts writing its parent log and frontier to the run folder at half of it.
const SPILL_AT = 0.5;
// What a growth of the seen table leaves free under the budget, for the workers' own allocations.
const GROW_MARGIN = 32 * 2 ** 20;

export async function explore<S>(params: ExploreParams<S>): Promise<Outcome<S>> {
  const { model, codec, executor } = params;
  const started = params.startedAt ?? performance.now();
  const resume = params.resume;
  const priorMs = resume?.checkpoint.elapsedMs ?? 0;
  const elapsed = () => priorMs + performance.now() - started;
  const persist = params.persist;
  const dir: RunDir | undefined = persist?.dir ?? resume?.dir;
  const budget = params.memoryBudget;
  const table = resume?.table ?? SeenTable.create(params.initialCapacity ?? 1 << 16);
  const levels: LevelLog[] = resume ? resume.checkpoint.levels.map((l) => l.map((ref) => ({ count: ref.count, ref }))) : [];
  const fired = resume ? [...resume.checkpoint.fired] : new Array<number>(model.actions.length).fill(0);
  const fresh = resume ? [...resume.checkpoint.fresh] : new Array<number>(model.actions.length).fill(0);
  if (fired.length !== model.actions.length || fresh.length !== model.actions.length) throw new QuorumError('CHECKPOINT_INVALID', 'the checkpoint counts another number of actions', resume?.dir.path);
  let generated = resume?.checkpoint.generated ?? 0;
  let depth = resume?.checkpoint.depth ?? 0;
  let queued = resume?.checkpoint.queued ?? 0; // states in the frontier and the next level not yet expanded
  const found: FoundViolation[] = resume ? [...resume.checkpoint.found] : [];
  let failure: ModelFailure | undefined;
  let interrupted = false;
  // Stopped for memory: why (the run ends cleanly, with a resume point).
  let memoryStop: string | undefined;
  let spilling = false;
  let peak = 0;
  // A bound stops new work as an interruption does; it is checked per level and per task result.
  const bounds = params.bounds ?? {};
  let bound: BoundReached | undefined;
  const overBound = (): boolean => {
    if (bound) return true;
    if (bounds.maxStates !== undefined && table.count >= bounds.maxStates) bound = { kind: 'states', limit: bounds.maxStates };
    else if (bounds.timeoutMs !== undefined && performance.now() - started >= bounds.timeoutMs) bound = { kind: 'time', limit: bounds.timeoutMs };
    return bound !== undefined;
  };
  const onAbort = () => {
    interrupted = true;
  };
  params.signal?.addEventListener('abort', onAbort);
  if (params.signal?.aborted) interrupted = true;

  const coverage = (): ActionCoverage[] =>
    model.actions.map((a, i) => ({ action: a.name, fired: fired[i]!, distinct: fresh[i]! }));
  const progress = (): Progress => ({
    elapsedMs: elapsed(),
    distinctStates: table.count,
    statesGenerated: generated,
    queue: queued,
    depth,
    workers: executor.workers,
    coverage: coverage(),
  });
  const timer = params.onProgress
    ? setInterval(() => params.onProgress!(progress()), params.progressIntervalMs ?? 2000)
    : undefined;

  // Reachability: the best witness so far per property (lowest level, then smallest fingerprint).
  const witnesses: (FoundWitness | undefined)[] = resume ? resume.checkpoint.witnesses.map((w) => w ?? undefined) : model.reachability.map(() => undefined);
  const noteWitness = (w: FoundWitness) => {
    const cur = witnesses[w.index];
    if (!cur || w.level < cur.level || (w.level === cur.level && fpToHex(w.fp[0], w.fp[1]) < fpToHex(cur.fp[0], cur.fp[1]))) witnesses[w.index] = w;
  };

  // Liveness: the search records the state graph as it goes (live-graph.ts).
  const live = model.liveness.length > 0 ? livePredicates(model.liveness) : undefined;
  if (live && model.fairness.length > MAX_FAIRNESS) failure = { code: 'CFG_INVALID', message: `at most ${MAX_FAIRNESS} fairness assumptions are supported` };
  const graph = live ? new LiveGraphBuilder(model.fairness.length, (live.predicates.length + 7) >> 3) : undefined;
  if (graph && resume) throw new QuorumError('USAGE', 'a run with liveness properties cannot be resumed: the liveness graph is kept in memory only', resume.dir.path);

  // The run folder: spilled chunks are read back from it; each record is checked as it is read.
  const loadLog = (ref: RecordRef) => dir!.readLog(ref);
  const spillChunk = (lvl: number, c: Chunk): LevelChunk => ({ count: c.count, frontier: dir!.writeFrontier(lvl, c), log: dir!.writeLog(lvl, c) });
  /** Writes what is only in memory to the run folder; with `drop`, frees the memory copies too. */
  const spillAll = (lvl: number, pendingNow: PendingItem[], nextNow: LevelChunk[], drop: boolean) => {
    levels.forEach((log, i) => {
      for (const e of log) {
        if (!e.ref && e.fps && e.parents) e.ref = dir!.writeLog(i + 1, { count: e.count, fps: e.fps, parents: e.parents });
        if (drop && e.ref) {
          e.fps = undefined;
          e.parents = undefined;
        }
      }
    });
    for (const c of nextNow) {
      if (c.mem && !c.frontier) c.frontier = dir!.writeFrontier(lvl + 1, c.mem);
      if (c.mem && !c.log) c.log = dir!.writeLog(lvl + 1, c.mem);
      if (drop) c.mem = undefined;
    }
    for (const p of pendingNow) {
      if (p.chunk && !p.ref) p.ref = dir!.writeFrontier(lvl, p.chunk);
      if (drop) p.chunk = undefined;
    }
  };
  const sampleRss = (): number => {
    const rss = currentRss();
    if (rss > peak) peak = rss;
    return rss;
  };
  const spillAbove = params.spillAbove ?? (budget !== undefined ? budget * SPILL_AT : undefined);
  const noteMemory = (lvl: number, pendingNow: PendingItem[], nextNow: LevelChunk[]) => {
    if (spillAbove === undefined || !dir) return;
    const rss = sampleRss();
    if (!spilling && rss > spillAbove) {
      spilling = true;
      spillAll(lvl, pendingNow, nextNow, true);
    } else if (spilling && budget !== undefined && rss > budget && !memoryStop) {
      memoryStop = `the process uses ${showBytes(rss)}, over the budget of ${showBytes(budget)}, with the parent log and the frontier on disk`;
    }
  };

  // A checkpoint: the position at a quiet moment (no task in flight), with everything it needs on disk.
  let lastCheckpointAt = performance.now();
  let checkpointLevel: number | undefined = resume?.checkpoint.level;
  let resumePoint: ResumePoint | undefined;
  let resumePointError: string | undefined;
  const checkpoint = (lvl: number, pendingNow: PendingItem[], nextNow: LevelChunk[], outChunk: number): void => {
    if (!dir || !persist || graph) return;
    try {
      spillAll(lvl, pendingNow, nextNow, false);
      writeCheckpoint(dir, persist.identity, table, {
        level: lvl,
        depth,
        generated,
        queued,
        fired,
        fresh,
        elapsedMs: Math.round(elapsed()),
        outChunk,
        found,
        witnesses: witnesses.map((w) => w ?? null),
        levels: levels.map((l) => l.map((e) => e.ref!)),
        pending: pendingNow.map((p) => ({ ref: p.ref!, from: p.from })),
        next: nextNow.map((c) => ({ frontier: c.frontier!, log: c.log! })),
      });
      lastCheckpointAt = performance.now();
      checkpointLevel = lvl;
      resumePoint = { dir: dir.path, level: lvl, distinctStates: table.count };
      dir.dropFrontiersBelow(lvl);
    } catch (e) {
      resumePointError = e instanceof Error ? e.message : String(e);
    }
  };

  let level: number;
  let pending: PendingItem[] = [];
  let next: LevelChunk[] = [];
  let outChunk = 64;
  // The chunks of the level about to be expanded, largest first so the level ends on small tasks and no
  // worker waits long for the last one; the next level's chunks hold about four per task slot.
  const startLevel = (frontier: LevelChunk[]) => {
    pending = frontier
      .map((c): PendingItem => ({ chunk: c.mem ? { count: c.count, bytes: c.mem.bytes, offsets: c.mem.offsets, fps: c.mem.fps } : undefined, ref: c.frontier, count: c.count, from: 0 }))
      .sort((a, b) => b.count - a.count);
    next = [];
    const levelStates = frontier.reduce((n, c) => n + c.count, 0);
    outChunk = Math.min(CHUNK_STATES, Math.max(64, Math.ceil(levelStates / (executor.parallelism * 4))));
  };

  let frontier: LevelChunk[] = [];
  if (resume) {
    const cp = resume.checkpoint;
    level = cp.level;
    pending = cp.pending.map((p) => ({ ref: p.ref, count: p.ref.count, from: p.from }));
    next = cp.next.map((c) => ({ count: c.log.count, frontier: c.frontier, log: c.log }));
    outChunk = cp.outChunk;
  } else {
    // Level 1: the initial states, on this thread.
    const fp = new Uint32Array(2);
    const builder = new ChunkBuilder(codec);
    try {
      for (const s of model.init) {
        generated++;
        if (!model.satisfiesConstraints(s)) {
          const bad = model.violatedInvariant(s);
          if (bad !== undefined) {
            model.keyFingerprintInto(s, fp, 0);
            found.push({ kind: 'invariant', name: bad, level: 1, fp: [fp[0]!, fp[1]!], parent: [0, 0] });
          }
          continue;
        }
        model.keyFingerprintInto(s, fp, 0);
        graph?.addInitial(fp[0]!, fp[1]!);
        if (table.add(fp[0]!, fp[1]!)) {
          builder.add(s, fp[0]!, fp[1]!, 0, 0);
          const bad = model.violatedInvariant(s);
          if (bad !== undefined) found.push({ kind: 'invariant', name: bad, level: 1, fp: [fp[0]!, fp[1]!] });
          model.reachability.forEach((p, k) => {
            if (model.holds(p, s)) noteWitness({ index: k, level: 1, fp: [fp[0]!, fp[1]!] });
          });
        }
      }
    } catch (e) {
      failure = describeFailure(e instanceof QuorumError ? explainInitialNonValue(model.init, e) : new ModelThrew('the initial states', e, undefined), codec, undefined);
    }
    const first = builder.take();
    frontier = first.map((c) => ({ count: c.count, mem: c }));
    levels.push(first.map(logOf));
    if (table.count > 0) depth = 1;
    queued = table.count;
    level = 1;
  }

  let workLeft = false; // states a bound left unexpanded
  // A resumed run starts inside its level (or at its start, which is the same position).
  let inLevel = resume !== undefined;
  // Stopped at a level boundary: the frontier is the resume point (pending = the whole level).
  const stopAtBoundary = () => {
    if (found.length > 0 || failure) return;
    if (interrupted || memoryStop || (bound && persist?.atBound)) {
      startLevel(frontier);
      checkpoint(level, pending, [], outChunk);
    }
  };
  for (;;) {
    if (!inLevel) {
      if (frontier.length === 0 || found.length > 0 || failure) break;
      if (interrupted || memoryStop) {
        stopAtBoundary();
        break;
      }
      if (bounds.maxDepth !== undefined && level >= bounds.maxDepth) {
        bound = { kind: 'depth', limit: bounds.maxDepth };
        workLeft = true;
        stopAtBoundary();
        break;
      }
      if (overBound()) {
        workLeft = true;
        stopAtBoundary();
        break;
      }
      startLevel(frontier);
      if (dir) dir.dropFrontiersBelow(Math.min(level, checkpointLevel ?? level));
      if (persist?.checkpointEveryMs !== undefined && !graph && performance.now() - lastCheckpointAt >= persist.checkpointEveryMs) checkpoint(level, pending, next, outChunk);
    }
    inLevel = false;
    frontier = [];
    const inflight = new Map<number, Promise<[number, PendingItem, ExpandResult | Error, Uint32Array]>>();
    let nextId = 0;
    let mustGrow = false;
    const submit = (item: PendingItem) => {
      const id = nextId++;
      // A chunk on disk is read back as it is handed out; a task gets the chunk without its parents (the level log has them).
      let chunk: TaskChunk;
      if (item.chunk) chunk = item.chunk;
      else chunk = dir!.readFrontier(item.ref!);
      item.chunk = undefined; // its bytes move to the worker and come back with the result if it stops early
      const task = { chunk, level, table: table.handle(), from: item.from, seeking: witnesses.map((w) => w === undefined), outChunk, graph: graph !== undefined };
      inflight.set(
        id,
        executor.expand(task).then(
          (r) => [id, { ...item, chunk: r.expandedTo < chunk.count ? { ...chunk, ...(r.rest ?? {}) } : undefined }, r, chunk.fps] as [number, PendingItem, ExpandResult, Uint32Array],
          (e: unknown) => [id, item, e instanceof Error ? e : new Error(String(e)), chunk.fps] as [number, PendingItem, Error, Uint32Array],
        ),
      );
    };
    while (pending.length > 0 || inflight.size > 0) {
      while (!mustGrow && !failure && !interrupted && !memoryStop && !bound && pending.length > 0 && inflight.size < executor.parallelism) {
        try {
          submit(pending[0]!);
          pending.shift();
        } catch (e) {
          failure = failureOf(e);
        }
      }
      if (inflight.size === 0) {
        if (failure || interrupted || memoryStop || bound) break;
        if (mustGrow) {
          // The table grows in place, a segment at a time; within a budget, growth takes at most what is left.
          const extra = budget === undefined ? Infinity : Math.max(0, budget - sampleRss() - GROW_MARGIN);
          if (!table.grow(extra).complete) {
            memoryStop = budget === undefined
              ? `the seen table (${showBytes(table.bytes)}, ${table.count.toLocaleString('en-US')} states) is as large as it can grow`
              : `the seen table (${showBytes(table.bytes)}, ${table.count.toLocaleString('en-US')} states) must grow to go on, and the process already uses ${showBytes(currentRss())} of the budget of ${showBytes(budget)}`;
            break;
          }
          mustGrow = false;
          continue;
        }
      }
      const [id, item, r, taskFps] = await Promise.race(inflight.values());
      inflight.delete(id);
      if (r instanceof Error) {
        failure = {
          code: r instanceof QuorumError ? r.code : 'WORKER_DIED',
          message: r instanceof QuorumError ? r.message : `a worker failed: ${r.message}`,
          stack: r.stack,
        };
        continue;
      }
      if (graph && r.graph && !failure) {
        try {
          graph.addTask(taskFps, item.from, r.graph);
        } catch (e) {
          failure = graphFailure(e, graph.states);
        }
      }
      generated += r.generated;
      for (let i = 0; i < fired.length; i++) {
        fired[i]! += r.fired[i]!;
        fresh[i]! += r.fresh[i]!;
      }
      const expanded = r.expandedTo - item.from;
      queued -= expanded;
      try {
        for (const c of r.out) {
          next.push(spilling ? spillChunk(level + 1, c) : { count: c.count, mem: c });
          queued += c.count;
        }
      } catch (e) {
        failure = failureOf(e);
      }
      found.push(...r.violations);
      for (const w of r.witnesses) noteWitness(w);
      if (r.failure) failure ??= r.failure;
      else if (r.expandedTo < item.count) {
        // Its states went to the worker and came back with the result.
        pending.unshift({ ...item, from: r.expandedTo });
        mustGrow = true;
      }
      overBound();
      try {
        noteMemory(level, pending, next);
      } catch (e) {
        failure ??= failureOf(e);
      }
    }
    if (bound && pending.length > 0) workLeft = true;
    // Stopped inside the level: the rest of it and what it produced so far are the resume point.
    if (pending.length > 0 && found.length === 0 && !failure && (interrupted || memoryStop || (bound && persist?.atBound))) checkpoint(level, pending, next, outChunk);
    if (next.length > 0) {
      levels.push(next.map((c) => ({ count: c.count, fps: c.mem?.fps, parents: c.mem?.parents, ref: c.log })));
      depth = level + 1;
    }
    frontier = next;
    level++;
    if (pending.length > 0) break;
    if (bound) {
      workLeft ||= frontier.length > 0;
      if (frontier.length > 0) stopAtBoundary();
      break;
    }
  }
  // A bound reached with nothing left to do is no bound: the run is complete.
  if (!workLeft) bound = undefined;
  if (timer) clearInterval(timer);
  params.signal?.removeEventListener('abort', onAbort);

  const distinct = table.count;
  let violation: Violation<S> | null = null;
  let runFailure: RunFailure | null = null;
  if (failure) {
    runFailure = {
      code: failure.code,
      message: failure.message,
      where: failure.where,
      stack: failure.stack,
      state: failure.state ? safeDecode(codec, failure.state) : undefined,
    };
    if (failure.level !== undefined && failure.fp !== undefined) {
      try {
        runFailure = { ...runFailure, trace: replay(model, fingerprintChain(levels, failure.level, failure.fp, undefined, loadLog)) as TraceStep<unknown>[] };
      } catch {
        // A trace that cannot be rebuilt leaves the failure as it is.
      }
    }
  }
  const chosen = pickViolation(found);
  if (chosen && !failure) {
    try {
      const chain = fingerprintChain(levels, chosen.level, chosen.fp, chosen.parent && chosen.level > 1 ? chosen.parent : undefined, loadLog);
      violation = { kind: chosen.kind, name: chosen.name, trace: replay(model, chain) };
    } catch (e) {
      runFailure = { code: e instanceof QuorumError && e.code === 'CHECKPOINT_INVALID' ? e.code : 'INTERNAL', message: e instanceof Error ? e.message : String(e), stack: e instanceof Error ? e.stack : undefined };
    }
  }
  // Reachability: a witness is a shortest trace to a satisfying state; a property with none fails only
  // when the whole state space was explored.
  const complete = !runFailure && !chosen && !interrupted && !memoryStop && !bound && frontier.length === 0 && pending.length === 0;
  const reachability: ReachabilityResult<S>[] = [];
  if (!runFailure) {
    for (const [k, [name]] of model.reachability.entries()) {
      const w = witnesses[k];
      if (w) {
        try {
          reachability.push({ name, holds: true, trace: replay(model, fingerprintChain(levels, w.level, w.fp, undefined, loadLog)) });
        } catch (e) {
          runFailure = { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) };
        }
      } else reachability.push({ name, holds: complete ? false : null });
    }
    const unreached = reachability.find((r) => r.holds === false);
    if (!violation && unreached) violation = { kind: 'reachability', name: unreached.name, trace: [] };
  }
  // Liveness: once safety holds on the whole state space, check the temporal properties on its graph.
  const livenessGraphBytes = graph?.bytes;
  let livenessMs: number | undefined;
  if (!runFailure && !violation && complete && graph && live) {
    const t0 = performance.now();
    try {
      const g = graph.finish();
      for (const [k, [name, prop]] of model.liveness.entries()) {
        if (live.base[k] === -1) continue;
        const lv = checkLiveness(g, model.fairness, prop as never, live.base[k]!);
        if (!lv) continue;
        // The counterexample is replayed along the path's fingerprints; a cycle's closing step too.
        const chain: [number, number][] = lv.path.map((v) => [g.fps[2 * v]!, g.fps[2 * v + 1]!]);
        if (lv.loopStart !== undefined) chain.push(chain[lv.loopStart]!);
        const steps = replay(model, chain);
        violation =
          lv.loopStart !== undefined
            ? { kind: 'liveness', name, trace: steps.slice(0, -1), loopStart: lv.loopStart, loopAction: steps[steps.length - 1]!.action }
            : { kind: 'liveness', name, trace: steps, stuttering: true };
        break;
      }
    } catch (e) {
      runFailure = graphFailure(e, graph.states);
    }
    livenessMs = Math.round(performance.now() - t0);
  }
  const status = runFailure ? 'error' : violation ? 'violation' : memoryStop ? 'memory' : interrupted ? 'interrupted' : bound ? 'bounded' : 'ok';
  sampleRss();
  const spilledBytes = dir?.spilledBytes ?? 0;
  dir?.close();
  // A finished run leaves nothing to resume: its spill files go (they can be as large as the state space).
  if (dir && (status === 'ok' || status === 'violation') && dir.exists) dir.remove();
  return {
    status,
    ...(status === 'bounded' ? { bound } : {}),
    ...(memoryStop && status === 'memory' ? { memoryStop } : {}),
    distinctStates: distinct,
    statesGenerated: generated,
    depth,
    queue: Math.max(0, queued),
    elapsedMs: Math.round(elapsed()),
    workers: executor.workers,
    coverage: coverage(),
    collisionProbability: (distinct * Math.max(0, generated - distinct)) / 2 ** 64,
    violation: runFailure ? null : violation,
    failure: runFailure,
    reachability,
    seenTableBytes: table.bytes,
    parentLogBytes: levels.reduce((n, l) => n + l.reduce((m, c) => m + (c.fps?.byteLength ?? 0) + (c.parents?.byteLength ?? 0), 0), 0),
    ...(livenessGraphBytes !== undefined ? { livenessGraphBytes } : {}),
    ...(livenessMs !== undefined ? { livenessMs } : {}),
    memory: { peakRssBytes: Math.max(peak, peakRss()), ...(budget !== undefined ? { budgetBytes: budget } : {}), spilledBytes, spilled: spilling },
    ...(resumePoint && (status === 'interrupted' || status === 'memory' || status === 'bounded' || status === 'error') ? { resumePoint } : {}),
    ...(resumePointError ? { resumePointError } : {}),
    ...(resume ? { resumed: { dir: resume.dir.path, level: resume.checkpoint.level, distinctStates: resume.checkpoint.distinctStates, elapsedMs: resume.checkpoint.elapsedMs } } : {}),
  };
}

/** A failure of the run's own machinery (a damaged or unwritable run folder): its code when it has one. */
function failureOf(e: unknown): ModelFailure {
  return e instanceof QuorumError ? { code: e.code, message: e.message, where: e.where } : { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) };
}

/** An initial state that is not made of Immutable.js values: which one, and where inside it. */
function explainInitialNonValue(init: readonly unknown[], e: QuorumError): QuorumError {
  if (e.code !== 'STATE_NOT_IMMUTABLE') return e;
  for (const [i, s] of init.entries()) {
    const bad = findNonValue(s);
    if (bad) return new QuorumError('STATE_NOT_IMMUTABLE', `initial state ${i + 1} has ${bad.what} at ${showPath(bad.path)}; states must be built from Immutable.js values (Map, Set, List, Record) and primitives`, 'init');
  }
  return e;
}

/** Liveness failed: running out of memory for the graph is a clean stop, and the run ends with what it counted. */
function graphFailure(e: unknown, states: number): ModelFailure {
  if (e instanceof QuorumError) return { code: e.code, message: e.message, where: e.where };
  if (e instanceof RangeError) return { code: 'OUT_OF_MEMORY', message: `out of memory for the liveness graph at ${states.toLocaleString('en-US')} states (${e.message})` };
  return { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e), stack: e instanceof Error ? e.stack : undefined };
}

function logOf(c: Chunk): LevelLog[number] {
  return { fps: c.fps, parents: c.parents, count: c.count };
}

function safeDecode(codec: StateCodec, bytes: Uint8Array): unknown {
  try {
    return codec.decodeBytes(bytes);
  } catch {
    return undefined;
  }
}
