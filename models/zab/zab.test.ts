// Zab (the ZooKeeper project's protocol specification Zab.tla) against TLC 2.20's counts from
// ../shared/reference/zab.md (-workers 1, no symmetry, all ten invariants):
//   2 servers, bounds 1/1/1/1:   665 distinct,    853 generated, depth 19
//   3 servers, bounds 1/1/1/1: 16,453 distinct, 29,677 generated, depth 21 (specs/zab.cfg)
//   3 servers, bounds 2/2/1/1: 219,331 distinct, 511,117 generated, depth 30 (specs/long/, in the bench only)
// and, measured with TLC 2.20 (-workers 1, no symmetry) on Zab.tla with the reference's MC module at more bounds:
//   3 servers, bounds 0/1/2/0:  2,653 distinct,  5,170 generated, depth 25 (a server can join late: MaxEpoch 2)
//   3 servers, bounds 0/2/2/0: 21,871 / 53,941 / 32; 1/1/2/0: 85,174 / 165,256 / 34; 2 servers 2/2/2/2: 55,027 / 82,851 / 33
//   and with issue 2 reverted, 3 servers 0/1/2/0: ShouldNotBeTriggered violated, an 18-state counterexample.
import { is } from 'immutable';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkModel, checkSpec } from '../../src/engine/index.js';
import { successorsOf } from '../../src/engine/test-models/reference-bfs.js';
import zab from './index.js';
import zabRejectDuplicate from '../zab-reject-duplicate-propose.js';
import { type ZabState } from './zab.js';

const INVARIANTS = [
  'ShouldNotBeTriggered',
  'Leadership1',
  'Leadership2',
  'PrefixConsistency',
  'Integrity',
  'Agreement',
  'TotalOrder',
  'LocalPrimaryOrder',
  'GlobalPrimaryOrder',
  'PrimaryIntegrity',
];
const bounds1 = { MaxTimeoutFailures: 1, MaxTransactionNum: 1, MaxEpoch: 1, MaxRestarts: 1 };
const spec = (name: string) => fileURLToPath(new URL(`../../specs/${name}`, import.meta.url));

describe('Zab', () => {
  it('2 servers, bounds 1/1/1/1: 665 distinct states, 853 generated, depth 19, all invariants hold', async () => {
    const r = await checkModel(zab, { constants: { Server: ['s1', 's2'], ...bounds1 }, invariants: INVARIANTS, checkDeadlock: false, workers: 0 });
    expect(r.status).toBe('ok');
    expect([r.distinctStates, r.statesGenerated, r.depth, r.queue]).toEqual([665, 853, 19, 0]);
  });

  it('3 servers, bounds 1/1/1/1 (specs/zab.cfg): 16,453 distinct states, 29,677 generated, depth 21', async () => {
    const r = await checkSpec(spec('zab.cfg'), { workers: 0 });
    expect(r.loaded.spec.expect).toEqual({ kind: 'ok' });
    expect(r.status).toBe('ok');
    expect([r.distinctStates, r.statesGenerated, r.depth, r.queue]).toEqual([16_453, 29_677, 21, 0]);
    // As in TLC's run, no "should not happen" branch and no FilterNonexistentMessage step is enabled.
    const fired = new Map(r.coverage.map((c) => [c.action, c.fired]));
    expect(fired.get('FilterNonexistentMessage')).toBe(0);
    for (const a of ['UpdateLeader', 'FollowLeader', 'Timeout', 'Restart', 'LeaderProcessACK', 'FollowerProcessCOMMIT']) expect(fired.get(a)).toBeGreaterThan(0);
  }, 120_000);

  it('issue 2 reverted (specs/zab-broken.cfg): a duplicate PROPOSE violates ShouldNotBeTriggered, shortest counterexample 18 states', async () => {
    const r = await checkSpec(spec('zab-broken.cfg'), { workers: 0 });
    expect(r.loaded.spec.expect).toMatchObject({ kind: 'violation', name: 'ShouldNotBeTriggered' });
    expect(r.status).toBe('violation');
    expect(r.violation!.name).toBe('ShouldNotBeTriggered');
    const trace = r.violation!.trace;
    expect(trace).toHaveLength(18);
    const last = trace[17]!.state as ZabState;
    expect(last.violatedInvariants.proposalInconsistent).toBe(true);
    expect(trace[17]!.actionName).toBe('FollowerProcessPROPOSE');
    // Each step is a successor of the previous state by the action it names.
    const inst = zabRejectDuplicate.build({ Server: ['s1', 's2', 's3'], MaxTimeoutFailures: 0, MaxTransactionNum: 1, MaxEpoch: 2, MaxRestarts: 0 });
    for (let k = 1; k < trace.length; k++) {
      const succ = successorsOf(inst.actions as never, trace[k - 1]!.state);
      expect(succ.some((x) => x.action === trace[k]!.actionName && is(x.state, trace[k]!.state))).toBe(true);
    }
    // The fixed model at the same bounds: TLC's 2,653 distinct states, 5,170 generated, depth 25, all invariants hold.
    const fixed = await checkModel(zab, {
      constants: { Server: ['s1', 's2', 's3'], MaxTimeoutFailures: 0, MaxTransactionNum: 1, MaxEpoch: 2, MaxRestarts: 0 },
      invariants: INVARIANTS,
      checkDeadlock: false,
      workers: 0,
    });
    expect(fixed.status).toBe('ok');
    expect([fixed.distinctStates, fixed.statesGenerated, fixed.depth]).toEqual([2_653, 5_170, 25]);
  }, 120_000);
});
