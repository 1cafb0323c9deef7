// Porcupine's kvModel: per-key string registers with get/put/append, each key initially "" (or the
// --init map's value), partitioned by key (each partition is one string register whose state is the
// id of its string). Without partitioning the state is one map of every key to its string's id.
import { Map as IMap } from 'immutable';
import { printEdn } from '../edn-value.js';
import { ANY_STATE, type CompiledOps, type SequentialSpec } from '../types.js';
import { describeJepsen, indefinite, partitionBy, type JepsenInput } from './common.js';
import { StringTable } from './string-table.js';

/** Key → id of its string; a key not in the map holds its initial value. */
export type KvState = IMap<unknown, number>;

const text = (v: unknown): string => (typeof v === 'string' ? v : v === null || v === undefined ? '' : printEdn(v));

/** The id after applying a kv op to the id `cur`, or -1 when illegal. */
function apply(table: StringTable, cur: number, input: JepsenInput, output: unknown, unknown: boolean): number {
  switch (input.f) {
    case 'get':
      // A nil read is an absent key, which holds "" in Porcupine's model.
      return unknown || table.intern(text(output)) === cur ? cur : -1;
    case 'put':
      return table.intern(text(input.value));
    case 'append':
      return table.append(cur, text(input.value));
    default:
      return -1;
  }
}

const common = {
  readOnly: (input: JepsenInput) => input.f === 'get',
  describeOperation: describeJepsen,
  requirement: (input: JepsenInput, output: unknown, status: string) =>
    input.f === 'get' && !indefinite(status as 'ok') ? `${printEdn(input.key)} = ${printEdn(output ?? '')}` : undefined,
};

/** One key's string register (what each partition of kvSpec is checked against). */
function keySpec(table: StringTable, initial: number, key: unknown): SequentialSpec<number, JepsenInput, unknown> {
  return {
    name: 'kv',
    init: () => initial,
    step(cur, input, output, status) {
      const next = apply(table, cur, input, output, indefinite(status));
      return next < 0 ? [] : [next];
    },
    describeState: (id) => `${printEdn(key)} = ${printEdn(table.text(id))}`,
    // The same steps on string ids: each op's string is interned once, not at every step.
    compile(ops) {
      const kind = new Uint8Array(ops.length);
      const arg = new Int32Array(ops.length);
      for (let i = 0; i < ops.length; i++) {
        const { input, output, status } = ops[i]!;
        const f = input.f;
        if (f === 'get') {
          kind[i] = indefinite(status) ? GET_ANY : GET;
          arg[i] = kind[i] === GET ? table.intern(text(output)) : 0;
        } else if (f === 'put') {
          kind[i] = PUT;
          arg[i] = table.intern(text(input.value));
        } else if (f === 'append') {
          kind[i] = APPEND;
          arg[i] = table.suffixId(text(input.value));
        } else kind[i] = ILLEGAL;
      }
      // A get (the read-only op) is legal in the state of its expected string only.
      const legalIn = new Int32Array(ops.length).fill(-1);
      for (let i = 0; i < ops.length; i++) legalIn[i] = kind[i] === GET ? arg[i]! : kind[i] === GET_ANY ? ANY_STATE : -1;
      return new KeyOps(table, initial, kind, arg, legalIn);
    },
    ...common,
  };
}

const GET = 1;
const GET_ANY = 2;
const PUT = 3;
const APPEND = 4;
const ILLEGAL = 0;

/**
 * One key's ops compiled: the step on string ids. A class, not a closure per partition, so the
 * search's call of step sees one target in every partition; one load of each array before the
 * branches, so a branch first taken late (a rare put) needs no new type feedback.
 */
class KeyOps implements CompiledOps {
  constructor(
    private readonly table: StringTable,
    readonly init: number,
    private readonly kind: Uint8Array,
    private readonly arg: Int32Array,
    readonly readOnlyLegalIn: Int32Array,
  ) {}
  step(cur: number, i: number): number {
    const k = this.kind[i]!;
    const a = this.arg[i]!;
    if (k === APPEND) return this.table.appendSuffix(cur, a);
    if (k === GET) return a === cur ? cur : -1;
    if (k === PUT) return a;
    return k === GET_ANY ? cur : -1;
  }
}

/** `init` gives keys' initial values (a map of key → string); `fallback` is every other key's. */
export function kvSpec(init: IMap<unknown, unknown> = IMap(), fallback: unknown = ''): SequentialSpec<KvState, JepsenInput, unknown> {
  const table = new StringTable();
  const initialId = (k: unknown): number => table.intern(text(init.has(k) ? init.get(k) : fallback));
  return {
    name: 'kv',
    init: () => IMap(),
    step(state, input, output, status) {
      const k = input.key;
      const cur = state.get(k) ?? initialId(k);
      const next = apply(table, cur, input, output, indefinite(status));
      return next < 0 ? [] : next === cur ? [state] : [state.set(k, next)];
    },
    partition: (ops) => partitionBy(ops, (i) => i.key),
    partitionSpec: (part) => {
      const key = part[0]?.input.key;
      return keySpec(table, initialId(key), key);
    },
    describeState: (s) => (s.size === 0 ? '(every key initial)' : printEdn(s.map((id) => table.text(id)))),
    ...common,
  };
}
