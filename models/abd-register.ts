// Stateright's linearizable register (examples/linearizable-register.rs): Attiya, Bar-Noy and Dolev's
// algorithm. A server answers a client in two phases over a majority quorum: query the peers for their
// (sequence number, value), then record the chosen pair at a quorum, then reply. Restated in
// shared/reference/actor-model.md §12.2.
import { Map as IMap, Record, Set as ISet } from 'immutable';
import { defineModel } from '../src/model/model.js';
import {
  Get,
  GetOk,
  NO_VALUE,
  Put,
  PutOk,
  registerConstants,
  registerSystem,
  showRegisterValue,
  type Actor,
  type Id,
  type Out,
} from '../src/actor/index.js';

/** A sequence number: (clock, server Id), ordered lexicographically. */
export const Seq = Record<{ clock: number; id: Id }>({ clock: 0, id: 0 }, 'AbdSeq');
export type Seq = ReturnType<typeof Seq>;
const seqGt = (a: Seq, b: Seq) => a.clock > b.clock || (a.clock === b.clock && a.id > b.id);

export const Response = Record<{ seq: Seq; val: string }>({ seq: Seq(), val: NO_VALUE }, 'AbdResponse');
export type Response = ReturnType<typeof Response>;

export const Query = Record<{ req: number }>({ req: 0 }, 'Query');
export const AckQuery = Record<{ req: number; seq: Seq; val: string }>({ req: 0, seq: Seq(), val: NO_VALUE }, 'AckQuery');
export const Replicate = Record<{ req: number; seq: Seq; val: string }>({ req: 0, seq: Seq(), val: NO_VALUE }, 'Record');
export const AckRecord = Record<{ req: number }>({ req: 0 }, 'AckRecord');

export const Phase1 = Record<{ req: number; requester: Id; write: string | null; responses: IMap<Id, Response> }>(
  { req: 0, requester: 0, write: null, responses: IMap() },
  'Phase1',
);
export const Phase2 = Record<{ req: number; requester: Id; read: string | null; acks: ISet<Id> }>({ req: 0, requester: 0, read: null, acks: ISet() }, 'Phase2');
export type Phase1 = ReturnType<typeof Phase1>;
export type Phase2 = ReturnType<typeof Phase2>;

export const AbdServer = Record<{ seq: Seq; val: string; phase: Phase1 | Phase2 | null }>({ seq: Seq(), val: NO_VALUE, phase: null }, 'AbdServer');
export type AbdServer = ReturnType<typeof AbdServer>;

export function abdServer(peers: readonly Id[], quorum: number): Actor<AbdServer> {
  return {
    onStart: (id) => AbdServer({ seq: Seq({ clock: 0, id }), val: NO_VALUE, phase: null }),
    onMsg(id: Id, s: AbdServer, src: Id, msg: unknown, out: Out) {
      if ((msg instanceof Put || msg instanceof Get) && s.phase === null) {
        out.broadcast(peers, Query({ req: msg.req }));
        return s.set(
          'phase',
          Phase1({ req: msg.req, requester: src, write: msg instanceof Put ? msg.value : null, responses: IMap([[id, Response({ seq: s.seq, val: s.val })]]) }),
        );
      }
      if (msg instanceof Query) {
        out.send(src, AckQuery({ req: msg.req, seq: s.seq, val: s.val }));
        return undefined;
      }
      if (msg instanceof AckQuery && s.phase instanceof Phase1 && s.phase.req === msg.req) {
        const p1 = s.phase;
        const responses = p1.responses.set(src, Response({ seq: msg.seq, val: msg.val }));
        if (responses.size !== quorum) return s.set('phase', p1.set('responses', responses));
        let best: Response | undefined;
        responses.forEach((r) => {
          if (best === undefined || seqGt(r.seq, best.seq)) best = r;
        });
        let seq = best!.seq, val = best!.val, read: string | null = null;
        if (p1.write !== null) {
          seq = Seq({ clock: seq.clock + 1, id });
          val = p1.write;
        } else read = val;
        out.broadcast(peers, Replicate({ req: p1.req, seq, val }));
        let next = s;
        if (seqGt(seq, s.seq)) next = next.set('seq', seq).set('val', val);
        return next.set('phase', Phase2({ req: p1.req, requester: p1.requester, read, acks: ISet([id]) }));
      }
      if (msg instanceof Replicate) {
        out.send(src, AckRecord({ req: msg.req }));
        return seqGt(msg.seq, s.seq) ? s.set('seq', msg.seq).set('val', msg.val) : undefined;
      }
      if (msg instanceof AckRecord && s.phase instanceof Phase2 && s.phase.req === msg.req && !s.phase.acks.has(src)) {
        const p2 = s.phase;
        const acks = p2.acks.add(src);
        if (acks.size !== quorum) return s.set('phase', p2.set('acks', acks));
        out.send(p2.requester, p2.read !== null ? GetOk({ req: p2.req, value: p2.read }) : PutOk({ req: p2.req }));
        return s.set('phase', null);
      }
      return undefined;
    },
  };
}

export const ABD_RECORDS = [Seq, Response, Query, AckQuery, Replicate, AckRecord, Phase1, Phase2, AbdServer];

export function showAbdValue(v: unknown): string | undefined {
  const seq = (q: Seq) => `(${q.clock}, ${q.id})`;
  if (v instanceof Seq) return seq(v);
  if (v instanceof Query) return `Query(${v.req})`;
  if (v instanceof AckQuery) return `AckQuery(${v.req}, ${seq(v.seq)}, '${v.val === NO_VALUE ? '\\0' : v.val}')`;
  if (v instanceof Replicate) return `Record(${v.req}, ${seq(v.seq)}, '${v.val === NO_VALUE ? '\\0' : v.val}')`;
  if (v instanceof AckRecord) return `AckRecord(${v.req})`;
  return showRegisterValue(v);
}

/** A majority of n: Stateright's majority(n) = n/2 + 1. */
export const majority = (n: number) => Math.floor(n / 2) + 1;

export default defineModel({
  name: 'abd-register',
  description: "Stateright's linearizable register (ABD) with its register clients and linearizability tester",
  constants: registerConstants(),
  build: (k) => registerSystem(k, { server: (_id, peers) => abdServer(peers, majority(k.Servers)), records: ABD_RECORDS, showValue: showAbdValue }),
});
