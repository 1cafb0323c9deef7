// Two counters and a noise action: x must stay below Limit. The shortest counterexample has Limit + 1
// states (Limit increments of x); random walks also take IncY and Reset steps that shrinking removes.
// A module of its own, so that workers can load it by path.
import { Map as IMap } from 'immutable';
import { constant } from '../../model/constants.js';
import { defineModel } from '../../model/model.js';

type S = IMap<string, number>;

export default defineModel({
  name: 'counters',
  constants: { Limit: constant.int({ min: 1 }) },
  build(k) {
    const limit = k.Limit;
    return {
      init: [IMap({ x: 0, y: 0 }) as S],
      actions: {
        IncX: { step: (s: S) => s.update('x', (v) => v! + 1) },
        IncY: { step: (s: S) => (s.get('y')! < 3 ? s.update('y', (v) => v! + 1) : undefined) },
        Reset: { params: { which: ['x', 'y'] }, step: (s: S, a: { which: string }) => (s.get(a.which)! > 0 ? s.set(a.which, 0) : undefined) },
      },
      invariants: { XBelowLimit: (s: S) => s.get('x')! < limit },
    };
  },
});
