// Textbook three-phase commit (Skeen 1981; the termination protocol of Bernstein, Hadzilacos and
// Goodman, ch. 7) on the actor layer. Actor 0 is the coordinator, actors 1..N the participants.
//   CanCommit → votes → PreCommit → acks → DoCommit. A No vote or a vote timeout aborts; an ack timeout
//   commits (the failed participant learns the outcome when it recovers).
//   A participant that has not voted aborts when its coordinator fails. One that has voted runs the
//   termination protocol if it is the backup (the lowest-numbered participant not known to have failed):
//   it asks the others' states; any aborted → abort; any committed → commit; any prepared → PreCommit to
//   the uncertain ones, then commit after their acks; all uncertain → abort.
// Timeouts are guarded by the perfect failure detector (src/actor/failure-detector.ts): a timeout
// waiting on a peer fires only when the detector suspects it. With crashes only that is accurate and 3PC
// is atomic; a partition makes the detector suspect live nodes, and each side terminates on its own.
// A restarted node keeps its durable phase and stays passive (it takes part in no further round), only
// adopting a DoCommit or Abort it receives: the recovery protocol's outcome, without its messages.
import { Map as IMap, Record, Set as ISet } from 'immutable';
import { constant } from '../src/model/constants.js';
import { defineModel } from '../src/model/model.js';
import { actorConstants, actorModel, actorOptions, suspects, type Actor, type ActorState, type Id, type Out } from '../src/actor/index.js';

export type Phase = 'init' | 'uncertain' | 'prepared' | 'committed' | 'aborted';
/** A coordinator or backup's round: collecting votes or states, or waiting for PreCommit acks. */
export type Round = 'none' | 'votes' | 'states' | 'acks';

export const Node3pc = Record<{ phase: Phase; round: Round; answered: ISet<Id>; states: IMap<Id, Phase>; recovered: boolean }>(
  { phase: 'init', round: 'none', answered: ISet(), states: IMap(), recovered: false },
  'Node3pc',
);
export type Node3pc = ReturnType<typeof Node3pc>;

export const CanCommit = Record({}, 'CanCommit');
export const Vote = Record<{ yes: boolean }>({ yes: true }, 'Vote');
export const PreCommit = Record({}, 'PreCommit');
export const Ack = Record({}, 'Ack');
export const DoCommit = Record({}, 'DoCommit');
export const Abort = Record({}, 'Abort');
export const StateReq = Record({}, 'StateReq');
export const StateReply = Record<{ phase: Phase }>({ phase: 'init' }, 'StateReply');

/** Timers: a vote choice, waiting on the coordinator, and a round's wait for answers. */
export type Timer3pc = 'vote-yes' | 'vote-no' | 'coordinator' | 'round';

const COORDINATOR = 0;
const decided = (p: Phase) => p === 'committed' || p === 'aborted';

