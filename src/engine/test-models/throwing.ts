// A counter whose action Boom(3) throws when x reaches `At`: for the "model threw" tests, in-process
// and on worker threads (workers load models by path, so it is a module of its own).
import { Map as IMap } from 'immutable';
import { constant } from '../../model/constants.js';
import { defineModel } from '../../model/model.js';

type S = IMap<string, number>;

export default defineModel({
  name: 'throwing',
  constants: { At: constant.int({ min: 0, default: 2 }) },
  build({ At }) {
    return {
      init: [IMap({ x: 0 }) as S],
      actions: {
        Inc: { step: (s: S) => (s.get('x')! < 5 ? s.set('x', s.get('x')! + 1) : undefined) },
        Boom: {
          params: { n: [1, 2, 3] },
          step: (s: S, { n }: { n: number }) => {
            if (s.get('x') === At && n === 3) throw new Error(`boom at x = ${At}`);
            return undefined;
          },
        },
      },
      invariants: {
        Fine: (s: S) => s.get('x')! < 100,
        Fragile: (s: S) => {
          if (s.get('x') === At) throw new TypeError('fragile');
          return true;
        },
      },
    };
  },
});
