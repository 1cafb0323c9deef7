// Terminal states (not deadlocks) and the bounds a run can stop at (depth, distinct states, time).
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkModel } from './index.js';
import { defineModel } from '../model/model.js';
import { referenceBfs } from './test-models/reference-bfs.js';
import lostUpdate from './test-models/lost-update.js';
import twoPhase from '../../models/two-phase-commit.js';

const lostUpdatePath = fileURLToPath(new URL('./test-models/lost-update.ts', import.meta.url));
const RM3 = { RM: ['r1', 'r2', 'r3'] };

describe('terminal states', () => {
  it('a state with no successor that the model declares terminal is not a deadlock', async () => {
    const atomic = { Client: ['c1', 'c2'], Atomic: true };
    const without = await checkModel(lostUpdate, { constants: { ...atomic, Terminal: false }, invariants: ['AllCounted'] });
    expect([without.status, without.violation?.kind]).toEqual(['violation', 'deadlock']);
    const declared = await checkModel(lostUpdate, { constants: { ...atomic, Terminal: true }, invariants: ['AllCounted'] });
    expect(declared.status).toBe('ok');
    // Same on workers, which build the model themselves.
    const onWorkers = await checkModel(lostUpdate, { constants: { ...atomic, Terminal: true }, invariants: ['AllCounted'], workers: 1, modelPath: lostUpdatePath });
    expect([onWorkers.status, onWorkers.distinctStates]).toEqual(['ok', declared.distinctStates]);
  });

  it('a state with no successor that is not terminal is still a deadlock', async () => {
    const stuck = defineModel({
      name: 'stuck',
      constants: {},
      build: () => ({ init: [0], actions: { Inc: { step: (x: number) => (x < 2 ? x + 1 : undefined) } }, terminal: (x: number) => x === 5 }),
    });
    const r = await checkModel(stuck, { constants: {} });
    expect([r.violation?.kind, r.violation?.trace.length]).toEqual(['deadlock', 3]);
  });
});

describe('bounds', () => {
  it('--max-depth explores exactly the first levels and reports the bound', async () => {
    const ref = referenceBfs(twoPhase, RM3, { maxLevels: 4 });
    const r = await checkModel(twoPhase, { constants: RM3, checkDeadlock: false, bounds: { maxDepth: 4 } });
    expect(r.status).toBe('bounded');
    expect(r.bound).toEqual({ kind: 'depth', limit: 4 });
    expect([r.depth, r.distinctStates]).toEqual([4, ref.distinct]);
    expect(r.queue).toBeGreaterThan(0);
  });

  it('a bound the run never needs is no bound: the run is complete', async () => {
    const r = await checkModel(twoPhase, { constants: RM3, checkDeadlock: false, bounds: { maxDepth: 12, maxStates: 289, timeoutMs: 1e9 } });
    expect([r.status, r.distinctStates, r.depth, r.bound]).toEqual(['ok', 288, 11, undefined]);
  });

  it('--max-states stops starting work once that many distinct states are found', async () => {
    const r = await checkModel(twoPhase, { constants: RM3, checkDeadlock: false, bounds: { maxStates: 50 } });
    expect(r.status).toBe('bounded');
    expect(r.bound).toEqual({ kind: 'states', limit: 50 });
    expect(r.distinctStates).toBeGreaterThanOrEqual(50);
    expect(r.distinctStates).toBeLessThan(288);
  });

  it('--timeout stops starting work after that time', async () => {
    const r = await checkModel(twoPhase, { constants: RM3, checkDeadlock: false, bounds: { timeoutMs: 0 } });
    expect(r.status).toBe('bounded');
    expect(r.bound).toEqual({ kind: 'time', limit: 0 });
    expect(r.distinctStates).toBeLessThan(288);
  });

  it('a violation found before the bound is still reported', async () => {
    const r = await checkModel(lostUpdate, { constants: { Client: ['c1', 'c2'] }, invariants: ['AllCounted'], bounds: { maxStates: 1_000 } });
    expect([r.status, r.violation?.name, r.violation?.trace.length]).toEqual(['violation', 'AllCounted', 5]);
  });
});
