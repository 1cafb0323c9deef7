// Three-phase commit on the actor layer (specs/3pc-crash.cfg, specs/3pc-partition.cfg): outcomes, counts
// and the shortest counterexample, and the failure-detector guard itself.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkModel, checkSpec } from '../src/engine/index.js';
import { List, Map as IMap, Set as ISet } from 'immutable';
import { ActorState, Envelope, suspects } from '../src/actor/index.js';
import threePc from './three-phase-commit.js';

const spec = (name: string) => fileURLToPath(new URL(`../specs/${name}.cfg`, import.meta.url));
const quiet = { Network: 'unordered-nonduplicating', Lossy: false, MaxCrashes: 0, MaxPartitions: 0, Partitions: 'isolate-one', MaxPauses: 0 };

describe('three-phase commit', () => {
  it('crashes only (specs/3pc-crash.cfg, 2 participants, up to 2 nodes down): atomic on all 10,039 states', async () => {
    const r = await checkSpec(spec('3pc-crash'), { workers: 0 });
    expect(r.status).toBe('ok');
    expect([r.distinctStates, r.depth]).toEqual([10039, 25]);
  });

  it('one crash at a time: 3,791 states, atomic', async () => {
    const r = await checkModel(threePc, { constants: { ...quiet, Participants: 2, MaxCrashes: 1 }, invariants: ['Atomicity'], workers: 0, checkDeadlock: false });
    expect(r.status).toBe('ok');
    expect(r.distinctStates).toBe(3791);
  });

  it('one partition (specs/3pc-partition.cfg): the cut-off coordinator commits on its ack timeout, the other side aborts', async () => {
    const r = await checkSpec(spec('3pc-partition'), { workers: 0 });
    expect(r.status).toBe('violation');
    expect(r.violation!.name).toBe('Atomicity');
    expect(r.violation!.trace.map((t) => t.action)).toEqual([
      'Init', 'c→p1 CanCommit', 'c→p2 CanCommit', 'timeout p1 vote-yes', 'p1→c Yes', 'timeout p2 vote-yes', 'p2→c Yes',
      'partition {c} | {p1, p2}', 'timeout c round', 'timeout p1 coordinator', 'p1→p2 StateReq', 'p2→p1 State(uncertain)',
    ]);
  });

  it('the failure detector suspects a crashed peer once its messages to me have arrived, and any peer across the partition', () => {
    const crashed = ActorState({ crashed: List([true, false]), network: IMap([[Envelope({ src: 0, dst: 1, msg: 'x' }), 1]]) });
    expect(suspects(crashed, 1, 0)).toBe(false); // its last message is still on the way
    expect(suspects(crashed.set('network', IMap()), 1, 0)).toBe(true);
    expect(suspects(crashed, 0, 1)).toBe(false); // a live peer
    const cut = ActorState({ crashed: List([false, false, false]), partition: List([ISet([0]), ISet([1, 2])]) });
    expect([suspects(cut, 1, 0), suspects(cut, 0, 2), suspects(cut, 1, 2)]).toEqual([true, true, false]);
  });
});
