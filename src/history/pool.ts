// Partitions checked in parallel on a Piscina pool, one partition per task.
import { Piscina } from 'piscina';
import type { PartitionResult, PartitionTask } from './run.js';
import type { WireOp } from './wire.js';

export class HistoryPool {
  private readonly pool: Piscina;
  constructor(readonly workers: number) {
    this.pool = new Piscina({
      filename: new URL('./worker-entry.mjs', import.meta.url).href,
      minThreads: workers,
      maxThreads: workers,
      idleTimeout: 60_000,
      resourceLimits: { maxOldGenerationSizeMb: 4096 },
    });
  }
  run(task: PartitionTask & { ops: WireOp[] }, signal: AbortSignal): Promise<PartitionResult> {
    return this.pool.run(task, { signal }) as Promise<PartitionResult>;
  }
  async close(): Promise<void> {
    await this.pool.destroy();
  }
}