function threePhaseActors(n: number): Actor<Node3pc>[] {
  const participants = Array.from({ length: n }, (_, i) => i + 1);
  const peersOf = (me: Id) => participants.filter((p) => p !== me);

  const decide = (me: Id, s: Node3pc, phase: 'committed' | 'aborted', out: Out): Node3pc => {
    out.broadcast(me === COORDINATOR ? participants : peersOf(me), phase === 'committed' ? DoCommit() : Abort());
    return setPhase(s, phase, out).merge({ round: 'none', answered: ISet() });
  };
  const setPhase = (s: Node3pc, phase: Phase, out: Out): Node3pc => {
    out.save(phase);
    if (decided(phase)) for (const t of ['vote-yes', 'vote-no', 'coordinator', 'round'] as const) out.cancelTimer(t);
    return s.set('phase', phase);
  };
  // The termination protocol's decision, from the states gathered (the backup's own included).
  const terminate = (me: Id, s0: Node3pc, out: Out): Node3pc => {
    const s = s0.set('states', s0.states.set(me, s0.phase)); // its own phase now (a PreCommit may have come since)
    const states = [...s.states.values()];
    if (states.includes('aborted')) return decide(me, s, 'aborted', out);
    if (states.includes('committed')) return decide(me, s, 'committed', out);
    if (states.includes('prepared')) {
      const uncertain = [...s.states.filter((p, id) => p !== 'prepared' && id !== me).keys()];
      if (uncertain.length === 0) return decide(me, s, 'committed', out);
      out.broadcast(uncertain, PreCommit());
      out.setTimer('round');
      return setPhase(s, 'prepared', out).merge({ round: 'acks', answered: ISet(s.states.filter((p) => p === 'prepared').keys()) });
    }
    return decide(me, s, 'aborted', out);
  };
  // Who a round waits on: all participants (the coordinator's rounds) or the other participants (a backup's).
  const awaited = (me: Id, s: Node3pc) =>
    me === COORDINATOR ? participants : s.round === 'acks' ? [...s.states.filter((p) => p !== 'prepared').keys()].filter((p) => p !== me) : peersOf(me);
  const allAnswered = (me: Id, s: Node3pc) => awaited(me, s).every((p) => s.answered.has(p));

  const actor = (me: Id): Actor<Node3pc> => ({
    onStart(id, out, storage) {
      if (storage !== undefined) return Node3pc({ phase: storage as unknown as Phase, recovered: true });
      if (id === COORDINATOR) {
        out.broadcast(participants, CanCommit());
        out.setTimer('round');
        out.save('uncertain');
        return Node3pc({ phase: 'uncertain', round: 'votes' });
      }
      out.setTimer('coordinator');
      out.save('init');
      return Node3pc();
    },
    onMsg(id, s, src, msg, out) {
      if (msg instanceof DoCommit) return decided(s.phase) ? undefined : setPhase(s, 'committed', out).merge({ round: 'none' });
      if (msg instanceof Abort) return decided(s.phase) ? undefined : setPhase(s, 'aborted', out).merge({ round: 'none' });
      if (s.recovered) return undefined;
      if (msg instanceof CanCommit && s.phase === 'init') {
        out.setTimer('vote-yes');
        out.setTimer('vote-no');
        return s;
      }
      if (msg instanceof PreCommit && (s.phase === 'uncertain' || s.phase === 'prepared')) {
        out.send(src, Ack());
        return s.phase === 'prepared' ? undefined : setPhase(s, 'prepared', out);
      }
      if (msg instanceof StateReq) {
        out.send(src, StateReply({ phase: s.phase }));
        return undefined;
      }
      if (msg instanceof Vote && s.round === 'votes') {
        if (!msg.yes) return decide(id, s, 'aborted', out);
        const next = s.set('answered', s.answered.add(src));
        if (!allAnswered(id, next)) return next;
        out.broadcast(participants, PreCommit());
        return setPhase(next, 'prepared', out).merge({ round: 'acks', answered: ISet() });
      }
      if (msg instanceof StateReply && s.round === 'states') {
        const next = s.merge({ answered: s.answered.add(src), states: s.states.set(src, msg.phase) });
        return allAnswered(id, next) ? terminate(id, next, out) : next;
      }
      if (msg instanceof Ack && s.round === 'acks') {
        const next = s.set('answered', s.answered.add(src));
        return allAnswered(id, next) ? decide(id, next, 'committed', out) : next;
      }
      return undefined;
    },
    onTimeout(id, s, timer, out) {
      if (s.recovered) return undefined;
      if (timer === 'vote-yes' || timer === 'vote-no') {
        out.cancelTimer(timer === 'vote-yes' ? 'vote-no' : 'vote-yes');
        if (s.phase !== 'init') return undefined;
        out.send(COORDINATOR, Vote({ yes: timer === 'vote-yes' }));
        return setPhase(s, timer === 'vote-yes' ? 'uncertain' : 'aborted', out);
      }
      if (timer === 'coordinator') {
        if (decided(s.phase)) return undefined;
        if (s.phase === 'init') {
          out.cancelTimer('vote-yes');
          out.cancelTimer('vote-no');
          return setPhase(s, 'aborted', out);
        }
        // The backup: ask the other participants' states.
        out.broadcast(peersOf(id), StateReq());
        out.setTimer('round');
        const next = s.merge({ round: 'states', answered: ISet(), states: IMap([[id, s.phase]]) });
        return allAnswered(id, next) ? terminate(id, next, out) : next;
      }
      // 'round': every peer still awaited has failed.
      if (s.round === 'votes') return decide(id, s, 'aborted', out);
      if (s.round === 'states') return terminate(id, s, out);
      if (s.round === 'acks') return decide(id, s, 'committed', out);
      return undefined;
    },
    timerEnabled(id, s, timer, sys: ActorState) {
      if (s.recovered || decided(s.phase)) return false;
      if (timer === 'coordinator') {
        // The coordinator has failed, and (once voted) every lower-numbered participant too: this one is the backup.
        if (!suspects(sys, id, COORDINATOR)) return false;
        return s.phase === 'init' || participants.every((p) => p >= id || suspects(sys, id, p));
      }
      if (timer === 'round') {
        const missing = awaited(id, s).filter((p) => !s.answered.has(p));
        return missing.length > 0 && missing.every((p) => suspects(sys, id, p));
      }
      return true;
    },
  });
  return Array.from({ length: n + 1 }, (_, i) => actor(i));
}

/** Atomicity: no node has committed while another has aborted. */
export const atomicity = (s: ActorState) => {
  const phases = s.actors.map((a) => (a as Node3pc).phase);
  return !(phases.includes('committed') && phases.includes('aborted'));
};

export default defineModel({
  name: 'three-phase-commit',
  description: 'Textbook three-phase commit with the termination protocol, timeouts guarded by a perfect failure detector',
  constants: { Participants: constant.int({ min: 1 }), ...actorConstants() },
  build(k) {
    const actors = threePhaseActors(k.Participants);
    return actorModel({
      actors,
      names: actors.map((_, i) => (i === COORDINATOR ? 'c' : `p${i}`)),
      ...actorOptions(k),
      records: [Node3pc, CanCommit, Vote, PreCommit, Ack, DoCommit, Abort, StateReq, StateReply],
      invariants: { Atomicity: atomicity },
      showValue: (v) =>
        v instanceof Vote ? (v.yes ? 'Yes' : 'No')
        : v instanceof StateReply ? `State(${v.phase})`
        : ([[CanCommit, 'CanCommit'], [PreCommit, 'PreCommit'], [Ack, 'Ack'], [DoCommit, 'DoCommit'], [Abort, 'Abort'], [StateReq, 'StateReq']] as const).find(([f]) => v instanceof f)?.[1],
    });
  },
});
