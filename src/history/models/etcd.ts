// Porcupine's etcdModel (porcupine_test.go): a register, initially nil, with read/write/cas where a
// `:fail :cas` is an observation (the register did not hold `from`; unchanged), and an op with no
// answer (info, pending, or `:fail :read :timed-out`) accepts any output.
import { is } from 'immutable';
import { pairOf, printEdn } from '../edn-value.js';
import type { SequentialSpec } from '../types.js';
import { describeJepsen, indefinite, type JepsenInput } from './common.js';

export function etcdSpec(init: unknown = null): SequentialSpec<unknown, JepsenInput, unknown> {
  return {
    name: 'etcd',
    init: () => init,
    failedOps: 'observe',
    step(state, input, output, status) {
      const unknown = indefinite(status);
      switch (input.f) {
        case 'read':
          // A failed read gave no answer (etcd_100-102's `:fail :read :timed-out`).
          return unknown || status === 'fail' || is(output, state) ? [state] : [];
        case 'write':
          return [input.value];
        case 'cas': {
          const pair = pairOf(input.value);
          if (pair === undefined) return [];
          const holds = is(pair[0], state);
          if (unknown) return [holds ? pair[1] : state];
          if (status === 'fail') return holds ? [] : [state];
          return holds ? [pair[1]] : [];
        }
        default:
          return [];
      }
    },
    readOnly: (input, _output, status) => input.f === 'read' || (input.f === 'cas' && status === 'fail'),
    describeOperation: describeJepsen,
    describeState: printEdn,
    requirement(input, output, status) {
      if (indefinite(status)) return undefined;
      if (input.f === 'read' && status === 'ok') return `value = ${printEdn(output)}`;
      if (input.f === 'cas') return `value ${status === 'fail' ? '≠' : '='} ${printEdn(pairOf(input.value)?.[0])}`;
      return undefined;
    },
  };
}
