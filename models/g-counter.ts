// A grow-only counter CRDT, as in Helwer, Merz and Kuppe's TLA+ specification CRDT
// (tlaplus/Examples, specifications/FiniteMonotonic), restated in ../shared/reference/ap-store.md §C.
// counter[n][o] is n's view of o's count; a node increments its own entry, and gossip merges one node's
// view into another's by pointwise max.
// With Reduction = TRUE the next-state relation is MCCRDT's ReductionNext: besides Increment(n) and
// Gossip(n, o), each may be followed in the same step by Reduction, which subtracts the smallest entry
// from every entry (TLC's action composition A \cdot B), keeping the space finite without losing behaviors.
import { Map as IMap } from 'immutable';
import { constant } from '../src/model/constants.js';
import { defineModel } from '../src/model/model.js';

export type Counter = IMap<string, IMap<string, number>>;

export default defineModel({
  name: 'g-counter',
  description: 'A grow-only counter CRDT (tlaplus/Examples FiniteMonotonic CRDT)',
  constants: {
    Node: constant.modelValues(),
    /** The CONSTRAINT bound: every counter[n][n] ≤ MaxCount. */
    MaxCount: constant.int({ min: 0, default: 2 }),
    Reduction: constant.bool({ default: false }),
  },
  build({ Node, MaxCount, Reduction }) {
    const increment = (c: Counter, n: string): Counter => c.setIn([n, n], c.get(n)!.get(n)! + 1);
    const gossip = (c: Counter, n: string, o: string): Counter =>
      c.set(o, IMap(Node.map((x) => [x, Math.max(c.get(n)!.get(x)!, c.get(o)!.get(x)!)] as const)));
    const reduce = (c: Counter): Counter => {
      const m = Math.min(...Node.flatMap((n) => Node.map((o) => c.get(n)!.get(o)!)));
      return c.map((row) => row.map((v) => v - m));
    };
    type NO = { n: string; o: string };
    const plain = {
      Increment: { params: { n: Node }, step: (c: Counter, { n }: { n: string }) => increment(c, n) },
      Gossip: { params: { n: Node, o: Node }, step: (c: Counter, { n, o }: NO) => gossip(c, n, o) },
    };
    // ReductionNext == \E n, o \in Node: Increment(n) \/ Gossip(n, o) \/ Increment(n)·Reduction \/ Gossip(n, o)·Reduction
    const reduced = {
      ReductionNext: {
        params: { n: Node, o: Node },
        step: (c: Counter, { n, o }: NO) => [increment(c, n), gossip(c, n, o), reduce(increment(c, n)), reduce(gossip(c, n, o))],
      },
    };
    return {
      init: [IMap(Node.map((n) => [n, IMap(Node.map((o) => [o, 0] as const))] as const)) as Counter],
      actions: Reduction ? reduced : plain,
      invariants: {
        TypeOK: (c: Counter) =>
          c.size === Node.length && Node.every((n) => c.get(n)?.size === Node.length && Node.every((o) => Number.isInteger(c.get(n)!.get(o)) && c.get(n)!.get(o)! >= 0)),
        /** No node knows more of n's count than n itself. */
        Safety: (c: Counter) => Node.every((n) => Node.every((o) => c.get(n)!.get(n)! >= c.get(o)!.get(n)!)),
      },
      constraints: {
        Constraint: (c: Counter) => Node.every((n) => c.get(n)!.get(n)! <= MaxCount),
      },
      nodeView: { nodes: Node, view: (c: Counter, n: string) => ({ counter: c.get(n) }) },
    };
  },
});
