// Stateright's ABD register against its pinned count (shared/reference/actor-model.md §12.2).
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkModel, checkSpec } from '../src/engine/index.js';
import abd from './abd-register.js';

const base = { Network: 'unordered-nonduplicating', Lossy: false, MaxCrashes: 0, MaxPartitions: 0, Partitions: 'isolate-one', MaxPauses: 0 };

describe('ABD register', () => {
  it('2 servers, 2 clients (specs/abd-register.cfg): 544 states (875 generated, depth 25), linearizable, a value is chosen', async () => {
    const r = await checkSpec(fileURLToPath(new URL('../specs/abd-register.cfg', import.meta.url)), { workers: 0 });
    expect(r.status).toBe('ok');
    expect([r.distinctStates, r.statesGenerated, r.depth]).toEqual([544, 875, 25]);
    const w = r.reachability.find((x) => x.name === 'ValueChosen')!;
    expect(w.holds).toBe(true);
    // Stateright's asserted path has 11 deliveries; a shortest one has as many.
    expect(w.trace!.length - 1).toBe(11);
  });

  it('on the ordered network: 620 states (the reference figure)', async () => {
    const r = await checkModel(abd, { constants: { ...base, Network: 'ordered', Servers: 2, Clients: 2 }, invariants: ['Linearizable'], workers: 0, checkDeadlock: false });
    expect([r.status, r.distinctStates]).toEqual(['ok', 620]);
  });
});
