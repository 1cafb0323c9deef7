// A Piscina worker for simulation: loads the model by path (as the checker's workers do), then runs
// seeds. Each worker remembers the states it has seen and reports only the new ones.
import { workerData } from 'piscina';
import { CompiledModel, type CheckOptions } from '../engine/compiled-model.js';
import { loadModel, modelFromModule } from '../spec/load.js';
import { runSeed, type SeedResult, type WalkSettings } from './search.js';

export interface SimulateWorkerSetup {
  readonly modelPath: string;
  readonly constants: Record<string, unknown>;
  readonly check: CheckOptions;
  /** URL of this code bundled with the model (engine/worker-bundle.ts); absent when workers load TypeScript through tsx. */
  readonly bundle?: string;
}

export interface SeedTask {
  readonly settings: WalkSettings;
  readonly seed: number;
  /** Report fingerprints of newly seen states (for the distinct-state count). */
  readonly countStates: boolean;
}

// A bundled worker has the model module compiled in: the bundle's entry hands it over here, by its path.
const preloaded = new Map<string, Record<string, unknown>>();

export function preloadModel(path: string, mod: Record<string, unknown>): void {
  preloaded.set(path, mod);
}

let model: Promise<CompiledModel<unknown>> | undefined;
const seen = new Set<number>();

async function setup(s: SimulateWorkerSetup): Promise<CompiledModel<unknown>> {
  const mod = preloaded.get(s.modelPath);
  const definition = mod !== undefined ? modelFromModule(mod, s.modelPath) : await loadModel(s.modelPath);
  const instance = definition.build(s.constants as never);
  return new CompiledModel(definition, instance as never, s.check);
}

export default async function runTask(task: SeedTask): Promise<SeedResult> {
  model ??= setup(workerData as SimulateWorkerSetup);
  return runSeed(await model, task.settings, task.seed, task.countStates ? { seen } : {});
}
