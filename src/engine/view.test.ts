// VIEW: states are deduplicated on a function of the state that the model names.
import { Map as IMap } from 'immutable';
import { describe, expect, it } from 'vitest';
import { checkModel } from './index.js';
import { defineModel } from '../model/model.js';

// A counter x in 0..3 with a step counter `steps` (bounded by 6) that the view leaves out.
const counter = defineModel({
  name: 'counter-with-history',
  constants: {},
  build() {
    type S = IMap<string, number>;
    return {
      init: [IMap({ x: 0, steps: 0 }) as S],
      actions: {
        Up: { step: (s: S) => (s.get('x')! < 3 && s.get('steps')! < 6 ? s.set('x', s.get('x')! + 1).set('steps', s.get('steps')! + 1) : undefined) },
        Down: { step: (s: S) => (s.get('x')! > 0 && s.get('steps')! < 6 ? s.set('x', s.get('x')! - 1).set('steps', s.get('steps')! + 1) : undefined) },
      },
      invariants: { Small: (s: S) => s.get('x')! <= 3 },
      views: { JustX: (s: S) => s.get('x') },
    };
  },
});

describe('VIEW', () => {
  it('deduplicates on the view and keeps traces concrete', async () => {
    const full = await checkModel(counter, { constants: {}, checkDeadlock: false });
    const viewed = await checkModel(counter, { constants: {}, checkDeadlock: false, view: 'JustX' });
    // (x, steps) with steps ≤ 6, x ≤ min(steps, 3), x ≡ steps (mod 2): 1 + 1 + 2 + 2 + 2 + 2 + 2
    expect(full.distinctStates).toBe(12);
    expect(viewed.distinctStates).toBe(4); // x in 0..3
    expect(viewed.depth).toBe(4);
  });
  it('rejects an unknown view', async () => {
    await expect(checkModel(counter, { constants: {}, view: 'Nope' })).rejects.toThrow(/no view Nope/);
  });
});
