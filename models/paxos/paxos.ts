// Single-decree Paxos, as in Lamport's TLA+ specification "Paxos" (tlaplus/Examples, specifications/Paxos),
// restated in ../shared/reference/paxos.md. `makePaxos({ naive: true })` is the variant from our design
// notes whose Phase2a ignores the votes reported in the 1b messages.
import { Map as IMap, Record, Set as ISet } from 'immutable';
import { constant } from '../../src/model/constants.js';
import { interned } from '../../src/model/intern.js';
import { defineModel } from '../../src/model/model.js';
import { always, eventually, sometimes } from '../../src/model/properties.js';

export const None = 'None';

export interface MsgFields {
  type: '1a' | '1b' | '2a' | '2b';
  acc: string | null;
  bal: number;
  mbal: number;
  mval: string | null;
  val: string | null;
}
/** One record type for the four message kinds; the unused fields stay at their defaults. */
export const Msg = Record<MsgFields>({ type: '1a', acc: null, bal: -1, mbal: -1, mval: null, val: null }, 'Msg');
export type Msg = ReturnType<typeof Msg>;

export interface PaxosFields {
  maxBal: IMap<string, number>;
  maxVBal: IMap<string, number>;
  maxVal: IMap<string, string>;
  msgs: ISet<Msg>;
}
export const PaxosState = Record<PaxosFields>({ maxBal: IMap(), maxVBal: IMap(), maxVal: IMap(), msgs: ISet() }, 'Paxos');
export type PaxosState = ReturnType<typeof PaxosState>;

/** Subsets of `xs` of size k. */
function subsets<T>(xs: readonly T[], k: number): T[][] {
  if (k === 0) return [[]];
  if (xs.length < k) return [];
  const [head, ...tail] = xs;
  return [...subsets(tail, k - 1).map((s) => [head!, ...s]), ...subsets(tail, k)];
}

