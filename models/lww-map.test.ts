// The last-writer-wins map (Alexander-N's crdt.tla and crdt_fixed.tla) against TLC 2.20, from
// ../shared/reference/ap-store.md §B: crdt.cfg (MAX_TIMESTAMP 3, one key, one value, 2 nodes) has
// 138 distinct states, 314 generated, depth 10, and violates EventuallyConsistent. The fixed counts were
// measured with TLC 2.20 (-workers 1) on crdt_fixed written from that restatement (the original file
// was not at hand): 177 / 400 / 11 at the same constants, EventuallyConsistent holds.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkSpec } from '../src/engine/index.js';
import type { LwwState } from './lww-map.js';

const spec = (name: string) => fileURLToPath(new URL(`../specs/${name}`, import.meta.url));

describe('last-writer-wins map', () => {
  it('with the delete bug (specs/lww-map.cfg): 138 distinct, 314 generated, depth 10; the nodes diverge forever', async () => {
    const r = await checkSpec(spec('lww-map.cfg'), { workers: 0 });
    expect(r.loaded.spec.expect).toMatchObject({ kind: 'violation', name: 'EventuallyConsistent' });
    expect(r.status).toBe('violation');
    expect(r.violation!.name).toBe('EventuallyConsistent');
    expect([r.distinctStates, r.statesGenerated, r.depth]).toEqual([138, 314, 10]);
    // The lasso ends in a state where the nodes hold different entries and nothing is left to deliver.
    const trace = r.violation!.trace;
    const last = trace[trace.length - 1]!.state as LwwState;
    expect(last.values.get(1)!.equals(last.values.get(2)!)).toBe(false);
  });

  it('fixed (specs/lww-map-fixed.cfg): 177 distinct, 400 generated, depth 11; EventuallyConsistent holds', async () => {
    const r = await checkSpec(spec('lww-map-fixed.cfg'), { workers: 0 });
    expect(r.status).toBe('ok');
    expect([r.distinctStates, r.statesGenerated, r.depth]).toEqual([177, 400, 11]);
  });
});
