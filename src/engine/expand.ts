// Expanding one chunk of the frontier: the work every worker does, and the only place where
// successors are generated during a run. The same function runs in-process and on Piscina workers.
import { ByteReader, StateCodec } from './codec.js';
import { ChunkBuilder, type Chunk } from './chunk.js';
import { INSERTED_FULL, INSERTED_GROW, PRESENT, SeenTable, type SeenTableHandle } from './seen-table.js';
import { CompiledModel, ModelThrew } from './compiled-model.js';
import { findNonValue, showPath } from './state-path.js';
import { QuorumError } from '../model/errors.js';
import { fairnessMasker, GraphRecorder, livePredicates, type LivePredicates, type TaskGraph } from './live-graph.js';
import type { Args } from '../model/model.js';
import { is } from 'immutable';

/** What a task needs of a chunk: its states and their fingerprints (their parents stay in the level log). */
export type TaskChunk = Pick<Chunk, 'count' | 'bytes' | 'offsets' | 'fps'>;

export interface ExpandTask {
  /** Its bytes and offsets are transferred to the worker, not copied; they come back in `rest` if the task stops early. */
  readonly chunk: TaskChunk;
  /** BFS level of the chunk's states (initial states are level 1). */
  readonly level: number;
  readonly table: SeenTableHandle;
  /** Index of the first state to expand (a task resumed after the table grew). */
  readonly from: number;
  /** Per reachability property: still looking for a witness. */
  readonly seeking?: readonly boolean[];
  /** States per output chunk (small levels get small chunks, so every worker has work). */
  readonly outChunk?: number;
  /** Record the liveness graph of the expanded states (live-graph.ts). */
  readonly graph?: boolean;
}

/** A state satisfying a reachability ("sometimes") property. */
export interface FoundWitness {
  readonly index: number;
  readonly level: number;
  readonly fp: readonly [number, number];
}

export interface FoundViolation {
  readonly kind: 'invariant' | 'deadlock' | 'action';
  readonly name: string;
  /** Level of the violating state. */
  readonly level: number;
  readonly fp: readonly [number, number];
  /** Set when the violating state is not in the level log (it was cut by a CONSTRAINT). */
  readonly parent?: readonly [number, number];
}

export interface ModelFailure {
  readonly code: string;
  readonly message: string;
  readonly where?: string;
  /** The state the model threw in, encoded. */
  readonly state?: Uint8Array;
  readonly stack?: string;
  /** The state being expanded when it failed: its level and fingerprint (for the trace that reaches it). */
  readonly level?: number;
  readonly fp?: [number, number];
}

export interface ExpandResult {
  readonly out: Chunk[];
  /** States of the task's chunk expanded completely (the task stopped early if < chunk.count). */
  readonly expandedTo: number;
  readonly generated: number;
  /** Per action index: successors produced, and distinct states first reached through it. */
  readonly fired: number[];
  readonly fresh: number[];
  readonly violations: FoundViolation[];
  readonly witnesses: FoundWitness[];
  readonly failure?: ModelFailure;
  /** The task chunk's states, handed back when it stopped before the end, so that it can be resumed. */
  readonly rest?: Pick<Chunk, 'bytes' | 'offsets'>;
  /** With task.graph: the steps of the states expanded completely (from `from` to `expandedTo`). */
  readonly graph?: TaskGraph;
}

export interface ExpandContext {
  readonly model: CompiledModel<unknown>;
  readonly codec: StateCodec;
}

const fpOut = new Uint32Array(2);
const TABLE_FULL = Symbol('seen table full');
let cachedTable: SeenTable | undefined;
// What recording the liveness graph needs of a model, prepared once per model.
const liveOf = new WeakMap<CompiledModel<unknown>, { live: LivePredicates<unknown>; mask: (action: { index: number }, args: Args) => number }>();

function attach(handle: SeenTableHandle): SeenTable {
  // A handle that arrives in a message is a new object each time; the generation says whether the views still fit.
  if (cachedTable === undefined || !cachedTable.isCurrent() || !cachedTable.sameAs(handle)) cachedTable = SeenTable.attach(handle);
  return cachedTable;
}

