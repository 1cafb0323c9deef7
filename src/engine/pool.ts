// Expansion on a Piscina worker pool. Each worker loads the model by path; the seen table is shared
// memory, so workers deduplicate directly and the main thread only hands out chunks.
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { Executor } from './executor.js';
import type { ExpandResult, ExpandTask } from './expand.js';
import type { WorkerSetup } from './worker.js';
import { QuorumError } from '../model/errors.js';

export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}

/**
 * A worker's heap limits. Piscina's default caps a worker's old space below what a large frontier needs.
 * Under a budget the limits shrink with it: V8 lets a heap grow lazily toward its limit, so with the
 * default the workers' garbage alone passed a budget of 254 MiB (2PC 8 RMs) that their live data fits in.
 */
export function workerHeapLimits(workers: number, memoryBudget?: number): { maxOldGenerationSizeMb: number; maxYoungGenerationSizeMb?: number } {
  if (memoryBudget === undefined) return { maxOldGenerationSizeMb: 8192 };
  const mib = memoryBudget / 2 ** 20;
  const old = Math.min(8192, Math.max(64, Math.floor(mib / 4 / Math.max(1, workers))));
  return mib < 1024 ? { maxOldGenerationSizeMb: old, maxYoungGenerationSizeMb: 8 } : { maxOldGenerationSizeMb: old };
}

export class PoolExecutor implements Executor {
  readonly parallelism: number;
  private readonly pool: Piscina;
  private closed = false;

  constructor(readonly workers: number, setup: WorkerSetup, memoryBudget?: number) {
    this.parallelism = workers * 2;
    this.pool = new Piscina({
      // A worker loads the bundle of its code and the model when there is one (worker-bundle.ts).
      filename: new URL(setup.bundle !== undefined ? './worker-bundled.mjs' : './worker-entry.mjs', import.meta.url).href,
      minThreads: workers,
      maxThreads: workers,
      idleTimeout: 60_000,
      // Each worker holds its next task while it runs one, so it never waits on this thread between tasks.
      concurrentTasksPerWorker: 2,
      workerData: setup,
      resourceLimits: workerHeapLimits(workers, memoryBudget),
    });
  }

  async expand(task: ExpandTask): Promise<ExpandResult> {
    if (this.closed) throw new QuorumError('INTERNAL', 'the worker pool is closed');
    // The states are moved to the worker, not copied (a task stopped early hands them back in `rest`);
    // the fingerprints are copied: this thread keeps them in the level log.
    const { bytes, offsets } = task.chunk;
    return (await this.pool.run(task, { transferList: [bytes.buffer as ArrayBuffer, offsets.buffer as ArrayBuffer] })) as ExpandResult;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.destroy();
  }
}
