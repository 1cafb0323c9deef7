// A counter with one big step (Jump: 1 -> 9) that its ACTION_CONSTRAINT discards: for TLC's rule that
// the state of a discarded step is still checked against the invariants, and the step against the
// action properties. A module of its own, so that workers can load it by path.
import { always } from '../../model/properties.js';
import { defineModel } from '../../model/model.js';

export default defineModel({
  name: 'jumpy',
  constants: {},
  build() {
    return {
      init: [0],
      actions: {
        Inc: { step: (x: number) => (x < 3 ? x + 1 : undefined) },
        Jump: { step: (x: number) => (x === 1 ? 9 : undefined) },
      },
      invariants: { Lt9: (x: number) => x < 9 },
      actionConstraints: { NoJump: (x: number, y: number) => y - x <= 1 },
      properties: { SmallSteps: always.step((x: number, y: number) => y - x <= 1) },
    };
  },
});
