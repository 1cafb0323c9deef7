// A key-value store with snapshot isolation, as in Helwer's TLA+ specification KeyValueStore
// (tlaplus/Examples, specifications/KeyValueStore), restated in ../shared/reference/kvstore.md.
// A transaction works on a private snapshot of the store; committing merges its writes unless a key it
// wrote was written by a transaction that committed while it was open (first committer wins).
import { Map as IMap, Record, Set as ISet } from 'immutable';
import { constant } from '../src/model/constants.js';
import { defineModel } from '../src/model/model.js';

/** A stored value, or null: NoVal, "no value / deleted". */
export type Value = string | null;
type Store = IMap<string, Value>;

export const KvState = Record(
  {
    store: IMap<string, Value>(),
    tx: ISet<string>(),
    snapshotStore: IMap<string, Store>(),
    written: IMap<string, ISet<string>>(),
    missed: IMap<string, ISet<string>>(),
  },
  'KeyValueStore',
);
export type KvState = ReturnType<typeof KvState>;

export default defineModel({
  name: 'kv-store',
  description: "A key-value store with snapshot isolation (Helwer's KeyValueStore)",
  constants: {
    Key: constant.modelValues(),
    Val: constant.modelValues(),
    TxId: constant.modelValues(),
  },
  build({ Key, Val, TxId }) {
    const empty: Store = IMap(Key.map((k) => [k, null] as const));
    const write = (s: KvState, t: string, k: string, v: Value) =>
      s.set('snapshotStore', s.snapshotStore.setIn([t, k], v)).set('written', s.written.set(t, s.written.get(t)!.add(k)));
    const snap = (s: KvState, t: string, k: string) => s.snapshotStore.get(t)!.get(k)!;
    type TKV = { t: string; k: string; v: string };
    return {
      init: [
        KvState({
          store: empty,
          tx: ISet(),
          snapshotStore: IMap(TxId.map((t) => [t, empty] as const)),
          written: IMap(TxId.map((t) => [t, ISet<string>()] as const)),
          missed: IMap(TxId.map((t) => [t, ISet<string>()] as const)),
        }),
      ],
      actions: {
        OpenTx: {
          params: { t: TxId },
          step: (s: KvState, { t }: { t: string }) =>
            s.tx.has(t) ? undefined : s.set('tx', s.tx.add(t)).set('snapshotStore', s.snapshotStore.set(t, s.store)),
        },
        Add: {
          params: { t: TxId, k: Key, v: Val },
          step: (s: KvState, { t, k, v }: TKV) => (s.tx.has(t) && snap(s, t, k) === null ? write(s, t, k, v) : undefined),
        },
        Update: {
          params: { t: TxId, k: Key, v: Val },
          step: (s: KvState, { t, k, v }: TKV) => (s.tx.has(t) && snap(s, t, k) !== null && snap(s, t, k) !== v ? write(s, t, k, v) : undefined),
        },
        Remove: {
          params: { t: TxId, k: Key },
          step: (s: KvState, { t, k }: { t: string; k: string }) => (s.tx.has(t) && snap(s, t, k) !== null ? write(s, t, k, null) : undefined),
        },
        RollbackTx: {
          params: { t: TxId },
          step: (s: KvState, { t }: { t: string }) =>
            s.tx.has(t)
              ? s
                  .set('tx', s.tx.delete(t))
                  .set('snapshotStore', s.snapshotStore.set(t, empty))
                  .set('written', s.written.set(t, ISet()))
                  .set('missed', s.missed.set(t, ISet()))
              : undefined,
        },
        /** Commit: merge the writes unless one of them conflicts with a write committed meanwhile. */
        CloseTx: {
          params: { t: TxId },
          step: (s: KvState, { t }: { t: string }) => {
            const written = s.written.get(t)!;
            if (!s.tx.has(t) || s.missed.get(t)!.intersect(written).size > 0) return undefined;
            const tx = s.tx.delete(t);
            return s
              .set('store', s.store.map((v, k) => (written.has(k) ? snap(s, t, k) : v)))
              .set('tx', tx)
              .set('missed', s.missed.map((m, o) => (tx.has(o) ? m.union(written) : ISet<string>())))
              .set('snapshotStore', s.snapshotStore.set(t, empty))
              .set('written', s.written.set(t, ISet()));
          },
        },
      },
      invariants: {
        TypeInvariant: (s: KvState) => {
          const isStore = (m: Store | undefined) => m !== undefined && m.size === Key.length && Key.every((k) => m.has(k) && (m.get(k) === null || Val.includes(m.get(k)!)));
          const keySets = (f: IMap<string, ISet<string>>) => f.size === TxId.length && TxId.every((t) => f.get(t)?.every((k) => Key.includes(k)) === true);
          return (
            isStore(s.store) &&
            s.tx.every((t) => TxId.includes(t)) &&
            s.snapshotStore.size === TxId.length &&
            TxId.every((t) => isStore(s.snapshotStore.get(t))) &&
            keySets(s.written) &&
            keySets(s.missed)
          );
        },
        TxLifecycle: (s: KvState) =>
          s.tx.every((t) => Key.every((k) => !(s.store.get(k) !== snap(s, t, k) && !s.written.get(t)!.has(k)) || s.missed.get(t)!.has(k))) &&
          TxId.filter((t) => !s.tx.has(t)).every(
            (t) => Key.every((k) => snap(s, t, k) === null) && s.written.get(t)!.size === 0 && s.missed.get(t)!.size === 0,
          ),
      },
      records: [KvState],
      nodeView: {
        nodes: ['store', ...TxId],
        view: (s: KvState, n: string) =>
          n === 'store'
            ? { store: s.store }
            : { open: s.tx.has(n), snapshot: s.snapshotStore.get(n), written: s.written.get(n), missed: s.missed.get(n) },
      },
      showValue: (v: unknown) => (v === null ? 'NoVal' : undefined),
    };
  },
});
