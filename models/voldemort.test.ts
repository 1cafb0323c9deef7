// Voldemort-style quorum replication (voldemortSimple) against TLC 2.20, from ../shared/reference/ap-store.md §D
// (N = 5, C = 1, STOP = 2; INVARIANT Consistent). Consistency holds or breaks depending on R, W and FAILNUM.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkModel, checkSpec } from '../src/engine/index.js';
import voldemort, { type VoldemortState } from './voldemort.js';

const run = (ReadQ: number, WriteQ: number, FAILNUM: number) =>
  checkModel(voldemort, { constants: { N: 5, C: 1, STOP: 2, ReadQ, WriteQ, FAILNUM }, invariants: ['Consistent'], properties: ['CPro'], workers: 0 });

describe('Voldemort quorum replication', () => {
  it('R = W = 2, one failure (specs/voldemort.cfg): 1,416 distinct states, 8,569 generated, depth 24; Consistent holds', async () => {
    const r = await checkSpec(fileURLToPath(new URL('../specs/voldemort.cfg', import.meta.url)), { workers: 0 });
    expect(r.status).toBe('ok');
    expect([r.distinctStates, r.statesGenerated, r.depth]).toEqual([1_416, 8_569, 24]);
  });

  it.each([
    [1, 1, 0, 14, 84, 14],
    [1, 3, 0, 32, 207, 20],
  ])('R = %i, W = %i, %i failures: %i distinct, %i generated, depth %i; Consistent holds', async (r_, w, f, distinct, generated, depth) => {
    const r = await run(r_, w, f);
    expect(r.status).toBe('ok');
    expect([r.distinctStates, r.statesGenerated, r.depth]).toEqual([distinct, generated, depth]);
  });

  it.each([
    [1, 1, 1, 9],
    [2, 2, 2, 11],
    [2, 3, 2, 14],
  ])('R = %i, W = %i, %i failures: Consistent violated, shortest counterexample %i states', async (r_, w, f, length) => {
    const r = await run(r_, w, f);
    expect(r.status).toBe('violation');
    expect(r.violation!.name).toBe('Consistent');
    expect(r.violation!.trace).toHaveLength(length);
    const last = r.violation!.trace[length - 1]!.state as VoldemortState;
    expect(last.db.some((items) => items.some((i) => i.ver !== i.val))).toBe(true);
  });

  it('specs/voldemort-two-failures.cfg is the 11-state violation', async () => {
    const r = await checkSpec(fileURLToPath(new URL('../specs/voldemort-two-failures.cfg', import.meta.url)), { workers: 0 });
    expect(r.loaded.spec.expect).toMatchObject({ kind: 'violation', name: 'Consistent' });
    expect(r.violation!.trace).toHaveLength(11);
  });
});
