// Lamport's mutual exclusion against TLC 2.20's counts. From ../shared/reference/lamport-mutex.md:
// N 2, maxClock 3, MaxNat 4 → 191 distinct / 384 generated / depth 22 (and N 3, maxClock 6 → 724,274 /
// 2,729,079 / 61: specs/long/lamport-mutex.cfg, too long for a test). The other counts came from TLC 2.20
// (-workers 1) on the source's LamportMutex and MCLamportMutex modules.
import { is } from 'immutable';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkModel } from '../src/engine/index.js';
import { loadSpec } from '../src/spec/load.js';
import { referenceBfs, successorsOf } from '../src/engine/test-models/reference-bfs.js';
import lamportMutex, { type MutexState } from './lamport-mutex.js';

const INVARIANTS = ['TypeOK', 'BoundedNetwork', 'Mutex'];
const run = (N: number, maxClock: number, MaxNat = maxClock + 1) =>
  checkModel(lamportMutex, { constants: { N, maxClock, MaxNat }, invariants: INVARIANTS, constraints: ['ClockConstraint'], workers: 0 });

describe('Lamport mutex', () => {
  it('N=2 maxClock=3 MaxNat=4: 191 distinct, 384 generated, depth 22; no deadlock; the same from a plain BFS', async () => {
    const r = await run(2, 3);
    expect(r.status).toBe('ok');
    expect([r.distinctStates, r.statesGenerated, r.depth]).toEqual([191, 384, 22]);
    for (const c of r.coverage) expect(c.fired, c.action).toBeGreaterThan(0);
    // The plain BFS has no constraint: count the states within it by hand.
    const inst = lamportMutex.build({ N: 2, maxClock: 3, MaxNat: 4 });
    const within = (s: MutexState) => inst.constraints!.ClockConstraint!(s);
    const seen = new Set<string>();
    let frontier = [...inst.init];
    let generated = frontier.length;
    let depth = 0;
    const key = (s: MutexState) => JSON.stringify(s.toJS());
    for (const s of frontier) seen.add(key(s));
    while (frontier.length > 0) {
      depth++;
      const next: MutexState[] = [];
      for (const s of frontier) {
        for (const { state: t } of successorsOf(inst.actions as never, s) as { state: MutexState }[]) {
          generated++;
          if (!within(t) || seen.has(key(t))) continue;
          seen.add(key(t));
          next.push(t);
        }
      }
      frontier = next;
    }
    expect([seen.size, generated, depth]).toEqual([191, 384, 22]);
  });

  it('N=2 maxClock=6 MaxNat=7: 1,043 distinct, 2,001 generated, depth 40', async () => {
    const r = await run(2, 6);
    expect([r.status, r.distinctStates, r.statesGenerated, r.depth]).toEqual(['ok', 1_043, 2_001, 40]);
  });

  it('N=3 maxClock=3 MaxNat=4: 10,209 distinct, 41,533 generated, depth 31', async () => {
    const r = await run(3, 3);
    expect([r.status, r.distinctStates, r.statesGenerated, r.depth]).toEqual(['ok', 10_209, 41_533, 31]);
  });

  it('every process enters the critical section somewhere; Enter stutters while a process stays in it', () => {
    const ref = referenceBfs(lamportMutex, { N: 2, maxClock: 3, MaxNat: 4 }, { maxLevels: 22 });
    const states = ref.levels.flat() as MutexState[];
    for (const p of [1, 2]) expect(states.some((s) => s.crit.has(p))).toBe(true);
    const inside = states.find((s) => s.crit.size === 1)!;
    const inst = lamportMutex.build({ N: 2, maxClock: 3, MaxNat: 4 });
    const p = inside.crit.first()!;
    const enter = successorsOf(inst.actions as never, inside).filter((x) => x.action === 'Enter' && x.args.p === p);
    expect(enter).toHaveLength(1);
    expect(is(enter[0]!.state, inside)).toBe(true);
  });

  it('TypeOK is checked on the successors the constraint cuts: with MaxNat = maxClock a clock leaves Nat (12 states, as TLC)', async () => {
    const r = await run(2, 3, 3);
    expect(r.violation?.name).toBe('TypeOK');
    expect(r.violation!.trace).toHaveLength(12);
    const last = r.violation!.trace[11]!.state as MutexState;
    expect(Math.max(...last.clock.values())).toBe(4);
  });

  it('specs/long/lamport-mutex.cfg is TLC\'s MCLamportMutex.cfg', async () => {
    const loaded = await loadSpec(fileURLToPath(new URL('../specs/long/lamport-mutex.cfg', import.meta.url)));
    expect(loaded.constants).toEqual({ N: 3, maxClock: 6, MaxNat: 7 });
    expect(loaded.spec.invariants.map((x) => x.name)).toEqual(INVARIANTS);
    expect(loaded.spec.constraints.map((x) => x.name)).toEqual(['ClockConstraint']);
    expect(loaded.spec.checkDeadlock).toBe(true);
    expect(loaded.spec.expect).toEqual({ kind: 'ok' });
  });
});
