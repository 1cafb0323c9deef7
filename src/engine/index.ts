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

export type { Outcome, Progress, Violation, ActionCoverage, RunFailure, Bounds, BoundReached } from './explore.js';
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
    });
  } else {
    executor = new InProcessExecutor({ model: compiled as CompiledModel<unknown>, codec });
  }
  try {
    const outcome = await explore({
      model: compiled,
      codec,
      executor,
      onProgress: opts.onProgress,
      progressIntervalMs: opts.progressIntervalMs,
      signal: opts.signal,
      startedAt: started,
      bounds: opts.bounds,
    });
    return { ...outcome, model: definition.name, compiled };
  } finally {
    await executor.close();
  }
}

/** Checks a model definition with the given constants and properties. */
export function checkModel<S>(definition: ModelDefinition<any, S>, opts: CheckModelOptions): Promise<CheckResult<S>> {
  return run(definition, opts.constants, opts, opts, opts.modelPath);
}

export interface CheckSpecOptions extends RunOptions {
  readonly overrides?: readonly { name: string; value: CfgValue }[];
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
  const r = await run(loaded.definition, loaded.constants, check, opts, loaded.modelPath);
  return { ...r, loaded };
}

export { defaultWorkers as availableWorkers };
