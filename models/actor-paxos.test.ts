// Stateright's actor Paxos against its pinned count (shared/reference/actor-model.md §12.3).
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkSpec } from '../src/engine/index.js';

describe('actor Paxos', () => {
  it('3 servers, 2 clients (specs/actor-paxos.cfg): 16,668 states, depth 21, linearizable, a value is chosen', async () => {
    const r = await checkSpec(fileURLToPath(new URL('../specs/actor-paxos.cfg', import.meta.url)), { workers: 0 });
    expect(r.status).toBe('ok');
    expect([r.distinctStates, r.depth]).toEqual([16_668, 21]);
    expect(r.reachability.find((x) => x.name === 'ValueChosen')!.holds).toBe(true);
  }, 120_000);
});
