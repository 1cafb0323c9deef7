// The snapshot-isolation key-value store (Helwer's KeyValueStore) against TLC 2.20, from
// ../shared/reference/kvstore.md: {k1}/{v1,v2}/{t1,t2} 255 / 1,753 / 12 and {k1}/{v1,v2}/{t1,t2,t3}
// 3,345 / 34,579 / 15. ({k1,k2}/{v1,v2}/{t1,t2}, 28,305 / 314,965 / 17 measured with TLC 2.20 -workers 1,
// is specs/long/kv-store-2-keys.cfg, in the bench.)
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkModel, checkSpec } from '../src/engine/index.js';
import kvStore from './kv-store.js';

describe('snapshot-isolation key-value store', () => {
  it('one key, two values, two transactions: 255 distinct states, 1,753 generated, depth 12', async () => {
    const r = await checkModel(kvStore, { constants: { Key: ['k1'], Val: ['v1', 'v2'], TxId: ['t1', 't2'] }, invariants: ['TypeInvariant', 'TxLifecycle'], workers: 0 });
    expect(r.status).toBe('ok');
    expect([r.distinctStates, r.statesGenerated, r.depth]).toEqual([255, 1_753, 12]);
  });

  it('three transactions (specs/kv-store.cfg): 3,345 distinct states, 34,579 generated, depth 15', async () => {
    const r = await checkSpec(fileURLToPath(new URL('../specs/kv-store.cfg', import.meta.url)), { workers: 0 });
    expect(r.status).toBe('ok');
    expect([r.distinctStates, r.statesGenerated, r.depth]).toEqual([3_345, 34_579, 15]);
  });

});
