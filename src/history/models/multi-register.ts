// Knossos's multi-register: `:txn` ops whose value is a vector of [:read k v] / [:write k v], applied
// atomically left to right; a read of nil always passes.
import { is, Map as IMap } from 'immutable';
import { elements, Keyword, printEdn } from '../edn-value.js';
import type { SequentialSpec } from '../types.js';
import { describeJepsen, opValue, type JepsenInput } from './common.js';

export type MultiRegisterState = IMap<unknown, unknown>;

function microName(f: unknown): string | undefined {
  return f instanceof Keyword ? f.name : typeof f === 'string' ? f : undefined;
}

export function multiRegisterSpec(init: MultiRegisterState = IMap()): SequentialSpec<MultiRegisterState, JepsenInput, unknown> {
  return {
    name: 'multi-register',
    init: () => init,
    step(state, input, output, status) {
      if (input.f !== 'txn') return [];
      const micro = elements(opValue(input, output, status));
      if (micro === undefined) return [];
      let s = state;
      for (const m of micro) {
        const parts = elements(m);
        if (parts === undefined || parts.length !== 3) return [];
        const [f, k, v] = parts;
        const name = microName(f);
        if (name === 'read') {
          if (v !== null && v !== undefined && !is(v, s.get(k, null))) return [];
        } else if (name === 'write') s = s.set(k, v);
        else return [];
      }
      return [s];
    },
    // A txn of reads only never changes the registers.
    readOnly: (input) => input.f === 'txn' && (elements(input.value) ?? []).every((m) => microName(elements(m)?.[0]) === 'read'),
    describeOperation: describeJepsen,
    describeState: printEdn,
  };
}
