// Stateright's actor Paxos (examples/paxos.rs): single-decree Paxos behind a register interface. A server
// that gets a Put proposes it with a higher ballot, drives it through prepare/accept at a majority, and
// once decided answers Gets with the decided value. Restated in shared/reference/actor-model.md §12.3.
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
import { majority } from './abd-register.js';

/** A ballot: (round, server Id), ordered lexicographically. */
export const Ballot = Record<{ round: number; id: Id }>({ round: 0, id: 0 }, 'Ballot');
export type Ballot = ReturnType<typeof Ballot>;
/** What a server proposes: the client's request, the client, the value. */
export const Proposal = Record<{ req: number; requester: Id; value: string }>({ req: 0, requester: 0, value: NO_VALUE }, 'Proposal');
export type Proposal = ReturnType<typeof Proposal>;
/** An accepted proposal with its ballot. */
export const Accepted = Record<{ ballot: Ballot; proposal: Proposal }>({ ballot: Ballot(), proposal: Proposal() }, 'AcceptedValue');
export type Accepted = ReturnType<typeof Accepted>;

export const Prepare = Record<{ ballot: Ballot }>({ ballot: Ballot() }, 'Prepare');
export const Prepared = Record<{ ballot: Ballot; last: Accepted | null }>({ ballot: Ballot(), last: null }, 'Prepared');
export const Accept = Record<{ ballot: Ballot; proposal: Proposal }>({ ballot: Ballot(), proposal: Proposal() }, 'Accept');
export const AcceptedMsg = Record<{ ballot: Ballot }>({ ballot: Ballot() }, 'Accepted');
export const Decided = Record<{ ballot: Ballot; proposal: Proposal }>({ ballot: Ballot(), proposal: Proposal() }, 'Decided');

export const PaxosServer = Record<{
  ballot: Ballot;
  proposal: Proposal | null;
  prepares: IMap<Id, Accepted | null>;
  accepts: ISet<Id>;
  accepted: Accepted | null;
  decided: boolean;
}>({ ballot: Ballot(), proposal: null, prepares: IMap(), accepts: ISet(), accepted: null, decided: false }, 'PaxosServer');
export type PaxosServer = ReturnType<typeof PaxosServer>;

const cmpBallot = (a: Ballot, b: Ballot) => (a.round !== b.round ? a.round - b.round : a.id - b.id);
const cmpProposal = (a: Proposal, b: Proposal) => (a.req !== b.req ? a.req - b.req : a.requester !== b.requester ? a.requester - b.requester : a.value < b.value ? -1 : a.value > b.value ? 1 : 0);
/** Rust's order on Option<(ballot, proposal)>: None < Some, then lexicographic. */
const cmpLast = (a: Accepted | null, b: Accepted | null) =>
  a === null ? (b === null ? 0 : -1) : b === null ? 1 : cmpBallot(a.ballot, b.ballot) || cmpProposal(a.proposal, b.proposal);

export function paxosServer(peers: readonly Id[], quorum: number): Actor<PaxosServer> {
  return {
    onStart: () => PaxosServer(),
    onMsg(id: Id, s: PaxosServer, src: Id, msg: unknown, out: Out) {
      if (s.decided) {
        if (msg instanceof Get) out.send(src, GetOk({ req: msg.req, value: s.accepted ? s.accepted.proposal.value : NO_VALUE }));
        return undefined;
      }
      if (msg instanceof Put) {
        if (s.proposal !== null) return undefined;
        const ballot = Ballot({ round: s.ballot.round + 1, id });
        out.broadcast(peers, Prepare({ ballot }));
        return s.merge({ proposal: Proposal({ req: msg.req, requester: src, value: msg.value }), prepares: IMap([[id, s.accepted]]), accepts: ISet(), ballot });
      }
      if (msg instanceof Prepare) {
        if (!(cmpBallot(s.ballot, msg.ballot) < 0)) return undefined;
        out.send(src, Prepared({ ballot: msg.ballot, last: s.accepted }));
        return s.set('ballot', msg.ballot);
      }
      if (msg instanceof Prepared) {
        if (cmpBallot(msg.ballot, s.ballot) !== 0) return undefined;
        const prepares = s.prepares.set(src, msg.last);
        let next = s.set('prepares', prepares);
        if (prepares.size === quorum) {
          let best: Accepted | null = null;
          prepares.forEach((la) => {
            if (cmpLast(la, best) > 0) best = la;
          });
          const proposal = (best as Accepted | null)?.proposal ?? s.proposal!;
          next = next.merge({ proposal, accepted: Accepted({ ballot: msg.ballot, proposal }), accepts: next.accepts.add(id) });
          out.broadcast(peers, Accept({ ballot: msg.ballot, proposal }));
        }
        return next;
      }
      if (msg instanceof Accept) {
        if (!(cmpBallot(s.ballot, msg.ballot) <= 0)) return undefined;
        out.send(src, AcceptedMsg({ ballot: msg.ballot }));
        return s.merge({ ballot: msg.ballot, accepted: Accepted({ ballot: msg.ballot, proposal: msg.proposal }) });
      }
      if (msg instanceof AcceptedMsg) {
        if (cmpBallot(msg.ballot, s.ballot) !== 0) return undefined;
        const accepts = s.accepts.add(src);
        let next = s.set('accepts', accepts);
        if (accepts.size === quorum) {
          next = next.set('decided', true);
          const proposal = s.proposal!;
          out.broadcast(peers, Decided({ ballot: msg.ballot, proposal }));
          out.send(proposal.requester, PutOk({ req: proposal.req }));
        }
        return next;
      }
      if (msg instanceof Decided) {
        return s.merge({ ballot: msg.ballot, accepted: Accepted({ ballot: msg.ballot, proposal: msg.proposal }), decided: true });
      }
      return undefined;
    },
  };
}

export const PAXOS_RECORDS = [Ballot, Proposal, Accepted, Prepare, Prepared, Accept, AcceptedMsg, Decided, PaxosServer];

function showPaxosValue(v: unknown): string | undefined {
  const b = (x: Ballot) => `(${x.round}, ${x.id})`;
  const p = (x: Proposal) => `(${x.req}, ${x.requester}, '${x.value}')`;
  if (v instanceof Ballot) return b(v);
  if (v instanceof Proposal) return p(v);
  if (v instanceof Accepted) return `(${b(v.ballot)}, ${p(v.proposal)})`;
  if (v instanceof Prepare) return `Prepare${b(v.ballot)}`;
  if (v instanceof Prepared) return `Prepared(${b(v.ballot)}, ${v.last ? showPaxosValue(v.last) : 'none'})`;
  if (v instanceof Accept) return `Accept(${b(v.ballot)}, ${p(v.proposal)})`;
  if (v instanceof AcceptedMsg) return `Accepted${b(v.ballot)}`;
  if (v instanceof Decided) return `Decided(${b(v.ballot)}, ${p(v.proposal)})`;
  return showRegisterValue(v);
}

export default defineModel({
  name: 'actor-paxos',
  description: "Stateright's actor Paxos with its register clients and linearizability tester",
  constants: registerConstants(),
  build: (k) => registerSystem(k, { server: (_id, peers) => paxosServer(peers, majority(k.Servers)), records: PAXOS_RECORDS, showValue: showPaxosValue }),
});
