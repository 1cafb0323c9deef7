// Knossos's cas-register (knossos.model/cas-register): write sets; cas [cur new] is legal iff the
// value is cur; a read of v is legal iff v is nil or the value (a nil read always passes).
// `:fail` ops did not take effect (dropped before the search).
import { is } from 'immutable';
import { pairOf, printEdn } from '../edn-value.js';
import type { SequentialSpec } from '../types.js';
import { describeJepsen, opValue, type JepsenInput } from './common.js';

export function casRegisterSpec(init: unknown = 0): SequentialSpec<unknown, JepsenInput, unknown> {
  return {
    name: 'cas-register',
    init: () => init,
    step(state, input, output, status) {
      const v = opValue(input, output, status);
      switch (input.f) {
        case 'write':
          return [v];
        case 'cas': {
          const pair = pairOf(v);
          if (pair === undefined) return [];
          return is(pair[0], state) ? [pair[1]] : [];
        }
        case 'read':
          return v === null || v === undefined || is(v, state) ? [state] : [];
        default:
          return [];
      }
    },
    readOnly: (input) => input.f === 'read',
    describeOperation: describeJepsen,
    describeState: printEdn,
    requirement(input, output, status) {
      const v = opValue(input, output, status);
      if (input.f === 'read' && v !== null && v !== undefined) return `value = ${printEdn(v)}`;
      if (input.f === 'cas') return `value = ${printEdn(pairOf(v)?.[0])}`;
      return undefined;
    },
  };
}
