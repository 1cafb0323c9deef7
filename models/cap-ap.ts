// The AP side of CAP, from our design notes: every replica answers from its own copy at once and
// spreads writes in the background, merging by last-writer-wins on (clock, replica Id). Always
// available, even under partition, and so not linearizable: a client can read, from another replica,
// a value older than its own completed write.
import { Record } from 'immutable';
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
import { Seq } from './abd-register.js';

const seqGt = (a: Seq, b: Seq) => a.clock > b.clock || (a.clock === b.clock && a.id > b.id);

export const Replica = Record<{ seq: Seq; val: string }>({ seq: Seq(), val: NO_VALUE }, 'LwwReplica');
export type Replica = ReturnType<typeof Replica>;
/** A write spreading to the other replicas. */
export const Gossip = Record<{ seq: Seq; val: string }>({ seq: Seq(), val: NO_VALUE }, 'Gossip');

export function lwwReplica(peers: readonly Id[]): Actor<Replica> {
  return {
    onStart: (id) => Replica({ seq: Seq({ clock: 0, id }), val: NO_VALUE }),
    onMsg(id: Id, s: Replica, src: Id, msg: unknown, out: Out) {
      if (msg instanceof Put) {
        const seq = Seq({ clock: s.seq.clock + 1, id });
        out.send(src, PutOk({ req: msg.req }));
        out.broadcast(peers, Gossip({ seq, val: msg.value }));
        return Replica({ seq, val: msg.value });
      }
      if (msg instanceof Get) {
        out.send(src, GetOk({ req: msg.req, value: s.val }));
        return undefined;
      }
      if (msg instanceof Gossip) return seqGt(msg.seq, s.seq) ? Replica({ seq: msg.seq, val: msg.val }) : undefined;
      return undefined;
    },
  };
}

export default defineModel({
  name: 'cap-ap',
  description: 'An always-available register: replicas answer from their own copy, last-writer-wins merge',
  constants: registerConstants(),
  build: (k) =>
    registerSystem(k, {
      server: (_id, peers) => lwwReplica(peers),
      records: [Seq, Replica, Gossip],
      valueChosen: false,
      showValue: (v) =>
        v instanceof Gossip ? `Gossip((${v.seq.clock}, ${v.seq.id}), '${v.val === NO_VALUE ? '\\0' : v.val}')` : v instanceof Seq ? `(${v.clock}, ${v.id})` : showRegisterValue(v),
    }),
});
