// A last-writer-wins replicated map, after Alexander-N's TLA+ specifications crdt.tla and crdt_fixed.tla
// (Alexander-N/tla-specs, crdt-bug; linked from tlaplus/Examples as "CRDT-Bug"), restated in
// ../shared/reference/ap-store.md §B. Each node applies its own set/delete at once and queues it for the
// others. The buggy map deletes by one entry's timestamp and drops a set older than an entry it holds, so
// a set delivered after the delete of a newer entry comes back on one node only: the nodes diverge
// forever, violating EventuallyConsistent. `makeLwwMap({ fixed: true })` is crdt_fixed: a set or delete
// names the timestamps it supersedes, and delivering it removes exactly those.
import { List, Map as IMap, Record, Set as ISet } from 'immutable';
import { constant } from '../src/model/constants.js';
import { defineModel } from '../src/model/model.js';
import { eventuallyAlways } from '../src/model/properties.js';

/** An entry ⟨t, k, v⟩. */
export const Entry = Record({ t: 0, k: '', v: '' }, 'LwwEntry');
export type Entry = ReturnType<typeof Entry>;
/**
 * ⟨command, payload⟩. Buggy: set ⟨t, k, v⟩, delete t. Fixed: set ⟨T, t, k, v⟩, delete T, where T is the set
 * of timestamps the sender held for the key.
 */
export const Command = Record<{ command: 'set' | 'delete'; T: ISet<number> | null; t: number; k: string; v: string }>(
  { command: 'set', T: null, t: 0, k: '', v: '' },
  'LwwCommand',
);
export type Command = ReturnType<typeof Command>;

export const LwwState = Record({ timestamp: 1, values: IMap<number, ISet<Entry>>(), deliverQueues: IMap<number, List<Command>>() }, 'LwwMap');
export type LwwState = ReturnType<typeof LwwState>;

export function makeLwwMap(opts: { name: string; description: string; fixed: boolean }) {
  return defineModel({
    name: opts.name,
    description: opts.description,
    constants: {
      MAX_TIMESTAMP: constant.int({ min: 1 }),
      KEYS: constant.modelValues(),
      VALUES: constant.modelValues(),
      N_NODES: constant.int({ min: 1 }),
    },
    build({ MAX_TIMESTAMP, KEYS, VALUES, N_NODES }) {
      const nodeIds = Array.from({ length: N_NODES }, (_, i) => i + 1);
      const timestampsOf = (s: LwwState, n: number, k: string) => ISet(s.values.get(n)!.filter((e) => e.k === k).map((e) => e.t));

      /** Deliver(n, command, payload): the new values of node n. */
      const deliver = (s: LwwState, n: number, c: Command): LwwState => {
        const mine = s.values.get(n)!;
        let next: ISet<Entry>;
        if (opts.fixed) {
          const kept = mine.filter((e) => !c.T!.has(e.t));
          next = c.command === 'set' ? kept.add(Entry({ t: c.t, k: c.k, v: c.v })) : kept;
        } else if (c.command === 'set') {
          const previous = mine.filter((e) => e.k === c.k);
          next = previous.every((e) => e.t < c.t) ? mine.subtract(previous).add(Entry({ t: c.t, k: c.k, v: c.v })) : mine;
        } else {
          next = mine.filter((e) => e.t !== c.t);
        }
        return s.set('values', s.values.set(n, next));
      };
      const broadcast = (s: LwwState, n: number, c: Command): LwwState => {
        const t = deliver(s, n, c);
        return t.set('deliverQueues', t.deliverQueues.map((q, i) => (i === n ? q : q.push(c))));
      };
      const allValuesEqual = (s: LwwState) => nodeIds.every((n) => s.values.get(n)!.equals(s.values.get(1)!));

      return {
        init: [
          LwwState({
            timestamp: 1,
            values: IMap(nodeIds.map((n) => [n, ISet<Entry>()] as const)),
            deliverQueues: IMap(nodeIds.map((n) => [n, List<Command>()] as const)),
          }),
        ],
        actions: {
          RequestSetOnNode: {
            params: { n: nodeIds, k: KEYS, v: VALUES },
            step: (s: LwwState, { n, k, v }: { n: number; k: string; v: string }) => {
              if (!(s.timestamp < MAX_TIMESTAMP)) return undefined;
              const c = Command({ command: 'set', T: opts.fixed ? timestampsOf(s, n, k) : null, t: s.timestamp, k, v });
              return broadcast(s.set('timestamp', s.timestamp + 1), n, c);
            },
          },
          RequestDeleteOnNode: {
            params: { n: nodeIds, k: KEYS },
            step: (s: LwwState, { n, k }: { n: number; k: string }) => {
              if (opts.fixed) {
                const T = timestampsOf(s, n, k);
                return T.size > 0 ? broadcast(s, n, Command({ command: 'delete', T })) : undefined;
              }
              // One successor per entry of n for key k, deleting by that entry's timestamp.
              return s.values
                .get(n)!
                .toArray()
                .filter((e) => e.k === k)
                .map((e) => broadcast(s, n, Command({ command: 'delete', t: e.t })));
            },
          },
          DeliverOnNode: {
            params: { n: nodeIds },
            step: (s: LwwState, { n }: { n: number }) => {
              const q = s.deliverQueues.get(n)!;
              if (q.size === 0) return undefined;
              const t = deliver(s, n, q.first()!);
              return t.set('deliverQueues', t.deliverQueues.set(n, q.shift()));
            },
          },
          /** Every queue empty: a stuttering step, so that a finished run is not a deadlock. */
          Terminating: {
            step: (s: LwwState) => (s.deliverQueues.every((q) => q.size === 0) ? s : undefined),
          },
        },
        properties: {
          /** <>[] every node holds the same entries. */
          EventuallyConsistent: eventuallyAlways(allValuesEqual),
        },
        invariants: { AllValuesEqual: allValuesEqual },
        records: [LwwState, Entry, Command],
        nodeView: {
          nodes: nodeIds.map(String),
          view: (s: LwwState, node: string) => ({ values: s.values.get(Number(node)), queue: s.deliverQueues.get(Number(node))!.size }),
        },
        messageView: {
          messages: (s: LwwState) => s.deliverQueues.toArray().flatMap(([to, q]) => q.toArray().map((c) => List([to, c]))),
          describe: (raw: unknown) => {
            const [to, c] = (raw as List<unknown>).toArray() as [number, Command];
            // Commands do not record their sender; with two nodes it is the other one.
            return { from: N_NODES === 2 ? String(3 - to) : 'another node', to: String(to), label: showCommand(c) };
          },
        },
        showValue: (v: unknown) => (v instanceof Entry ? `<${v.t}, ${v.k}, ${v.v}>` : v instanceof Command ? showCommand(v) : undefined),
      };

      function showCommand(c: Command): string {
        const T = c.T ? `{${c.T.toArray().sort().join(', ')}} ` : '';
        return c.command === 'set' ? `set ${T}<${c.t}, ${c.k}, ${c.v}>` : `delete ${c.T ? T.trim() : c.t}`;
      }
    },
  });
}

export default makeLwwMap({ name: 'lww-map', description: 'A last-writer-wins replicated map with a delete bug (crdt.tla)', fixed: false });
