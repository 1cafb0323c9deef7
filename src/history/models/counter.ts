// A counter: increment (by `value`, default 1), set to `value`, read returning the count. For the
// lost-update models (a read must see every increment linearized before it).
import { is } from 'immutable';
import { printEdn } from '../edn-value.js';
import type { SequentialSpec } from '../types.js';
import { describeJepsen, indefinite, type JepsenInput } from './common.js';

export function counterSpec(init = 0): SequentialSpec<number, JepsenInput, unknown> {
  return {
    name: 'counter',
    init: () => init,
    step(n, input, output, status) {
      switch (input.f) {
        case 'increment':
        case 'add':
          return [n + (typeof input.value === 'number' ? input.value : 1)];
        case 'set':
          return typeof input.value === 'number' ? [input.value] : [];
        case 'read':
          return indefinite(status) || is(output, n) ? [n] : [];
        default:
          return [];
      }
    },
    readOnly: (input) => input.f === 'read',
    describeOperation: describeJepsen,
    describeState: (n) => String(n),
    requirement: (input, output, status) => (input.f === 'read' && !indefinite(status) ? `count = ${printEdn(output)}` : undefined),
  };
}