export function expandChunk(ctx: ExpandContext, task: ExpandTask): ExpandResult {
  const { model, codec } = ctx;
  const { chunk, level } = task;
  const table = attach(task.table);
  // Set once an insert finds its segment past MAX_LOAD: the state at hand is finished, then the task stops.
  let growDue = false;
  const builder = new ChunkBuilder(codec, task.outChunk);
  const nActions = model.actions.length;
  const fired = new Array<number>(nActions).fill(0);
  const fresh = new Array<number>(nActions).fill(0);
  const violations: FoundViolation[] = [];
  const checkDeadlock = model.checkDeadlock;
  const hasActionConstraints = model.actionConstraints.length > 0;
  const hasConstraints = model.constraints.length > 0;
  const hasInvariants = model.invariants.length > 0;
  let generated = 0;
  let successors = 0;
  let s: unknown;
  let ph = 0, pl = 0;

  const hasStepProperties = model.stepProperties.length > 0;
  const reach = model.reachability;
  const seeking = reach.map((_, i) => task.seeking?.[i] ?? true);
  const witnesses: FoundWitness[] = [];
  const keyFp = (t: unknown) => model.keyFingerprintInto(t, fpOut, 0);
  let rec: GraphRecorder<unknown> | undefined;
  let mask: ((action: { index: number }, args: Args) => number) | undefined;
  if (task.graph) {
    let l = liveOf.get(model);
    if (l === undefined) liveOf.set(model, (l = { live: livePredicates(model.liveness), mask: fairnessMasker(model) as (action: { index: number }, args: Args) => number }));
    rec = new GraphRecorder(l.live, (p, st) => model.holds(p, st));
    mask = l.mask;
  }

  const onSuccessor = (action: { index: number }, args: Args, t: unknown) => {
    generated++;
    fired[action.index]!++;
    successors++;
    // TLC checks action properties on every step, and invariants on every state a constraint cuts:
    // such a step or state is not stored nor expanded, but it is reachable.
    if (hasStepProperties && !is(s, t)) {
      const bad = model.violatedStepProperty(s, t);
      if (bad !== undefined) {
        keyFp(t);
        violations.push({ kind: 'action', name: bad, level: level + 1, fp: [fpOut[0]!, fpOut[1]!], parent: [ph, pl] });
      }
    }
    if ((hasActionConstraints && !model.allowsStep(s, t)) || (hasConstraints && !model.satisfiesConstraints(t))) {
      const bad = hasInvariants ? model.violatedInvariant(t) : undefined;
      if (bad !== undefined) {
        keyFp(t);
        violations.push({ kind: 'invariant', name: bad, level: level + 1, fp: [fpOut[0]!, fpOut[1]!], parent: [ph, pl] });
      }
      return;
    }
    keyFp(t);
    const h = fpOut[0]!, l = fpOut[1]!;
    if (rec !== undefined) rec.step(h, l, mask!(action, args), ph, pl);
    const inserted = table.insert(h, l);
    if (inserted !== PRESENT) {
      fresh[action.index]!++;
      builder.add(t, h, l, ph, pl);
      if (hasInvariants) {
        const bad = model.violatedInvariant(t);
        if (bad !== undefined) violations.push({ kind: 'invariant', name: bad, level: level + 1, fp: [h, l] });
      }
      for (let k = 0; k < reach.length; k++) {
        if (seeking[k] && model.holds(reach[k]!, t)) {
          witnesses.push({ index: k, level: level + 1, fp: [h, l] });
          seeking[k] = false; // one witness per task is enough: all of them are at the same level
        }
      }
      if (inserted >= INSERTED_GROW) {
        growDue = true;
        // A state with a huge fan-out can fill a segment by itself: its expansion is abandoned (what it
        // inserted stays, with its output) and it is expanded again once the table has grown.
        if (inserted === INSERTED_FULL) throw TABLE_FULL;
      }
    }
  };

  const reader = new ByteReader(chunk.bytes);
  const firedBefore = new Array<number>(nActions).fill(0);
  let i = task.from;
  try {
    for (; i < chunk.count; i++) {
      if (growDue) break; // the coordinator grows the table and resumes from i
      reader.pos = chunk.offsets[i]!;
      s = codec.decode(reader);
      ph = chunk.fps[2 * i]!;
      pl = chunk.fps[2 * i + 1]!;
      successors = 0;
      const generatedBefore = generated;
      for (let a = 0; a < nActions; a++) firedBefore[a] = fired[a]!;
      rec?.beginState();
      try {
        model.successors(s, onSuccessor);
      } catch (e) {
        if (e !== TABLE_FULL) throw e;
        generated = generatedBefore; // counted again when the state is expanded again
        for (let a = 0; a < nActions; a++) fired[a] = firedBefore[a]!;
        rec?.abandonState();
        break;
      }
      rec?.endState(s);
      if (successors === 0 && checkDeadlock && !model.isTerminal(s)) {
        violations.push({ kind: 'deadlock', name: 'Deadlock', level, fp: [ph, pl] });
      }
    }
  } catch (e) {
    return {
      out: builder.take(),
      expandedTo: i,
      generated,
      fired,
      fresh,
      violations,
      witnesses,
      failure: s === undefined ? describeFailure(e, codec, s) : { ...describeFailure(explainNonValue(model, s, e), codec, s), level, fp: [ph, pl] },
    };
  }
  const rest = i < chunk.count ? { bytes: chunk.bytes, offsets: chunk.offsets } : undefined;
  return { out: builder.take(), expandedTo: i, generated, fired, fresh, violations, witnesses, rest, graph: rec?.take() };
}

/**
 * A state that is not made of Immutable.js values is rejected where it is fingerprinted or encoded,
 * which knows neither the step nor the place: the successors of `s` are generated again to name the
 * action, its arguments and the path inside the state.
 */
export function explainNonValue(model: CompiledModel<unknown>, s: unknown, e: unknown): unknown {
  if (!(e instanceof QuorumError) || e.code !== 'STATE_NOT_IMMUTABLE') return e;
  let found: QuorumError | undefined;
  try {
    model.successors(s, (action, args, t) => {
      if (found) return;
      const bad = findNonValue(t);
      if (bad) {
        const step = `action ${model.showAction(action, args)}`;
        found = new QuorumError(
          'STATE_NOT_IMMUTABLE',
          `${step} put ${bad.what} in the state at ${showPath(bad.path)}; states must be built from Immutable.js values (Map, Set, List, Record) and primitives`,
          step,
        );
      }
    });
  } catch {
    // The original error stands.
  }
  return found ?? e;
}

export function describeFailure(e: unknown, codec: StateCodec, state: unknown): ModelFailure {
  let encoded: Uint8Array | undefined;
  const st = e instanceof ModelThrew ? e.state : state;
  try {
    if (st !== undefined) encoded = codec.encodeToBytes(st);
  } catch {
    encoded = undefined;
  }
  if (e instanceof QuorumError) {
    const cause = e instanceof ModelThrew ? e.cause : undefined;
    return {
      code: e.code,
      message: e.message,
      where: e.where,
      state: encoded,
      stack: cause instanceof Error ? cause.stack : e.stack,
    };
  }
  return {
    code: 'INTERNAL',
    message: e instanceof Error ? e.message : String(e),
    state: encoded,
    stack: e instanceof Error ? e.stack : undefined,
  };
}
