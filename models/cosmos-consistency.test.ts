// Cosmos DB's consistency levels (azure-cosmos-tla scenario 1, swscop) against TLC 2.20's results from
// ../shared/reference/ap-store.md §A (NumClients = 1, K = 2, op < 5): the full state space per level, and the
// matrix of which guarantee each level keeps, with the length of each shortest counterexample.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkModel, checkSpec } from '../src/engine/index.js';
import cosmos from './cosmos-consistency.js';

const dir = fileURLToPath(new URL('../specs/consistency/', import.meta.url));
const constants = (Consistency: string) => ({ NumClients: 1, Consistency, K: 2, MaxNumOp: 5 });

// Full space (distinct / generated / depth), checked with Eventual, which every level keeps.
const FULL: Record<string, [number, number, number]> = {
  Strong: [33, 34, 33],
  Session: [33, 34, 33],
  Bounded_Staleness: [323, 377, 33],
  Consistent_Prefix: [503, 623, 33],
  Eventual: [503, 623, 33],
};
// TLC's matrix: the trace length of each violation, or 'holds'.
const WEAK = { Eventual: 'holds', Consistent_Prefix: 17, Session: 17, Bounded_Staleness: 17, Strong: 9 } as const;
const STRONG = { Eventual: 'holds', Consistent_Prefix: 'holds', Session: 'holds', Bounded_Staleness: 'holds', Strong: 'holds' } as const;
const MATRIX: Record<string, Record<string, 'holds' | number>> = {
  Strong: STRONG,
  Session: STRONG,
  Bounded_Staleness: WEAK,
  Consistent_Prefix: WEAK,
  Eventual: WEAK,
};

describe('Cosmos DB consistency levels, single writer', () => {
  for (const [level, [distinct, generated, depth]] of Object.entries(FULL)) {
    it(`${level}: ${distinct} distinct states, ${generated} generated, depth ${depth}`, async () => {
      const r = await checkModel(cosmos, { constants: constants(level), invariants: ['Eventual'], constraints: ['MaxNumOps'], checkDeadlock: false, workers: 0 });
      expect(r.status).toBe('ok');
      expect([r.distinctStates, r.statesGenerated, r.depth]).toEqual([distinct, generated, depth]);
    });
  }

  // More full spaces, measured with TLC 2.20 (-workers 1) on swscop's translation (invariant Eventual).
  it.each([
    ['Bounded_Staleness', 1, 5, 151, 167, 33],
    ['Bounded_Staleness', 0, 6, 41, 42, 41],
    ['Session', 2, 6, 41, 42, 41],
    ['Eventual', 2, 4, 119, 143, 25],
  ] as const)('%s, K = %i, op < %i: %i distinct states, %i generated, depth %i', async (Consistency, K, MaxNumOp, distinct, generated, depth) => {
    const r = await checkModel(cosmos, { constants: { NumClients: 1, Consistency, K, MaxNumOp }, invariants: ['Eventual'], constraints: ['MaxNumOps'], checkDeadlock: false, workers: 0 });
    expect([r.status, r.distinctStates, r.statesGenerated, r.depth]).toEqual(['ok', distinct, generated, depth]);
  });

  it('specs/consistency/ reproduces the matrix, one spec per level and guarantee, each as its EXPECT line says', async () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.cfg'));
    expect(files).toHaveLength(25);
    const seen: Record<string, Record<string, 'holds' | number>> = {};
    for (const f of files) {
      const r = await checkSpec(dir + f, { workers: 0 });
      const level = (r.loaded.spec.constants.get('Consistency')!.value as { value: string }).value;
      const guarantee = r.loaded.spec.invariants[0]!.name;
      const outcome = r.status === 'ok' ? 'holds' : r.violation!.trace.length;
      (seen[level] ??= {})[guarantee] = outcome;
      const exp = r.loaded.spec.expect!;
      if (exp.kind === 'ok') expect(outcome).toBe('holds');
      else expect([exp.name, typeof outcome]).toEqual([guarantee, 'number']);
    }
    expect(seen).toEqual(MATRIX);
  });

  it('a Strong read that returns the initial value after a write is the 9-state counterexample', async () => {
    const r = await checkModel(cosmos, { constants: constants('Eventual'), invariants: ['Strong'], constraints: ['MaxNumOps'], checkDeadlock: false, workers: 0 });
    expect(r.violation!.trace.slice(1).map((t) => t.actionName)).toEqual(['CW', 'D', 'DW', 'CWA', 'CR', 'D', 'DE', 'CRA']);
    const last = r.violation!.trace[8]!.state as { chistory: { toArray(): number[] }; Database: { toArray(): number[] } };
    expect([last.chistory.toArray(), last.Database.toArray()]).toEqual([[0, 0], [0, 1]]);
  });
});
