// Stateright's single-copy register against the counts its tests pin (shared/reference/actor-model.md §12.1).
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkModel, checkSpec } from '../src/engine/index.js';
import singleCopy from './single-copy-register.js';

const spec = (name: string) => fileURLToPath(new URL(`../specs/${name}.cfg`, import.meta.url));
const base = { Network: 'unordered-nonduplicating', Lossy: false, MaxCrashes: 0, MaxPartitions: 0, Partitions: 'isolate-one', MaxPauses: 0 };

describe('single-copy register', () => {
  it('1 server, 2 clients (specs/single-copy-register.cfg): 93 states (121 generated, depth 9), linearizable, a value is chosen', async () => {
    const r = await checkSpec(spec('single-copy-register'), { workers: 0 });
    expect(r.loaded.spec.expect).toEqual({ kind: 'ok' });
    expect(r.status).toBe('ok');
    expect([r.distinctStates, r.statesGenerated, r.depth]).toEqual([93, 121, 9]);
    // Stateright's assert_discovery("value chosen", [2→0 Put(2,'B'), 0→2 PutOk(2), 2→0 Get(4)]) is one such path; BFS finds a shortest.
    const w = r.reachability.find((x) => x.name === 'ValueChosen')!;
    expect(w.holds).toBe(true);
    expect(w.trace!.map((t) => t.action)).toHaveLength(4);
  });

  it('1 server on the ordered network: 93 states (the reference figure)', async () => {
    const r = await checkModel(singleCopy, { constants: { ...base, Network: 'ordered', Servers: 1, Clients: 2 }, invariants: ['Linearizable'], workers: 0, checkDeadlock: false });
    expect([r.status, r.distinctStates]).toEqual(['ok', 93]);
  });

  it('2 servers: the whole reachable space has 62 states (Stateright stops early at 54)', async () => {
    const r = await checkModel(singleCopy, { constants: { ...base, Servers: 2, Clients: 2 }, properties: ['ValueChosen'], workers: 0, checkDeadlock: false });
    expect([r.status, r.distinctStates, r.statesGenerated, r.depth]).toEqual(['ok', 62, 81, 9]);
  });

  it('2 servers (specs/single-copy-register-2.cfg): not linearizable, a shortest counterexample of 4 deliveries', async () => {
    const r = await checkSpec(spec('single-copy-register-2'), { workers: 0 });
    expect(r.loaded.spec.expect).toMatchObject({ kind: 'violation', name: 'Linearizable' });
    expect(r.status).toBe('violation');
    expect(r.violation!.name).toBe('Linearizable');
    // The run finishes the level of the first violation, then stops: 18 states by then.
    expect(r.distinctStates).toBe(18);
    const steps = r.violation!.trace.map((t) => t.action);
    expect(steps).toHaveLength(5);
    // Either client can be the one that reads '\0' from the other server: both are shortest.
    expect([
      ["c2→s0 Put(2, 'A')", 's0→c2 PutOk(2)', 'c2→s1 Get(4)', "s1→c2 GetOk(4, '\\0')"],
      ["c3→s1 Put(3, 'B')", 's1→c3 PutOk(3)', 'c3→s0 Get(6)', "s0→c3 GetOk(6, '\\0')"],
    ]).toContainEqual(steps.slice(1));
  });

  it('2 servers: not sequentially consistent either (the reader saw neither its own write nor a later one)', async () => {
    const r = await checkModel(singleCopy, { constants: { ...base, Servers: 2, Clients: 2 }, invariants: ['SequentiallyConsistent'], workers: 0, checkDeadlock: false });
    expect(r.status).toBe('violation');
    expect(r.violation!.trace).toHaveLength(5);
  });
});
