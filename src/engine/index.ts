// The engine's public entry points: check a model (as a test assertion, like Stateright's checkers)
// or a spec file, in-process or on a worker pool.
import { StateCodec } from './codec.js';
import { CompiledModel, type CheckOptions } from './compiled-model.js';
import { InProcessExecutor, type Executor } from './executor.js';
import { explore, type Bounds, type Outcome, type Progress } from './explore.js';
import { PoolExecutor, defaultWorkers } from './pool.js';
import { workerBundle } from './worker-bundle.js';
import { loadSpec, type LoadedSpec } from '../spec/load.js';
import type { CfgValue } from '../model/constants.js';
import type { ModelDefinition, ModelInstance } from '../model/model.js';
import { QuorumError } from '../model/errors.js';
import { checkExpectName, checkFairnessInstances, didYouMean } from '../spec/names.js';
import { createHash } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import type { LoadedCheckpoint, RunIdentity } from './checkpoint.js';
import { RunDir } from './run-dir.js';

export type { Outcome, Progress, Violation, ActionCoverage, RunFailure, Bounds, BoundReached, ResumePoint, RunMemory } from './explore.js';
export type { LoadedCheckpoint, RunIdentity } from './checkpoint.js';
export { readCheckpoint, checkpointExists } from './checkpoint.js';
export { RunDir } from './run-dir.js';
export { defaultMemoryBudget, parseMemorySize } from './memory.js';
export type { TraceStep } from './trace.js';
export type { CheckOptions } from './compiled-model.js';
export { CompiledModel } from './compiled-model.js';
export { StateCodec } from './codec.js';
export { fingerprint, fingerprintHex } from './fingerprint.js';
export { defaultWorkers } from './pool.js';

export interface RunOptions {
  /** Worker threads; 0 expands on this thread. */
  readonly workers?: number;
  readonly onProgress?: (p: Progress) => void;
  readonly progressIntervalMs?: number;
  readonly signal?: AbortSignal;
  /** Stop at a depth, a number of distinct states or a time (status 'bounded'). */
  readonly bounds?: Bounds;
  /** Bytes the run may use (past half of it, the parent log and the frontier go to the run folder). */
  readonly memoryBudget?: number;
  /** The resident set above which the run spills (default: half the budget; 0: from the start). */
  readonly spillAbove?: number;
  /** The run folder (spill files, checkpoints); without one nothing is written to disk. */
  readonly runDir?: string;
  /** Minutes between checkpoints, written at level boundaries (0: at every level). */
  readonly checkpointMinutes?: number;
  /** Go on from this checkpoint (its run folder becomes this run's). */
  readonly resume?: LoadedCheckpoint;
  /** What the run checks, for the checkpoint (set by checkSpec). */
  readonly identity?: RunIdentity;
}

export interface CheckModelOptions extends CheckOptions, RunOptions {
  /** Constants as the model sees them (already converted), e.g. { Acceptor: ['a1', 'a2'], MaxBallot: 2 }. */
  readonly constants: Record<string, unknown>;
  /** Needed for workers > 0: the module path workers load the model from. */
  readonly modelPath?: string;
}

/** The result of a run, with what is needed to show it. */
export interface CheckResult<S = unknown> extends Outcome<S> {
  readonly model: string;
  readonly compiled: CompiledModel<S>;
}

async function run<S>(
  definition: ModelDefinition<any, S>,
  constants: Record<string, unknown>,
  check: CheckOptions,
  opts: RunOptions,
  modelPath: string | undefined,
): Promise<CheckResult<S>> {
  const started = performance.now(); // the run's time includes preparing the workers
  const instance = definition.build(constants as never);
  const compiled = new CompiledModel(definition, instance, check);
  const codec = new StateCodec(instance.records ?? []);
  const workers = opts.workers ?? 0;
  let executor: Executor;
  if (workers > 0) {
    if (!modelPath) throw new QuorumError('USAGE', 'workers > 0 needs the model module path (modelPath)');
    executor = new PoolExecutor(workers, {
      modelPath,
      bundle: await workerBundle(modelPath),
      constants,
      check: {
        invariants: check.invariants,
        constraints: check.constraints,
        actionConstraints: check.actionConstraints,
        checkDeadlock: check.checkDeadlock,
        properties: check.properties,
        view: check.view,
        symmetrySets: check.symmetrySets,
        fairness: check.fairness,
      },
    }, opts.memoryBudget);
  } else {
    executor = new InProcessExecutor({ model: compiled as CompiledModel<unknown>, codec });
  }
  const dir = opts.resume?.dir ?? (opts.runDir !== undefined ? new RunDir(opts.runDir) : undefined);
  const identity = opts.identity ?? { spec: '', overrides: [], model: '', constants: hashOf(constants), properties: hashOf(check) };
  try {
    if (opts.resume) verifyIdentity(opts.resume, identity);
    if (compiled.liveness.length > 0 && (opts.checkpointMinutes !== undefined || opts.resume)) {
      throw new QuorumError('USAGE', `checkpoints are not supported with liveness properties (${compiled.liveness.map(([n]) => n).join(', ')}): the liveness graph is kept in memory only`, opts.resume ? '--resume' : '--checkpoint');
    }
    const outcome = await explore({
      model: compiled,
      codec,
      executor,
      onProgress: opts.onProgress,
      progressIntervalMs: opts.progressIntervalMs,
      signal: opts.signal,
      startedAt: started,
      bounds: opts.bounds,
      memoryBudget: opts.memoryBudget,
      ...(opts.spillAbove !== undefined ? { spillAbove: opts.spillAbove } : {}),
      ...(dir ? { persist: { dir, identity, ...(opts.checkpointMinutes !== undefined ? { checkpointEveryMs: opts.checkpointMinutes * 60_000, atBound: true } : {}) } } : {}),
      ...(opts.resume ? { resume: opts.resume } : {}),
    });
    return { ...outcome, model: definition.name, compiled };
  } finally {
    await executor.close();
  }
}

