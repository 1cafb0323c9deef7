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

export interface Outcome<S = unknown> {
  readonly status: 'ok' | 'violation' | 'error' | 'interrupted' | 'bounded';
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

export async function explore<S>(params: ExploreParams<S>): Promise<Outcome<S>> {
  const { model, codec, executor } = params;
  const started = params.startedAt ?? performance.now();
  let table = SeenTable.create(params.initialCapacity ?? 1 << 16);
  const levels: LevelLog[] = [];
  const fired = new Array<number>(model.actions.length).fill(0);
  const fresh = new Array<number>(model.actions.length).fill(0);
  let generated = 0;
  let depth = 0;
  let queued = 0; // states in the frontier and the next level not yet expanded
  const found: FoundViolation[] = [];
  let failure: ModelFailure | undefined;
  let interrupted = false;
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
    elapsedMs: performance.now() - started,
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
  const witnesses: (FoundWitness | undefined)[] = model.reachability.map(() => undefined);
  const noteWitness = (w: FoundWitness) => {
    const cur = witnesses[w.index];
    if (!cur || w.level < cur.level || (w.level === cur.level && fpToHex(w.fp[0], w.fp[1]) < fpToHex(cur.fp[0], cur.fp[1]))) witnesses[w.index] = w;
  };

  // Liveness: the search records the state graph as it goes (live-graph.ts).
  const live = model.liveness.length > 0 ? livePredicates(model.liveness) : undefined;
  if (live && model.fairness.length > MAX_FAIRNESS) failure = { code: 'CFG_INVALID', message: `at most ${MAX_FAIRNESS} fairness assumptions are supported` };
  const graph = live ? new LiveGraphBuilder(model.fairness.length, (live.predicates.length + 7) >> 3) : undefined;

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
      if (table.insert(fp[0]!, fp[1]!)) {
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
  let frontier: Chunk[] = builder.take();
  levels.push(frontier.map(logOf));
  if (table.count > 0) depth = 1;
  queued = table.count;

  let level = 1;
  let workLeft = false; // states a bound left unexpanded
  while (frontier.length > 0 && found.length === 0 && !failure && !interrupted) {
    if (bounds.maxDepth !== undefined && level >= bounds.maxDepth) {
      bound = { kind: 'depth', limit: bounds.maxDepth };
      workLeft = true;
      break;
    }
    if (overBound()) {
      workLeft = true;
      break;
    }
    const next: Chunk[] = [];
    // Largest chunks first, so the level ends on small tasks and no worker waits long for the last one.
    // A task gets the chunk without its parents (the level log has them).
    const pending: { chunk: TaskChunk; from: number }[] = frontier
      .map(({ count, bytes, offsets, fps }) => ({ chunk: { count, bytes, offsets, fps }, from: 0 }))
      .sort((a, b) => b.chunk.count - a.chunk.count);
    // Next level's chunks: about four per task slot, from this level's size, so no worker idles.
    const levelStates = frontier.reduce((n, c) => n + c.count, 0);
    const outChunk = Math.min(CHUNK_STATES, Math.max(64, Math.ceil(levelStates / (executor.parallelism * 4))));
    frontier = [];
    const inflight = new Map<number, Promise<[number, { chunk: TaskChunk; from: number }, ExpandResult | Error]>>();
    let nextId = 0;
    let mustGrow = false;
    const submit = (item: { chunk: TaskChunk; from: number }) => {
      const id = nextId++;
      const task = { chunk: item.chunk, level, table: table.handle(), from: item.from, seeking: witnesses.map((w) => w === undefined), outChunk, graph: graph !== undefined };
      inflight.set(
        id,
        executor.expand(task).then(
          (r) => [id, item, r] as [number, typeof item, ExpandResult],
          (e: unknown) => [id, item, e instanceof Error ? e : new Error(String(e))] as [number, typeof item, Error],
        ),
      );
    };
    while (pending.length > 0 || inflight.size > 0) {
      while (!mustGrow && !failure && !interrupted && !bound && pending.length > 0 && inflight.size < executor.parallelism) {
        submit(pending.shift()!);
      }
      if (inflight.size === 0) {
        if (failure || interrupted || bound) break;
        if (mustGrow) {
          table = table.grown();
          mustGrow = false;
          continue;
        }
      }
      const [id, item, r] = await Promise.race(inflight.values());
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
          graph.addTask(item.chunk.fps, item.from, r.graph);
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
      for (const c of r.out) {
        next.push(c);
        queued += c.count;
      }
      found.push(...r.violations);
      for (const w of r.witnesses) noteWitness(w);
      if (r.failure) failure ??= r.failure;
      else if (r.expandedTo < item.chunk.count) {
        // Its states went to the worker and came back with the result.
        const { bytes, offsets } = r.rest ?? item.chunk;
        pending.unshift({ chunk: { ...item.chunk, bytes, offsets }, from: r.expandedTo });
        mustGrow = true;
      }
      overBound();
    }
    if (bound && pending.length > 0) workLeft = true;
    if (next.length > 0) {
      levels.push(next.map(logOf));
      depth = level + 1;
    }
    frontier = next;
    level++;
    if (bound) {
      workLeft ||= frontier.length > 0;
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
        runFailure = { ...runFailure, trace: replay(model, fingerprintChain(levels, failure.level, failure.fp)) as TraceStep<unknown>[] };
      } catch {
        // A trace that cannot be rebuilt leaves the failure as it is.
      }
    }
  }
  const chosen = pickViolation(found);
  if (chosen && !failure) {
    try {
      const chain = fingerprintChain(levels, chosen.level, chosen.fp, chosen.parent && chosen.level > 1 ? chosen.parent : undefined);
      violation = { kind: chosen.kind, name: chosen.name, trace: replay(model, chain) };
    } catch (e) {
      runFailure = { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e), stack: e instanceof Error ? e.stack : undefined };
    }
  }
  // Reachability: a witness is a shortest trace to a satisfying state; a property with none fails only
  // when the whole state space was explored.
  const complete = !runFailure && !chosen && !interrupted && !bound && frontier.length === 0;
  const reachability: ReachabilityResult<S>[] = [];
  if (!runFailure) {
    for (const [k, [name]] of model.reachability.entries()) {
      const w = witnesses[k];
      if (w) {
        try {
          reachability.push({ name, holds: true, trace: replay(model, fingerprintChain(levels, w.level, w.fp)) });
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
  const status = runFailure ? 'error' : violation ? 'violation' : interrupted ? 'interrupted' : bound ? 'bounded' : 'ok';
  return {
    status,
    ...(status === 'bounded' ? { bound } : {}),
    distinctStates: distinct,
    statesGenerated: generated,
    depth,
    queue: Math.max(0, queued),
    elapsedMs: Math.round(performance.now() - started),
    workers: executor.workers,
    coverage: coverage(),
    collisionProbability: (distinct * Math.max(0, generated - distinct)) / 2 ** 64,
    violation: runFailure ? null : violation,
    failure: runFailure,
    reachability,
    seenTableBytes: table.bytes,
    parentLogBytes: levels.reduce((n, l) => n + l.reduce((m, c) => m + c.fps.byteLength + c.parents.byteLength, 0), 0),
    ...(livenessGraphBytes !== undefined ? { livenessGraphBytes } : {}),
    ...(livenessMs !== undefined ? { livenessMs } : {}),
  };
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
