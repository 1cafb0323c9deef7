// The grow-only counter CRDT (tlaplus/Examples FiniteMonotonic CRDT) against TLC 2.20, from
// ../shared/reference/ap-store.md §C. Plain Spec with CONSTRAINT counter[n][n] ≤ 2: 2 nodes 36 / 217 / 7,
// 3 nodes 2,616 / 31,393 / 13. MCCRDT's ReductionNext (3 nodes, ≤ 3) has 25,000 distinct states, depth 16:
// specs/long/g-counter-reduction.cfg, run in the bench (TLC's generated count includes composition's
// intermediate states, so only distinct and depth compare).
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkModel, checkSpec } from '../src/engine/index.js';
import gCounter from './g-counter.js';

describe('grow-only counter', () => {
  it('2 nodes: 36 distinct states, 217 generated, depth 7; TypeOK and Safety hold, no deadlock', async () => {
    const r = await checkModel(gCounter, { constants: { Node: ['n1', 'n2'], MaxCount: 2, Reduction: false }, invariants: ['TypeOK', 'Safety'], constraints: ['Constraint'], workers: 0 });
    expect(r.status).toBe('ok');
    expect([r.distinctStates, r.statesGenerated, r.depth]).toEqual([36, 217, 7]);
  });

  it('3 nodes (specs/g-counter.cfg): 2,616 distinct states, 31,393 generated, depth 13', async () => {
    const r = await checkSpec(fileURLToPath(new URL('../specs/g-counter.cfg', import.meta.url)), { workers: 0 });
    expect(r.status).toBe('ok');
    expect([r.distinctStates, r.statesGenerated, r.depth]).toEqual([2_616, 31_393, 13]);
  });
});
