// The worker pool: same results as in-process, and failures that end a run cleanly.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkModel } from './index.js';
import killer from './test-models/worker-killer.js';
import wide from './test-models/wide-levels.js';
import { defineModel } from '../model/model.js';

// One initial state with 70,000 successors: more than the seen table's headroom at its initial size.
const fan = defineModel({
  name: 'fan-out',
  constants: {},
  build() {
    const targets = Array.from({ length: 70_000 }, (_, i) => ({ to: i + 1 }));
    // Only the initial state has successors (a static domain would try all 70,000 everywhere).
    return { init: [0], actions: { Jump: { params: (x: number) => (x === 0 ? targets : []), step: (_x: number, { to }: { to: number }) => to } } };
  },
});

const killerPath = fileURLToPath(new URL('./test-models/worker-killer.ts', import.meta.url));
const widePath = fileURLToPath(new URL('./test-models/wide-levels.ts', import.meta.url));

describe('worker pool', () => {
  it('reports a worker that dies as an internal error, with the partial counts', async () => {
    const r = await checkModel(killer, { constants: { Limit: 50 }, workers: 1, modelPath: killerPath, checkDeadlock: false });
    expect(r.status).toBe('error');
    expect(r.failure?.code).toBe('WORKER_DIED');
    expect(r.failure?.message).toMatch(/worker/);
    // States 0..5 were found before the worker died.
    expect(r.distinctStates).toBe(6);
  });

  it('runs the same model to completion in-process (the killer only acts on worker threads)', async () => {
    const r = await checkModel(killer, { constants: { Limit: 50 }, workers: 0, checkDeadlock: false });
    expect([r.status, r.distinctStates, r.depth]).toEqual(['ok', 51, 51]);
  });

  it('grows the seen table in the middle of one state with a huge fan-out, counting it once', async () => {
    const r = await checkModel(fan, { constants: {}, checkDeadlock: false });
    expect([r.status, r.distinctStates, r.statesGenerated, r.depth]).toEqual(['ok', 70_001, 70_001, 2]);
    expect(r.coverage[0]).toEqual({ action: 'Jump', fired: 70_000, distinct: 70_000 });
  });

  it('resumes tasks stopped by a full seen table from the states the worker hands back (1 and 2 workers)', async () => {
    // 1 + 300 + 90,000 states: the last level fills the initial table (64 Ki slots) mid-chunk.
    for (const workers of [0, 1, 2]) {
      const r = await checkModel(wide, { constants: { Width: 300 }, workers, modelPath: widePath, checkDeadlock: false });
      expect([r.status, r.distinctStates, r.statesGenerated, r.depth]).toEqual(['ok', 90_301, 90_301, 3]);
      expect(r.seenTableBytes).toBeGreaterThan(8 * (1 << 16)); // it grew
    }
  });

  it('stops when the signal aborts and reports what was explored so far', async () => {
    const abort = new AbortController();
    abort.abort();
    const r = await checkModel(killer, { constants: { Limit: 50 }, workers: 0, checkDeadlock: false, signal: abort.signal });
    expect(r.status).toBe('interrupted');
    expect(r.distinctStates).toBe(1);
    expect(r.queue).toBe(1);
  });
});
