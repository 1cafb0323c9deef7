// The lease lock on the actor layer (specs/lock-lease-actors.cfg, specs/lock-lease-actors-fenced.cfg).
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkModel, checkSpec } from '../src/engine/index.js';
import lease from './lock-lease-actors.js';

const spec = (name: string) => fileURLToPath(new URL(`../specs/${name}.cfg`, import.meta.url));
const quiet = { Network: 'unordered-nonduplicating', Lossy: false, MaxCrashes: 0, MaxPartitions: 0, Partitions: 'isolate-one', MaxPauses: 0 };

describe('lease lock on the actor layer', () => {
  it('no fencing (specs/lock-lease-actors.cfg): a paused holder writes after the next holder, 12 states', async () => {
    const r = await checkSpec(spec('lock-lease-actors'), { workers: 0 });
    expect(r.status).toBe('violation');
    expect(r.violation!.name).toBe('NoStaleWrite');
    expect(r.violation!.trace.map((t) => t.action)).toEqual([
      'Init', 'c3→lock Acquire', 'c2→lock Acquire', 'lock→c3 Grant(token 1, until tick 1)', 'pause c3', 'timeout lock tick',
      'lock→c2 Grant(token 2, until tick 2)', 'timeout c2 work', 'c2→store Write(token 2)', 'resume c3', 'timeout c3 work', 'c3→store Write(token 1)',
    ]);
  });

  it('fencing tokens checked by the storage (specs/lock-lease-actors-fenced.cfg): holds on 316 states', async () => {
    const r = await checkSpec(spec('lock-lease-actors-fenced'), { workers: 0 });
    expect(r.status).toBe('ok');
    expect([r.distinctStates, r.depth]).toEqual([316, 17]);
  });

  it('without pauses the clock never outruns a running holder: no fencing needed', async () => {
    const r = await checkModel(lease, { constants: { ...quiet, Clients: 2, LeaseTicks: 1, MaxTime: 2, Fenced: false }, invariants: ['NoStaleWrite'], workers: 0, checkDeadlock: false });
    expect(r.status).toBe('ok');
    expect(r.distinctStates).toBe(39);
  });
});
