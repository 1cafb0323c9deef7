// A Piscina worker for simulation: loads the model by path (as the checker's workers do), then runs
// seeds. Each worker remembers the states it has seen and reports only the new ones.
import { threadId } from 'node:worker_threads';
import { workerData } from 'piscina';
import { CompiledModel, type CheckOptions } from '../engine/compiled-model.js';
import { loadModel, modelFromModule } from '../spec/load.js';
import { runSeed, type SeedLive, type SeedResult, type WalkSettings } from './search.js';

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
  /** A BroadcastChannel name: post this seed's live counts there (for the dashboard). */
  readonly live?: string;
}

/** What a worker posts on the live channel about the seed it runs. */
export interface SeedLiveMessage extends SeedLive {
  readonly seed: number;
  readonly thread: number;
}

/** Live counts are posted at most this often (and at once when shrinking starts). */
export const LIVE_INTERVAL_MS = 200;

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

let channel: BroadcastChannel | undefined;

/** Posts a seed's live counts on `name`, throttled. */
function liveReporter(name: string, seed: number): (live: SeedLive) => void {
  if (channel?.name !== name) {
    channel?.close();
    channel = new BroadcastChannel(name);
  }
  const ch = channel;
  let lastPost = 0;
  let wasShrinking = false;
  return (live) => {
    const now = performance.now();
    const startsShrinking = live.shrinking !== null && !wasShrinking;
    if (!startsShrinking && now - lastPost < LIVE_INTERVAL_MS) return;
    wasShrinking = live.shrinking !== null;
    lastPost = now;
    ch.postMessage({ ...live, seed, thread: threadId } satisfies SeedLiveMessage);
  };
}

export default async function runTask(task: SeedTask): Promise<SeedResult> {
  model ??= setup(workerData as SimulateWorkerSetup);
  const onWalk = task.live !== undefined ? liveReporter(task.live, task.seed) : undefined;
  return runSeed(await model, task.settings, task.seed, { ...(task.countStates ? { seen } : {}), ...(onWalk ? { onWalk } : {}) });
}
