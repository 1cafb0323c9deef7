// For tests: the shared histories (../shared/histories/ beside the repository) checked partition by
// partition as `quorum history` does, keeping every non-linearizable partition.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { partitionOps } from './check.js';
import { findModel } from './models/index.js';
import { parseHistory } from './parse.js';
import { makeSpec, runPartition } from './run.js';
import type { BadPartition } from './timeline-layout.js';

export const SHARED_HISTORIES = fileURLToPath(new URL('../../../shared/histories/', import.meta.url));
export const sharedHistoriesPresent = existsSync(SHARED_HISTORIES + 'expected.tsv');

/** Every non-linearizable partition of a shared history (path relative to ../shared/histories/). */
export function badPartitionsOf(file: string, model: string): BadPartition[] {
  const spec = makeSpec(model, undefined);
  const init = findModel(model)!.defaultInit;
  const { ops } = parseHistory(readFileSync(SHARED_HISTORIES + file, 'utf8'), file);
  const parts = partitionOps(spec, ops, true);
  return parts.flatMap((part, index) => {
    const r = runPartition(spec, part, {
      model,
      init,
      consistency: 'linearizable',
      partitioned: true,
      index,
      budgetMs: Infinity,
      sentAt: Date.now(),
      maxMemoryBytes: 1 << 30,
    });
    return r.explanation ? [{ file, partitions: parts.length, explanation: r.explanation }] : [];
  });
}
