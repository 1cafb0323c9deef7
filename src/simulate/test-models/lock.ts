// A combination lock: one key of four opens the next stage, any other key resets it. Opening Length
// stages violates the invariant; the shortest counterexample has Length + 1 states. A random walk
// takes the exact sequence with probability 4^-Length, so walks alone rarely open it.
// A module of its own, so that workers can load it by path.
import { Map as IMap } from 'immutable';
import { constant } from '../../model/constants.js';
import { defineModel } from '../../model/model.js';

type S = IMap<string, number>;

const CODE = [2, 0, 3, 1, 3, 2, 0, 1, 1, 2, 3, 0];

export default defineModel({
  name: 'lock',
  constants: { Length: constant.int({ min: 1, max: CODE.length }) },
  build(k) {
    const length = k.Length;
    return {
      init: [IMap({ stage: 0 }) as S],
      actions: {
        Press: { params: { key: [0, 1, 2, 3] }, step: (s: S, a: { key: number }) => s.set('stage', a.key === CODE[s.get('stage')!] ? s.get('stage')! + 1 : 0) },
      },
      invariants: { Locked: (s: S) => s.get('stage')! < length },
    };
  },
});