/** A short stable hash of a JSON-able value (object keys in order). */
function hashOf(v: unknown): string {
  const stable = (x: unknown): unknown =>
    Array.isArray(x) ? x.map(stable) : x !== null && typeof x === 'object' ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, stable((x as Record<string, unknown>)[k])])) : x;
  return createHash('sha256').update(JSON.stringify(stable(v)) ?? 'undefined').digest('hex').slice(0, 32);
}

/** The model's code and what it imports (packages aside), bundled: its hash changes when any of it does. */
async function modelHash(modelPath: string): Promise<string> {
  const { build } = await import('esbuild');
  const out = await build({ entryPoints: [modelPath], absWorkingDir: dirname(resolve(modelPath)), bundle: true, write: false, packages: 'external', format: 'esm', platform: 'node', logLevel: 'silent', legalComments: 'none' });
  return createHash('sha256').update(out.outputFiles[0]!.contents).digest('hex').slice(0, 32);
}

function verifyIdentity(resume: LoadedCheckpoint, now: RunIdentity): void {
  const was = resume.checkpoint.identity;
  const where = resume.dir.path;
  if (was.model !== now.model) throw new QuorumError('RESUME_MISMATCH', `cannot resume: the model's code changed since the checkpoint was written (${was.spec})`, where);
  if (was.constants !== now.constants) throw new QuorumError('RESUME_MISMATCH', `cannot resume: the constants are not the checkpoint's (it was taken with ${was.overrides.length ? was.overrides.map((o) => `--const ${o}`).join(' ') : 'the spec\'s own constants'})`, where);
  if (was.properties !== now.properties) throw new QuorumError('RESUME_MISMATCH', 'cannot resume: the spec checks other properties, constraints or options than the checkpoint\'s run', where);
}

/** Checks a model definition with the given constants and properties. */
export function checkModel<S>(definition: ModelDefinition<any, S>, opts: CheckModelOptions): Promise<CheckResult<S>> {
  return run(definition, opts.constants, opts, opts, opts.modelPath);
}

export interface CheckSpecOptions extends RunOptions {
  /** `text`: the override as the user wrote it (NAME=VALUE), kept in checkpoints. */
  readonly overrides?: readonly { name: string; value: CfgValue; text?: string }[];
}

export interface SpecCheckResult extends CheckResult {
  readonly loaded: LoadedSpec;
}

/**
 * What a loaded spec selects, checked against the model instance: unknown names are reported where
 * the spec names them.
 */
export function specCheckOptions(loaded: LoadedSpec, instance: ModelInstance<unknown>): CheckOptions {
  const { spec } = loaded;
  checkExpectName(spec);
  checkFairnessInstances(spec, instance, loaded.definition.name);
  const tables = [
    ['invariant', spec.invariants, instance.invariants],
    ['constraint', spec.constraints, instance.constraints],
    ['action constraint', spec.actionConstraints, instance.actionConstraints],
    ['property', spec.properties, instance.properties],
    ['view', spec.view ? [spec.view] : [], instance.views],
  ] as const;
  for (const [kind, named, table] of tables) {
    for (const x of named) {
      if (!table || !(x.name in table)) {
        const known = Object.keys(table ?? {});
        throw new QuorumError('UNKNOWN_NAME', `model ${loaded.definition.name} has no ${kind} ${x.name}${didYouMean(x.name, known)}; it has ${known.length ? known.join(', ') : 'none'}`, x.where);
      }
    }
  }
  const check: CheckOptions = {
    invariants: spec.invariants.map((n) => n.name),
    constraints: spec.constraints.map((n) => n.name),
    actionConstraints: spec.actionConstraints.map((n) => n.name),
    checkDeadlock: spec.checkDeadlock,
    properties: spec.properties.map((n) => n.name),
    view: spec.view?.name,
    symmetrySets: spec.symmetry.map((x) => {
      const v = loaded.constants[x.name];
      if (!Array.isArray(v) || !v.every((e) => typeof e === 'string')) {
        throw new QuorumError('CFG_INVALID', `SYMMETRY ${x.name}: expected a constant that is a set of model values`, x.where);
      }
      return v as string[];
    }),
    fairness: spec.fairness.map((f) => {
      for (const g of f.group) {
        if (!(g.action in instance.actions)) {
          throw new QuorumError('UNKNOWN_NAME', `model ${loaded.definition.name} has no action ${g.action}; it has ${Object.keys(instance.actions).join(', ')}`, f.where);
        }
      }
      return { kind: f.kind, group: f.group, text: f.text };
    }),
  };
  if (check.symmetrySets!.length === 0) delete (check as { symmetrySets?: unknown }).symmetrySets;
  return check;
}

/** Checks what a .cfg spec file asks for. */
export async function checkSpec(file: string, opts: CheckSpecOptions = {}): Promise<SpecCheckResult> {
  const loaded = await loadSpec(file, opts.overrides);
  const check = specCheckOptions(loaded, loaded.definition.build(loaded.constants as never));
  const identity: RunIdentity = {
    spec: resolve(file),
    overrides: (opts.overrides ?? []).map((o) => o.text ?? `${o.name}=${JSON.stringify(o.value)}`),
    model: opts.resume || opts.runDir !== undefined ? await modelHash(loaded.modelPath) : '',
    constants: hashOf(loaded.constants),
    properties: hashOf(check),
  };
  const r = await run(loaded.definition, loaded.constants, check, { ...opts, identity }, loaded.modelPath);
  return { ...r, loaded };
}

export { defaultWorkers as availableWorkers };