export function makePaxos(opts: { name: string; naive: boolean; description: string }) {
  return defineModel({
    name: opts.name,
    description: opts.description,
    constants: {
      Acceptor: constant.modelValues(),
      Value: constant.modelValues(),
      MaxBallot: constant.int({ min: 0 }),
    },
    build({ Acceptor, Value, MaxBallot }) {
      const Ballot = Array.from({ length: MaxBallot + 1 }, (_, i) => i);
      // Quorums are the majorities. Every condition below asks for *some* quorum and holds for a
      // majority as soon as it holds for one of its smallest sub-majorities, so those suffice.
      const Quorum = subsets(Acceptor, Math.floor(Acceptor.length / 2) + 1);
      const majority = Math.floor(Acceptor.length / 2) + 1;

      const send = (s: PaxosState, m: Msg) => s.set('msgs', s.msgs.add(m));

      // One instance per distinct message: resending a message in flight is then an identity check.
      const message = interned(Msg);
      const msg = (type: MsgFields['type'], acc: string | null, bal: number, mbal: number, mval: string | null, val: string | null): Msg =>
        message({ type, acc, bal, mbal, mval, val });

      // The messages of a state grouped by kind, built once per state: every action's guard reads
      // them, and the engine asks for all successors of one state in a row.
      let indexed: PaxosState | undefined;
      let index: { oneA: Msg[]; oneB: Map<number, Map<string, Msg[]>>; twoA: Msg[] } = { oneA: [], oneB: new Map(), twoA: [] };
      const byKind = (s: PaxosState) => {
        if (s === indexed) return index;
        const oneA: Msg[] = [], twoA: Msg[] = [];
        const oneB = new Map<number, Map<string, Msg[]>>();
        // forEach, not for-of: Immutable's iterators allocate a result object per element.
        s.msgs.forEach((m) => {
          if (m.type === '1a') oneA.push(m);
          else if (m.type === '2a') twoA.push(m);
          else if (m.type === '1b') {
            let byAcc = oneB.get(m.bal);
            if (!byAcc) oneB.set(m.bal, (byAcc = new Map()));
            const list = byAcc.get(m.acc!);
            if (list) list.push(m);
            else byAcc.set(m.acc!, [m]);
          }
        });
        indexed = s;
        index = { oneA, oneB, twoA };
        return index;
      };

      const phase2aEnabled = (s: PaxosState, b: number, v: string): boolean => {
        const { oneB, twoA } = byKind(s);
        if (twoA.some((m) => m.bal === b)) return false;
        const Q1bByAcc = oneB.get(b); // the 1b messages of ballot b, by acceptor
        if (!Q1bByAcc) return false;
        return Quorum.some((Q) => {
          if (!Q.every((a) => Q1bByAcc.has(a))) return false;
          if (opts.naive) return true;
          const Q1bv = Q.flatMap((a) => Q1bByAcc.get(a)!).filter((m) => m.mbal >= 0);
          return Q1bv.length === 0 || Q1bv.some((m) => m.mval === v && Q1bv.every((mm) => m.mbal >= mm.mbal));
        });
      };

      // The values with a majority of 2b votes in one ballot. msgs is a set, so two 2b messages with the
      // same ballot and value come from different acceptors: counting them counts the voters.
      const chosen = (s: PaxosState): Set<string> => {
        const twoB: Msg[] = [];
        s.msgs.forEach((m) => {
          if (m.type === '2b') twoB.push(m);
        });
        const out = new Set<string>();
        for (const m of twoB) {
          if (out.has(m.val!)) continue;
          let votes = 0;
          for (const o of twoB) if (o.bal === m.bal && o.val === m.val) votes++;
          if (votes >= majority) out.add(m.val!);
        }
        return out;
      };
      const messageTypes = new Set(['1a', '1b', '2a', '2b']);

      return {
        init: [
          PaxosState({
            maxBal: IMap(Acceptor.map((a) => [a, -1] as const)),
            maxVBal: IMap(Acceptor.map((a) => [a, -1] as const)),
            maxVal: IMap(Acceptor.map((a) => [a, None] as const)),
            msgs: ISet<Msg>(),
          }),
        ],
        actions: {
          Phase1a: {
            params: { b: Ballot },
            step: (s: PaxosState, { b }: { b: number }) => send(s, msg('1a', null, b, -1, null, null)),
          },
          Phase1b: {
            // for each acceptor a and each 1a message with a ballot above a's promise
            params: (s: PaxosState) => {
              const out: { a: string; b: number }[] = [];
              for (const a of Acceptor) for (const m of byKind(s).oneA) if (m.bal > s.maxBal.get(a)!) out.push({ a, b: m.bal });
              return out;
            },
            step: (s: PaxosState, { a, b }: { a: string; b: number }) =>
              send(s.set('maxBal', s.maxBal.set(a, b)), msg('1b', a, b, s.maxVBal.get(a)!, s.maxVal.get(a)!, null)),
            format: ({ a, b }: { a: string; b: number }) => `Phase1b(${a}, 1a ballot ${b})`,
          },
          Phase2a: {
            params: { b: Ballot, v: Value },
            step: (s: PaxosState, { b, v }: { b: number; v: string }) => (phase2aEnabled(s, b, v) ? send(s, msg('2a', null, b, -1, null, v)) : undefined),
          },
          Phase2b: {
            params: (s: PaxosState) => {
              const out: { a: string; b: number; v: string }[] = [];
              for (const a of Acceptor) for (const m of byKind(s).twoA) if (m.bal >= s.maxBal.get(a)!) out.push({ a, b: m.bal, v: m.val! });
              return out;
            },
            step: (s: PaxosState, { a, b, v }: { a: string; b: number; v: string }) =>
              send(
                s.set('maxBal', s.maxBal.set(a, b)).set('maxVBal', s.maxVBal.set(a, b)).set('maxVal', s.maxVal.set(a, v)),
                msg('2b', a, b, -1, null, v),
              ),
            format: ({ a, b, v }: { a: string; b: number; v: string }) => `Phase2b(${a}, 2a ballot ${b} value ${v})`,
          },
        },
        invariants: {
          /** At most one value is chosen. */
          Agreement: (s: PaxosState) => chosen(s).size <= 1,
          TypeOK: (s: PaxosState) =>
            Acceptor.every((a) => {
              const mb = s.maxBal.get(a), vb = s.maxVBal.get(a), vv = s.maxVal.get(a);
              return mb !== undefined && mb >= -1 && mb <= MaxBallot && vb !== undefined && vb >= -1 && vb <= MaxBallot && vv !== undefined && (vv === None || Value.includes(vv));
            }) && s.msgs.every((m) => messageTypes.has(m.type)),
        },
        properties: {
          /** <>(some value is chosen): needs fairness (see specs/paxos-liveness.cfg). */
          EventuallyChosen: eventually((s: PaxosState) => chosen(s).size > 0),
          /** Reachability: a value can be chosen at all (the model is not vacuous). */
          SomeValueChosen: sometimes((s: PaxosState) => chosen(s).size > 0),
          /** Reachability that fails: two values are never both chosen (Agreement's witness would be a bug). */
          TwoValuesChosen: sometimes((s: PaxosState) => chosen(s).size > 1),
          /** [][∀a: maxBal[a]' ≥ maxBal[a]]_vars: promises only grow. */
          MaxBalNeverDecreases: always.step((s: PaxosState, t: PaxosState) => Acceptor.every((a) => t.maxBal.get(a)! >= s.maxBal.get(a)!)),
          /** [][a vote is never withdrawn]: every 2b message stays (msgs only grows). */
          VotesAreNeverWithdrawn: always.step((s: PaxosState, t: PaxosState) => s.msgs.isSubset(t.msgs)),
        },
        records: [PaxosState, Msg],
        nodeView: {
          nodes: Acceptor,
          view: (s: PaxosState, a: string) => ({ maxBal: s.maxBal.get(a), maxVBal: s.maxVBal.get(a), maxVal: s.maxVal.get(a) }),
        },
        messageView: {
          messages: (s: PaxosState) => s.msgs,
          describe: (raw: unknown) => {
            const m = raw as Msg;
            switch (m.type) {
              case '1a':
                return { from: 'proposer', label: `1a bal ${m.bal}` };
              case '1b':
                return { from: m.acc!, to: 'proposer', label: `1b bal ${m.bal} (voted ${m.mbal}/${m.mval})` };
              case '2a':
                return { from: 'proposer', label: `2a bal ${m.bal} val ${m.val}` };
              case '2b':
                return { from: m.acc!, label: `2b bal ${m.bal} val ${m.val}` };
            }
          },
        },
        showValue: (v: unknown) => {
          if (!(v instanceof Msg)) return undefined;
          const m = v as Msg;
          switch (m.type) {
            case '1a':
              return `1a{bal ${m.bal}}`;
            case '1b':
              return `1b{${m.acc}, bal ${m.bal}, mbal ${m.mbal}, mval ${m.mval}}`;
            case '2a':
              return `2a{bal ${m.bal}, val ${m.val}}`;
            case '2b':
              return `2b{${m.acc}, bal ${m.bal}, val ${m.val}}`;
          }
        },
      };
    },
  });
}
