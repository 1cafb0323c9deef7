// Porcupine's kvModel: per-key string registers with get/put/append, each key initially "" (or the
// --init map's value), partitioned by key. Without partitioning the state is one Immutable.Map.
import { is, Map as IMap } from 'immutable';
import { printEdn } from '../edn-value.js';
import type { SequentialSpec } from '../types.js';
import { describeJepsen, indefinite, partitionBy, type JepsenInput } from './common.js';

export type KvState = IMap<unknown, unknown>;

/** `init` gives each key's initial value: a map of key → value, and `fallback` for keys not in it. */
export function kvSpec(init: IMap<unknown, unknown> = IMap(), fallback: unknown = ''): SequentialSpec<KvState, JepsenInput, unknown> {
  const initial = (k: unknown): unknown => (init.has(k) ? init.get(k) : fallback);
  return {
    name: 'kv',
    init: () => IMap(),
    step(state, input, output, status) {
      const k = input.key;
      const cur = state.has(k) ? state.get(k) : initial(k);
      switch (input.f) {
        case 'get':
          return indefinite(status) || is(output, cur) ? [state] : [];
        case 'put':
          return [state.set(k, input.value)];
        case 'append':
          return [state.set(k, String(cur ?? '') + String(input.value ?? ''))];
        default:
          return [];
      }
    },
    partition: (ops) => partitionBy(ops, (i) => i.key),
    describeOperation: describeJepsen,
    describeState: (s) => (s.size === 0 ? '(every key initial)' : printEdn(s)),
    requirement: (input, output, status) =>
      input.f === 'get' && !indefinite(status) ? `${printEdn(input.key)} = ${printEdn(output)}` : undefined,
  };
}
