// Partitions checked in parallel on a Piscina pool, one partition per task. Workers run one
// JavaScript file: the worker code bundled by esbuild (packages stay outside, imported from where the
// sources would import them), so a worker starts without a TypeScript loader. If bundling fails the
// workers load the sources through tsx.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import type { PartitionResult, PartitionTask } from './run.js';
import type { WireOp } from './wire.js';

const WORKER_SOURCE = fileURLToPath(new URL('./worker.ts', import.meta.url));

async function bundleWorker(): Promise<string> {
  const { build } = await import('esbuild');
  const require = createRequire(WORKER_SOURCE);
  const out = await build({
    entryPoints: [WORKER_SOURCE],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'silent',
    plugins: [
      {
        name: 'packages-outside',
        setup(b) {
          b.onResolve({ filter: /^[^./]/ }, (args) =>
            isBuiltin(args.path) ? { path: args.path, external: true } : { path: pathToFileURL(require.resolve(args.path)).href, external: true },
          );
        },
      },
    ],
  });
  const code = out.outputFiles[0]!.contents;
  const uid = typeof process.getuid === 'function' ? process.getuid() : 'user';
  const dir = join(tmpdir(), `quorum-${uid}`, 'workers');
  // Named by content: runs in parallel can share it.
  const file = join(dir, `history-worker-${createHash('sha256').update(code).digest('hex').slice(0, 20)}.mjs`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, code);
    renameSync(tmp, file);
  }
  return pathToFileURL(file).href;
}

export class HistoryPool {
  private constructor(
    private readonly pool: Piscina,
    /** Worker threads. */
    readonly threads: number,
  ) {
    // A task cancelled after the first violation may still finish on its worker: Piscina reports its
    // result as an error event, which is expected here.
    pool.on('error', (e: unknown) => {
      if (!(e instanceof Error && e.message.startsWith('Unexpected message from Worker'))) this.failure = e;
    });
  }
  private failure: unknown;

  static async start(workers: number): Promise<HistoryPool> {
    const filename = await bundleWorker().catch(() => new URL('./worker-entry.mjs', import.meta.url).href);
    return new HistoryPool(
      new Piscina({ filename, minThreads: workers, maxThreads: workers, idleTimeout: 60_000, resourceLimits: { maxOldGenerationSizeMb: 4096 } }),
      workers,
    );
  }

  run(task: PartitionTask & { ops: WireOp[] }, signal: AbortSignal): Promise<PartitionResult> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return this.pool.run(task, { signal }) as Promise<PartitionResult>;
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}
