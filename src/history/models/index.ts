// The built-in sequential specs by CLI name. Adding a model: one file in this folder exporting a
// `SequentialSpec` factory, and one entry here.
import { Map as IMap } from 'immutable';
import type { SequentialSpec } from '../types.js';
import { casRegisterSpec } from './cas-register.js';
import { counterSpec } from './counter.js';
import { etcdSpec } from './etcd.js';
import { kvSpec } from './kv.js';
import { multiRegisterSpec } from './multi-register.js';
import { mutexSpec } from './mutex.js';
import { registerSpec } from './register.js';

export interface ModelEntry {
  readonly name: string;
  readonly summary: string;
  /** The default initial value, as EDN (what upstream tests use). */
  readonly defaultInit: string;
  /** Builds the spec from an initial value (already read from EDN); throws a message on a bad one. */
  make(init: unknown): SequentialSpec<any, any, any>;
}

const asMap = (init: unknown, what: string): IMap<unknown, unknown> => {
  if (IMap.isMap(init)) return init as IMap<unknown, unknown>;
  if (init === null) return IMap();
  throw new Error(`${what} takes a map as --init, e.g. {:x 0 :y 0}`);
};

export const MODELS: readonly ModelEntry[] = [
  { name: 'cas-register', summary: "Knossos's cas-register: read/write/cas, nil reads always pass, :fail did not happen", defaultInit: '0', make: (v) => casRegisterSpec(v) },
  { name: 'etcd', summary: "Porcupine's etcd register: read/write/cas, :fail :cas is an observed false", defaultInit: 'nil', make: (v) => etcdSpec(v) },
  {
    name: 'kv',
    summary: 'get/put/append on string registers, partitioned by key; --init a string (every key) or a map',
    defaultInit: '""',
    make: (v) => (IMap.isMap(v) ? kvSpec(v as IMap<unknown, unknown>) : kvSpec(IMap(), v)),
  },
  {
    name: 'multi-register',
    summary: "Knossos's multi-register: :txn of [:read k v]/[:write k v], nil reads pass",
    defaultInit: '{:x 0 :y 0}',
    make: (v) => multiRegisterSpec(asMap(v, 'multi-register')),
  },
  {
    name: 'mutex',
    summary: "Knossos's mutex: acquire/release; --init true starts held",
    defaultInit: 'false',
    make: (v) => {
      if (typeof v !== 'boolean' && v !== null) throw new Error('mutex takes true or false as --init');
      return mutexSpec(v === true);
    },
  },
  { name: 'register', summary: 'read/write register with strict reads (a read must return the value)', defaultInit: 'nil', make: (v) => registerSpec(v) },
  {
    name: 'counter',
    summary: 'increment/add (by :value, default 1), set, read',
    defaultInit: '0',
    make: (v) => {
      if (typeof v !== 'number') throw new Error('counter takes a number as --init');
      return counterSpec(v);
    },
  },
];

export function findModel(name: string): ModelEntry | undefined {
  return MODELS.find((m) => m.name === name);
}

