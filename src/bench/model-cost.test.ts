import { describe, expect, it } from 'vitest';
import { checkSpec } from '../engine/index.js';
import { parseConstantOverride } from '../spec/cfg.js';
import { measureModelCost } from './model-cost.js';

// The replay must cover exactly the work the checker does, or its time means nothing.
describe('measureModelCost', () => {
  it.each([
    ['specs/two-phase-commit.cfg', ['RM={r1,r2,r3}']],
    ['specs/raft.cfg', ['Server={s1,s2}', 'Electable={s1,s2}']], // a CONSTRAINT cuts states
  ])('replays the states and successors the checker counts (%s)', async (spec, consts) => {
    const overrides = consts.map(parseConstantOverride);
    const checked = await checkSpec(spec, { overrides });
    const cost = await measureModelCost(spec, overrides, 1);
    expect(cost.states).toBe(checked.distinctStates);
    expect(cost.generated).toBe(checked.statesGenerated);
    expect(cost.decodeMs).toBeGreaterThan(0);
    expect(cost.modelMs).toBeGreaterThanOrEqual(0);
  });
});
