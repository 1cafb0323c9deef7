// 0 -> 1..Width -> (x, 1..Width): a level of Width^2 states, past the seen table's headroom at its initial
// size, so that tasks stop in the middle of their chunks and are resumed after the table grows.
import { constant } from '../../model/constants.js';
import { defineModel } from '../../model/model.js';
import { eventually } from '../../model/properties.js';

export default defineModel({
  name: 'wide-levels',
  constants: { Width: constant.int({ min: 1, default: 300 }) },
  build({ Width }) {
    const firsts = Array.from({ length: Width }, (_, i) => ({ to: i + 1 }));
    return {
      init: [0],
      actions: {
        Branch: {
          params: (x: number) => (x === 0 ? firsts : x <= Width ? firsts.map(({ to }) => ({ to: x * 100_000 + to })) : []),
          step: (_x: number, { to }: { to: number }) => to,
        },
      },
      properties: { ReachesLastLevel: eventually((x: number) => x > Width) },
    };
  },
});
