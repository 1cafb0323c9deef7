// Where chunks are expanded. The coordinator does not care whether it is this thread or a pool.
import { expandChunk, type ExpandContext, type ExpandResult, type ExpandTask } from './expand.js';

export interface Executor {
  /** Worker threads doing the expansion (0 when in-process). */
  readonly workers: number;
  /** How many tasks to keep in flight so no worker waits. */
  readonly parallelism: number;
  expand(task: ExpandTask): Promise<ExpandResult>;
  close(): Promise<void>;
}

/** Expands on the calling thread: for tests and for using a checker as a library assertion. */
export class InProcessExecutor implements Executor {
  readonly workers = 0;
  readonly parallelism = 1;
  constructor(private readonly ctx: ExpandContext) {}
  async expand(task: ExpandTask): Promise<ExpandResult> {
    // Let timers (progress, Ctrl-C) run between chunks.
    await new Promise((resolve) => setImmediate(resolve));
    return expandChunk(this.ctx, task);
  }
  async close(): Promise<void> {}
}
