// Redlock with client pauses against TLC 2.20's counts, from ../shared/reference/lease-locks.md part A
// (N = 0, M = 1): TTL 1 / MaxTime 2 → 5,029 distinct, 15,994 generated, depth 15, MutualExclusion
// violated with 9 states; TTL 2 / MaxTime 3 → 15,685 / 51,237 / 18, violated with 10 states. The shortest
// counterexample of specs/redlock.cfg (15 states) came from TLC 2.20 (-workers 1) on the source's spec.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkModel, checkSpec } from '../src/engine/index.js';
import { referenceBfs } from '../src/engine/test-models/reference-bfs.js';
import redlock, { type RedlockState } from './redlock.js';

const spec = fileURLToPath(new URL('../specs/redlock.cfg', import.meta.url));
const holders = (s: RedlockState) => [...s.clientState.entries()].filter(([, st]) => st === 2).map(([c]) => c);

describe('redlock', () => {
  it('N=0 M=1 TTL=1 MaxTime=2: 5,029 distinct, 15,994 generated, depth 15; the same from a plain BFS', async () => {
    const k = { N: 0, M: 1, TTL: 1, MaxTime: 2 };
    const r = await checkModel(redlock, { constants: k, checkDeadlock: false, workers: 0 });
    expect(r.status).toBe('ok');
    expect([r.distinctStates, r.statesGenerated, r.depth]).toEqual([5_029, 15_994, 15]);
    for (const c of r.coverage) expect(c.fired, c.action).toBeGreaterThan(0);
    const ref = referenceBfs(redlock, k);
    expect([ref.distinct, ref.generated, ref.depth]).toEqual([5_029, 15_994, 15]);
  });

  it('N=0 M=1 TTL=2 MaxTime=3: 15,685 distinct, 51,237 generated, depth 18', async () => {
    const r = await checkModel(redlock, { constants: { N: 0, M: 1, TTL: 2, MaxTime: 3 }, checkDeadlock: false, workers: 0 });
    expect([r.distinctStates, r.statesGenerated, r.depth]).toEqual([15_685, 51_237, 18]);
  });

  it('MutualExclusion fails with shortest counterexamples of 9 (TTL 1, MaxTime 2) and 10 states (TTL 2, MaxTime 3)', async () => {
    for (const [TTL, MaxTime, length] of [
      [1, 2, 9],
      [2, 3, 10],
    ] as const) {
      const r = await checkModel(redlock, { constants: { N: 0, M: 1, TTL, MaxTime }, invariants: ['MutualExclusion'], checkDeadlock: false, workers: 0 });
      expect(r.violation?.name).toBe('MutualExclusion');
      expect(r.violation!.trace).toHaveLength(length);
      expect(holders(r.violation!.trace[length - 1]!.state as RedlockState)).toEqual([0, 1]);
    }
  });

  it('specs/redlock.cfg (3 instances, 2 clients, TTL 3, MaxTime 8): two clients hold the lock; shortest counterexample', async () => {
    const r = await checkSpec(spec, { workers: 0 });
    expect(r.loaded.spec.expect).toMatchObject({ kind: 'violation', name: 'MutualExclusion' });
    expect(r.status).toBe('violation');
    const trace = r.violation!.trace;
    expect(trace).toHaveLength(15);
    const last = trace[trace.length - 1]!.state as RedlockState;
    expect(holders(last)).toEqual([0, 1]);
    // The flaw: some holder's own clock says its locks are valid while real time says they expired.
    expect([0, 1].some((c) => last.localClock.get(c)! - last.acquireTime.get(c)! < 3 && last.globalTime - last.acquireTime.get(c)! >= 3)).toBe(true);
  });
});
