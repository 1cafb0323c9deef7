// CAP side by side (specs/cap-cp.cfg, specs/cap-ap.cfg) and the counter from our design notes
// (specs/counter-get-set.cfg, specs/counter-incr.cfg): outcomes, counts and shortest counterexamples.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkModel, checkSpec } from '../src/engine/index.js';
import abd from './abd-register.js';
import capAp from './cap-ap.js';
import counterGetSet from './counter-get-set.js';
import counterIncr from './counter-incr.js';

const spec = (name: string) => fileURLToPath(new URL(`../specs/${name}.cfg`, import.meta.url));
const nemesis = { Network: 'unordered-nonduplicating', Lossy: false, MaxCrashes: 0, MaxPartitions: 1, Partitions: 'isolate-one', MaxPauses: 0 };
const quiet = { ...nemesis, MaxPartitions: 0 };

describe('CAP', () => {
  it('CP (specs/cap-cp.cfg): linearizable on all 7,245 states, but a client cut off from the majority never gets an answer, under fair delivery', async () => {
    const r = await checkSpec(spec('cap-cp'), { workers: 0 });
    // Liveness is checked once the whole space is explored and every state kept the invariant.
    expect([r.distinctStates, r.depth]).toEqual([7245, 19]);
    expect(r.loaded.spec.expect).toMatchObject({ kind: 'violation', name: 'OperationsComplete' });
    expect(r.status).toBe('violation');
    expect(r.violation!.kind).toBe('liveness');
    expect(r.violation!.name).toBe('OperationsComplete');
    const steps = r.violation!.trace.map((t) => t.action);
    expect(steps.some((a) => a.startsWith('partition {s0}'))).toBe(true);
    expect(r.violation!.stuttering).toBe(true);
  }, 60_000);

  it('CP without the nemesis: every operation completes', async () => {
    const r = await checkModel(abd, { constants: { ...quiet, Servers: 3, Clients: 1 }, properties: ['OperationsComplete'], fairness: [{ kind: 'weak', group: [{ action: 'Deliver', args: [] }], text: 'WF(Deliver)' }], workers: 0, checkDeadlock: false });
    expect(r.status).toBe('ok');
  });

  it('AP (specs/cap-ap.cfg): not linearizable, a shortest counterexample of 4 deliveries (a stale read from another replica)', async () => {
    const r = await checkSpec(spec('cap-ap'), { workers: 0 });
    expect(r.status).toBe('violation');
    expect(r.violation!.name).toBe('Linearizable');
    expect(r.violation!.trace.map((t) => t.action)).toEqual(['Init', "c3→s0 Put(3, 'A')", 's0→c3 PutOk(3)', 'c3→s1 Get(6)', "s1→c3 GetOk(6, '\\0')"]);
  });

  it('AP: available under partition (every operation completes under fair delivery)', async () => {
    const r = await checkModel(capAp, { constants: { ...nemesis, Servers: 3, Clients: 1 }, properties: ['OperationsComplete'], fairness: [{ kind: 'weak', group: [{ action: 'Deliver', args: [] }], text: 'WF(Deliver)' }], workers: 0, checkDeadlock: false });
    expect(r.status).toBe('ok');
    expect(r.distinctStates).toBe(105);
  });
});

describe('counter', () => {
  it('GET then SET (specs/counter-get-set.cfg): not linearizable against a counter, 10 deliveries', async () => {
    const r = await checkSpec(spec('counter-get-set'), { workers: 0 });
    expect(r.status).toBe('violation');
    expect(r.violation!.name).toBe('Linearizable');
    expect(r.violation!.trace).toHaveLength(11);
  });

  it('GET then SET: the final value misses an increment (NoLostUpdate, 12 deliveries)', async () => {
    const r = await checkModel(counterGetSet, { constants: { ...quiet, Clients: 2 }, invariants: ['NoLostUpdate'], workers: 0, checkDeadlock: false });
    expect(r.status).toBe('violation');
    expect(r.violation!.trace).toHaveLength(13);
    const last = r.violation!.trace.at(-1)!.state as { actors: { get(i: number): unknown } };
    expect(last.actors.get(0)).toBe(1);
  });

  it('INCR (specs/counter-incr.cfg): linearizable, no lost update, 62 states (GET then SET: 133)', async () => {
    const r = await checkSpec(spec('counter-incr'), { workers: 0 });
    expect([r.status, r.distinctStates]).toEqual(['ok', 62]);
    const whole = await checkModel(counterGetSet, { constants: { ...quiet, Clients: 2 }, workers: 0, checkDeadlock: false });
    expect(whole.distinctStates).toBe(133);
    void counterIncr;
  });
});
