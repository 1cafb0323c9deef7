// A read/write register with strict reads: a read must return the current value (Stateright's
// register; Porcupine's register model). Knossos's nil-passing reads are casRegisterSpec's.
import { is } from 'immutable';
import { printEdn } from '../edn-value.js';
import type { SequentialSpec } from '../types.js';
import { describeJepsen, indefinite, opValue, type JepsenInput } from './common.js';

export function registerSpec(init: unknown = null): SequentialSpec<unknown, JepsenInput, unknown> {
  return {
    name: 'register',
    init: () => init,
    step(state, input, output, status) {
      switch (input.f) {
        case 'write':
          return [opValue(input, output, status)];
        case 'read':
          return indefinite(status) || is(output, state) ? [state] : [];
        default:
          return [];
      }
    },
    readOnly: (input) => input.f === 'read',
    describeOperation: describeJepsen,
    describeState: printEdn,
    requirement: (input, output) => (input.f === 'read' && output !== undefined ? `value = ${printEdn(output)}` : undefined),
  };
}
