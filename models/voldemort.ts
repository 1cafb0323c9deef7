// Voldemort-style replicated storage with client-side quorums, as in Demirbas's PlusCal specification
// voldemortSimple (muratdem/PlusCal-examples, VoldemortKV; linked from tlaplus/Examples as "VoldemortKV"),
// restated in ../shared/reference/ap-store.md §D. One client reads the highest version from a read quorum
// and writes version + 1 to a write quorum, one node at a time; up to FAILNUM nodes are down at once.
// Quorums are TLC's CHOOSE over SUBSET of the up nodes: the ReadQ (WriteQ) lowest-numbered up nodes.
import { Map as IMap, Record, Set as ISet } from 'immutable';
import { constant } from '../src/model/constants.js';
import { defineModel } from '../src/model/model.js';
import { always } from '../src/model/properties.js';

export const Item = Record({ ver: 0, val: 0 }, 'VoldemortItem');
export type Item = ReturnType<typeof Item>;

export const VoldemortState = Record(
  {
    FailNum: 0,
    up: IMap<number, boolean>(),
    db: IMap<number, ISet<Item>>(),
    /** The client's pc; every node's pc is always NODE. */
    pc: 'CL' as 'CL' | 'CLWR' | 'CLWW' | 'Done',
    cntr: 0,
    hver: 0,
    Q: ISet<number>(),
  },
  'Voldemort',
);
export type VoldemortState = ReturnType<typeof VoldemortState>;

export default defineModel({
  name: 'voldemort',
  description: 'Voldemort-style replicated storage with client-side read and write quorums (voldemortSimple)',
  constants: {
    N: constant.int({ min: 1, default: 5 }),
    C: constant.int({ min: 1, max: 1, default: 1 }),
    STOP: constant.int({ min: 0 }),
    ReadQ: constant.int({ min: 1 }),
    WriteQ: constant.int({ min: 1 }),
    FAILNUM: constant.int({ min: 0 }),
  },
  build({ N, STOP, ReadQ, WriteQ, FAILNUM }) {
    const Nodes = Array.from({ length: N }, (_, i) => i + 1);
    /** CHOOSE i \in SUBSET(UpNodes): Cardinality(i) = size — the lowest-numbered up nodes. */
    const quorum = (s: VoldemortState, size: number): number[] => {
      const upNodes = Nodes.filter((n) => s.up.get(n));
      if (upNodes.length < size) throw new Error(`CHOOSE found no ${size} up nodes (only ${upNodes.length} are up)`);
      return upNodes.slice(0, size);
    };
    return {
      init: [
        VoldemortState({
          FailNum: FAILNUM,
          up: IMap(Nodes.map((n) => [n, true] as const)),
          db: IMap(Nodes.map((n) => [n, ISet([Item()])] as const)),
        }),
      ],
      actions: {
        /** Read: the highest version in the union of the read quorum's databases. */
        CL: {
          step: (s: VoldemortState) => {
            if (s.pc !== 'CL') return undefined;
            if (!(s.cntr <= STOP)) return s.set('pc', 'Done');
            const hver = Math.max(...quorum(s, ReadQ).flatMap((n) => s.db.get(n)!.toArray().map((i) => i.ver)));
            return s.set('cntr', s.cntr + 1).set('hver', hver).set('pc', 'CLWR');
          },
        },
        CLWR: {
          step: (s: VoldemortState) => (s.pc === 'CLWR' ? s.set('Q', ISet(quorum(s, WriteQ))).set('pc', 'CLWW') : undefined),
        },
        /** Write version hver + 1 to one node of Q (one successor per node), even if it is down now. */
        CLWW: {
          step: (s: VoldemortState) => {
            if (s.pc !== 'CLWW') return undefined;
            if (s.Q.size === 0) return s.set('pc', 'CL');
            const item = Item({ ver: s.hver + 1, val: s.cntr });
            return s.Q.toArray()
              .sort((a, b) => a - b)
              .map((p) => s.set('db', s.db.set(p, s.db.get(p)!.add(item))).set('Q', s.Q.delete(p)));
          },
        },
        /** A node fails while the budget allows, or recovers; otherwise a stuttering step. */
        NODE: {
          params: { n: Nodes },
          step: (s: VoldemortState, { n }: { n: number }) => {
            if (s.FailNum > 0 && s.up.get(n)) return s.set('up', s.up.set(n, false)).set('FailNum', s.FailNum - 1);
            if (!s.up.get(n)) return s.set('up', s.up.set(n, true)).set('FailNum', s.FailNum + 1);
            return s;
          },
        },
      },
      invariants: {
        /** Every stored item has ver = val: each write saw the previous write's version. */
        Consistent: (s: VoldemortState) => s.db.every((items) => items.every((i) => i.ver === i.val)),
      },
      properties: {
        /** The version the client reads never decreases. */
        CPro: always.step((s: VoldemortState, t: VoldemortState) => t.hver >= s.hver),
      },
      records: [VoldemortState, Item],
      nodeView: {
        nodes: ['client', ...Nodes.map(String)],
        view: (s: VoldemortState, node: string) =>
          node === 'client'
            ? { pc: s.pc, cntr: s.cntr, hver: s.hver, Q: s.Q }
            : { up: s.up.get(Number(node)), db: s.db.get(Number(node))!.map((i) => `v${i.ver}=${i.val}`) },
      },
      showValue: (v: unknown) => (v instanceof Item ? `[ver ${v.ver}, val ${v.val}]` : undefined),
    };
  },
});
