// The AP side of CAP, from our design notes: every replica answers from its own copy at once and
// spreads writes in the background, merging by last-writer-wins on (clock, replica Id). Always
// available, even under partition, and so not linearizable: a client can read, from another replica,
// a value older than its own completed write.
import { Record } from 'immutable';
import { constant } from '../src/model/constants.js';
import { defineModel } from '../src/model/model.js';
import { eventually } from '../src/model/properties.js';
import {
  actorConstants,
  actorModel,
  actorOptions,
  clientsDone,
  Get,
  GetOk,
  linearizabilityTester,
  linearizableRegister,
  NO_VALUE,
  Put,
  PutOk,
  REGISTER_RECORDS,
  registerClient,
  registerHistory,
  registerHistoryView,
  sequentiallyConsistentRegister,
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
  constants: { Servers: constant.int({ min: 1 }), Clients: constant.int({ min: 1 }), ...actorConstants() },
  build(k) {
    const S = k.Servers;
    const servers = Array.from({ length: S }, (_, i) => i);
    const actors = [...servers.map((i) => lwwReplica(servers.filter((j) => j !== i))), ...Array.from({ length: k.Clients }, () => registerClient(1, S))];
    return actorModel({
      actors,
      names: actors.map((_, i) => (i < S ? `s${i}` : `c${i}`)),
      ...actorOptions(k, servers),
      history: registerHistory(linearizabilityTester()),
      historyView: registerHistoryView,
      records: [...REGISTER_RECORDS, Seq, Replica, Gossip],
      invariants: { Linearizable: linearizableRegister, SequentiallyConsistent: sequentiallyConsistentRegister },
      properties: { OperationsComplete: eventually(clientsDone(S)) },
      showValue: (v) =>
        v instanceof Gossip ? `Gossip((${v.seq.clock}, ${v.seq.id}), '${v.val === NO_VALUE ? '\\0' : v.val}')` : v instanceof Seq ? `(${v.clock}, ${v.id})` : showRegisterValue(v),
    });
  },
});
