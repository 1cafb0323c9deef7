// Atomic commitment under coordinator failure, as in Merz's TLA+ specifications ACP_SB, ACP_NB and
// ACP_NB_WRONG_TLC (tlaplus/Examples, specifications/acp; after Babaoğlu and Toueg), restated in
// ../shared/reference/acp.md. Messages are shared-variable reads and failure detection is "magic":
// a process sees directly that another one is dead.
//   sb        simple broadcast (2PC whose coordinator can crash): blocks, AC5 fails
//   nb        reliable broadcast, a participant forwards its pre-decision to all before deciding
//   nb-wrong  a participant decides on receipt, then forwards its decision: AC1 fails
//
// Successors are generated as TLC generates them, so "states generated" matches too: one per true
// disjunct and one per witness of an existential (makeDecision's abort branch yields one successor per
// no vote), and in NB and WRONG, whose next-state relation is "\E i, j : parDie(i) \/ parProgNB(i, j)",
// every participant action is taken once per ordered pair (i, j), so an action of i alone is
// generated once per j.
import { Map as IMap, Record, type RecordOf } from 'immutable';
import { constant } from '../../src/model/constants.js';
import { defineModel, type ActionDef, type Args } from '../../src/model/model.js';
import { always, eventually, leadsTo } from '../../src/model/properties.js';

export type Vote = 'yes' | 'no';
export type Decision = 'undecided' | 'commit' | 'abort';
/** What the coordinator has from a participant (its vote) or sent it; in WRONG a forward may hold `undecided`. */
export type CoordVote = 'waiting' | Vote;
export type Sent = 'notsent' | 'commit' | 'abort';
export type Forward = Sent | 'undecided';

export interface ParticipantFields {
  vote: Vote;
  alive: boolean;
  decision: Decision;
  faulty: boolean;
  voteSent: boolean;
}
/** ACP_SB's participant record. */
export const Participant = Record<ParticipantFields>({ vote: 'yes', alive: true, decision: 'undecided', faulty: false, voteSent: false }, 'Participant');
/** ACP_NB's participant record: forward[p] is the own pre-decision, forward[q] what was forwarded to q. */
export const ParticipantNB = Record<ParticipantFields & { forward: IMap<string, Forward> }>(
  { vote: 'yes', alive: true, decision: 'undecided', faulty: false, voteSent: false, forward: IMap() },
  'ParticipantNB',
);
/** Either record; the forward field is read through `fwd` in the NB variants only. */
export type ParticipantRec = RecordOf<ParticipantFields>;

export const Coordinator = Record<{
  request: IMap<string, boolean>;
  vote: IMap<string, CoordVote>;
  broadcast: IMap<string, Sent>;
  decision: Decision;
  alive: boolean;
  faulty: boolean;
}>({ request: IMap(), vote: IMap(), broadcast: IMap(), decision: 'undecided', alive: true, faulty: false }, 'Coordinator');
export type Coordinator = ReturnType<typeof Coordinator>;

export const AcpState = Record<{ participant: IMap<string, ParticipantRec>; coordinator: Coordinator }>(
  { participant: IMap(), coordinator: Coordinator() },
  'ACP',
);
export type AcpState = ReturnType<typeof AcpState>;

export type AcpVariant = 'sb' | 'nb' | 'nb-wrong';

type NB = ReturnType<typeof ParticipantNB>;

export function makeAcp(opts: { name: string; variant: AcpVariant; description: string }) {
  const { variant } = opts;
  const nb = variant !== 'sb';
  return defineModel({
    name: opts.name,
    description: opts.description,
    constants: { participants: constant.modelValues() },
    build({ participants }) {
      const P = participants;
      const par = (s: AcpState, i: string) => s.participant.get(i)!;
      const fwd = (s: AcpState, i: string) => (s.participant.get(i) as unknown as NB).forward;
      const setPar = (s: AcpState, i: string, p: ParticipantRec) => s.set('participant', s.participant.set(i, p));
      const setCoord = (s: AcpState, c: Coordinator) => s.set('coordinator', c);

      // Initial states: one per assignment of votes (2^N), everything else fixed.
      const init: AcpState[] = [];
      const coord0 = Coordinator({
        request: IMap(P.map((p) => [p, false] as const)),
        vote: IMap(P.map((p) => [p, 'waiting' as CoordVote] as const)),
        broadcast: IMap(P.map((p) => [p, 'notsent' as Sent] as const)),
      });
      const forward0 = IMap(P.map((p) => [p, 'notsent' as Forward] as const));
      const assign = (k: number, acc: [string, ParticipantRec][]): void => {
        if (k === P.length) {
          init.push(AcpState({ participant: IMap(acc), coordinator: coord0 }));
          return;
        }
        for (const vote of ['yes', 'no'] as const) {
          assign(k + 1, [...acc, [P[k]!, nb ? (ParticipantNB({ vote, forward: forward0 }) as unknown as ParticipantRec) : Participant({ vote })]]);
        }
      };
      assign(0, []);

      // ---- Coordinator actions (identical in the three variants); every guard needs the coordinator alive.
      const allRequested = (c: Coordinator) => P.every((j) => c.request.get(j));
      const coordinatorActions: { [name: string]: ActionDef<AcpState, any> } = {
        coordDie: {
          step: (s: AcpState) => (s.coordinator.alive ? setCoord(s, s.coordinator.set('alive', false).set('faulty', true)) : undefined),
        },
        makeDecision: {
          step: (s: AcpState) => {
            const c = s.coordinator;
            if (!c.alive || c.decision !== 'undecided' || !P.every((j) => c.vote.get(j) !== 'waiting')) return undefined;
            if (P.every((j) => c.vote.get(j) === 'yes')) return setCoord(s, c.set('decision', 'commit'));
            // \E j : vote[j] = no: one (identical) successor per witness, as TLC generates them.
            const t = setCoord(s, c.set('decision', 'abort'));
            return P.filter((j) => c.vote.get(j) === 'no').map(() => t);
          },
        },
        request: {
          params: { i: P },
          step: (s: AcpState, { i }: { i: string }) => {
            const c = s.coordinator;
            return c.alive && !c.request.get(i) ? setCoord(s, c.set('request', c.request.set(i, true))) : undefined;
          },
        },
        getVote: {
          params: { i: P },
          step: (s: AcpState, { i }: { i: string }) => {
            const c = s.coordinator;
            if (!c.alive || c.decision !== 'undecided' || !allRequested(c) || c.vote.get(i) !== 'waiting' || !par(s, i).voteSent) return undefined;
            return setCoord(s, c.set('vote', c.vote.set(i, par(s, i).vote)));
          },
        },
        detectFault: {
          params: { i: P },
          step: (s: AcpState, { i }: { i: string }) => {
            const c = s.coordinator;
            const p = par(s, i);
            if (!c.alive || c.decision !== 'undecided' || !allRequested(c) || c.vote.get(i) !== 'waiting' || p.alive || p.voteSent) return undefined;
            return setCoord(s, c.set('decision', 'abort'));
          },
        },
        coordBroadcast: {
          params: { i: P },
          step: (s: AcpState, { i }: { i: string }) => {
            const c = s.coordinator;
            if (!c.alive || c.decision === 'undecided' || c.broadcast.get(i) !== 'notsent') return undefined;
            return setCoord(s, c.set('broadcast', c.broadcast.set(i, c.decision)));
          },
        },
      };

      // ---- Participant actions, as functions of (state, i[, j]); every guard needs participant i alive.
      type Step = (s: AcpState, i: string, j: string) => AcpState | undefined;
      const parDie: Step = (s, i) => (par(s, i).alive ? setPar(s, i, par(s, i).set('alive', false).set('faulty', true)) : undefined);
      // No guard on voteSent: once sent, a stuttering step.
      const sendVote: Step = (s, i) => (par(s, i).alive && s.coordinator.request.get(i) ? setPar(s, i, par(s, i).set('voteSent', true)) : undefined);
      const abortOnVote: Step = (s, i) => {
        const p = par(s, i);
        return p.alive && p.decision === 'undecided' && p.voteSent && p.vote === 'no' ? setPar(s, i, p.set('decision', 'abort')) : undefined;
      };
      const abortOnTimeoutRequest: Step = (s, i) => {
        const p = par(s, i);
        const c = s.coordinator;
        return p.alive && p.decision === 'undecided' && !c.alive && !c.request.get(i) ? setPar(s, i, p.set('decision', 'abort')) : undefined;
      };
      const decide: Step = (s, i) => {
        const p = par(s, i);
        const b = s.coordinator.broadcast.get(i)!;
        return p.alive && p.decision === 'undecided' && b !== 'notsent' ? setPar(s, i, p.set('decision', b)) : undefined;
      };
      // NB: a participant first pre-decides (forward[i]), forwards to everyone, then decides.
      const setFwd = (s: AcpState, i: string, k: string, v: Forward) => {
        const p = par(s, i) as unknown as NB;
        return setPar(s, i, p.set('forward', p.forward.set(k, v)) as unknown as ParticipantRec);
      };
      const forwardNB: Step = (s, i, j) => {
        if (i === j || !par(s, i).alive) return undefined;
        const f = fwd(s, i);
        return f.get(i) !== 'notsent' && f.get(j) === 'notsent' ? setFwd(s, i, j, f.get(i)!) : undefined;
      };
      // No check that j is alive: what j forwarded before dying can still be received.
      const preDecideOnForward: Step = (s, i, j) => {
        if (i === j || !par(s, i).alive || fwd(s, i).get(i) !== 'notsent') return undefined;
        const v = fwd(s, j).get(i)!;
        return v !== 'notsent' ? setFwd(s, i, i, v) : undefined;
      };
      const preDecide: Step = (s, i) => {
        const b = s.coordinator.broadcast.get(i)!;
        return par(s, i).alive && fwd(s, i).get(i) === 'notsent' && b !== 'notsent' ? setFwd(s, i, i, b) : undefined;
      };
      // No guard on decision: once taken, a stuttering step.
      const decideNB: Step = (s, i) => {
        const f = fwd(s, i);
        return par(s, i).alive && P.every((j) => f.get(j) !== 'notsent') ? setPar(s, i, par(s, i).set('decision', f.get(i) as Decision)) : undefined;
      };
      const abortOnTimeout: Step = (s, i) => {
        const p = par(s, i);
        if (!p.alive || p.decision !== 'undecided' || s.coordinator.alive) return undefined;
        if (!P.every((j) => !par(s, j).alive || s.coordinator.broadcast.get(j) === 'notsent')) return undefined;
        if (!P.every((j) => par(s, j).alive || P.every((k) => !par(s, k).alive || fwd(s, j).get(k) === 'notsent'))) return undefined;
        return setPar(s, i, p.set('decision', 'abort'));
      };
      // WRONG: forward the current decision (never notsent, so possibly undecided), and decide on receipt.
      const forwardWrong: Step = (s, i, j) => {
        if (i === j || !par(s, i).alive) return undefined;
        return fwd(s, i).get(j) === 'notsent' ? setFwd(s, i, j, par(s, i).decision) : undefined;
      };
      const decideOnForward: Step = (s, i, j) => {
        if (i === j || !par(s, i).alive || par(s, i).decision !== 'undecided') return undefined;
        const v = fwd(s, j).get(i)!;
        return v !== 'notsent' ? setPar(s, i, par(s, i).set('decision', v as Decision)) : undefined;
      };

      const participantSteps: [string, Step, 'i' | 'ij'][] =
        variant === 'sb'
          ? [
              ['parDie', parDie, 'i'],
              ['sendVote', sendVote, 'i'],
              ['abortOnVote', abortOnVote, 'i'],
              ['abortOnTimeoutRequest', abortOnTimeoutRequest, 'i'],
              ['decide', decide, 'i'],
            ]
          : variant === 'nb'
            ? [
                ['parDie', parDie, 'i'],
                ['sendVote', sendVote, 'i'],
                ['abortOnVote', abortOnVote, 'i'],
                ['abortOnTimeoutRequest', abortOnTimeoutRequest, 'i'],
                ['forward', forwardNB, 'ij'],
                ['preDecideOnForward', preDecideOnForward, 'ij'],
                ['abortOnTimeout', abortOnTimeout, 'i'],
                ['preDecide', preDecide, 'i'],
                ['decideNB', decideNB, 'i'],
              ]
            : [
                ['parDie', parDie, 'i'],
                ['sendVote', sendVote, 'i'],
                ['abortOnVote', abortOnVote, 'i'],
                ['abortOnTimeoutRequest', abortOnTimeoutRequest, 'i'],
                ['decide', decide, 'i'],
                ['forward', forwardWrong, 'ij'],
                ['decideOnForward', decideOnForward, 'ij'],
                ['abortOnTimeout', abortOnTimeout, 'i'],
              ];
      const participantActions: { [name: string]: ActionDef<AcpState, any> } = {};
      for (const [name, step, arity] of participantSteps) {
        if (!nb) {
          participantActions[name] = { params: { i: P }, step: (s: AcpState, { i }: { i: string }) => step(s, i, i) };
        } else {
          // Every action runs for each ordered pair (i, j); an action of i alone shows as name(i).
          participantActions[name] = {
            params: { i: P, j: P },
            step: (s: AcpState, { i, j }: { i: string; j: string }) => step(s, i, j),
            format: arity === 'i' ? ({ i }: Args) => `${name}(${String(i)})` : ({ i, j }: Args) => `${name}(${String(i)}, ${String(j)})`,
          };
        }
      }

      const decided = (s: AcpState, i: string) => par(s, i).decision !== 'undecided';
      const someDecided = (s: AcpState, d: Decision) => P.some((i) => par(s, i).decision === d);
      const someVoteNo = (s: AcpState) => P.some((j) => par(s, j).vote === 'no');
      const someFaulty = (s: AcpState) => P.some((j) => par(s, j).faulty);
      const forwardValues: readonly Forward[] = variant === 'nb-wrong' ? ['notsent', 'commit', 'abort', 'undecided'] : ['notsent', 'commit', 'abort'];
      const typeOK = (s: AcpState) => {
        const c = s.coordinator;
        const fn = <V>(m: IMap<string, V>, ok: (v: V) => boolean) => m.size === P.length && P.every((p) => m.has(p) && ok(m.get(p)!));
        return (
          fn(s.participant, (p) =>
            (p.vote === 'yes' || p.vote === 'no') &&
            typeof p.alive === 'boolean' &&
            ['undecided', 'commit', 'abort'].includes(p.decision) &&
            typeof p.faulty === 'boolean' &&
            typeof p.voteSent === 'boolean' &&
            (!nb || fn((p as unknown as NB).forward, (v) => forwardValues.includes(v))),
          ) &&
          fn(c.request, (v) => typeof v === 'boolean') &&
          fn(c.vote, (v) => ['waiting', 'yes', 'no'].includes(v)) &&
          fn(c.broadcast, (v) => ['commit', 'abort', 'notsent'].includes(v)) &&
          ['commit', 'abort', 'undecided'].includes(c.decision) &&
          typeof c.alive === 'boolean' &&
          typeof c.faulty === 'boolean'
        );
      };

      return {
        init,
        actions: { ...participantActions, ...coordinatorActions },
        invariants: {
          TypeInv: typeOK,
          /** No participant has decided commit while another has decided abort. */
          AC1: (s: AcpState) => !(someDecided(s, 'commit') && someDecided(s, 'abort')),
          /** A commit decision means every participant voted yes. */
          AC2: (s: AcpState) => !someDecided(s, 'commit') || P.every((j) => par(s, j).vote === 'yes'),
          /** An abort decision means some vote is no, or some process is faulty. */
          AC3_1: (s: AcpState) => !someDecided(s, 'abort') || someVoteNo(s) || someFaulty(s) || s.coordinator.faulty,
          StrongerAC2: (s: AcpState) => !someDecided(s, 'commit') || (P.every((j) => par(s, j).vote === 'yes') && s.coordinator.decision === 'commit'),
          /** ACP_SB's: fails in NB, where a survivor may abort after a commit decision it never received. */
          StrongerAC3_1: (s: AcpState) =>
            !someDecided(s, 'abort') ||
            someVoteNo(s) ||
            (someFaulty(s) && s.coordinator.decision === 'abort') ||
            (s.coordinator.faulty && s.coordinator.decision === 'undecided'),
          NoRecovery: (s: AcpState) => P.every((i) => par(s, i).alive === !par(s, i).faulty) && s.coordinator.alive === !s.coordinator.faulty,
          /** Marked invalid in the source ("to check that TLC does its job"): a crash also leads to abort. */
          AbortImpliesNoVote: (s: AcpState) => !someDecided(s, 'abort') || someVoteNo(s),
        },
        properties: {
          /** [][a participant's commit or abort decision stays]_participant. */
          AC4_alt: always.step((s: AcpState, t: AcpState) =>
            P.every((i) => {
              const d = par(s, i).decision;
              return d === 'undecided' || par(t, i).decision === d;
            }),
          ),
          FaultyStable: always.step((s: AcpState, t: AcpState) => P.every((i) => !par(s, i).faulty || par(t, i).faulty) && (!s.coordinator.faulty || t.coordinator.faulty)),
          VoteStable: always.step((s: AcpState, t: AcpState) => P.every((i) => par(s, i).vote === par(t, i).vote)),
          /** Eventually every participant has decided, or some process is faulty. */
          AC3_2: eventually((s: AcpState) => P.every((i) => decided(s, i)) || someFaulty(s) || s.coordinator.faulty),
          /** Eventually every participant has decided or is faulty: the non-blocking property. */
          AC5: eventually((s: AcpState) => P.every((i) => decided(s, i) || par(s, i).faulty)),
          /** Marked invalid in the source. */
          DecisionReachedNoFault: leadsTo(
            (s: AcpState) => P.every((i) => par(s, i).alive),
            (s: AcpState) => P.every((k) => decided(s, k)),
          ),
        },
        records: [AcpState, Coordinator, nb ? ParticipantNB : Participant],
        nodeView: {
          nodes: ['coordinator', ...P],
          view: (s: AcpState, n: string) => {
            if (n === 'coordinator') {
              const c = s.coordinator;
              return { alive: c.alive, decision: c.decision, request: c.request, vote: c.vote, broadcast: c.broadcast };
            }
            const p = par(s, n);
            const base = { alive: p.alive, vote: p.vote, voteSent: p.voteSent, decision: p.decision };
            return nb ? { ...base, forward: (p as unknown as NB).forward } : base;
          },
        },
        messageView: {
          // The shared variables stand for messages: a request, a vote sent, a broadcast, a forward.
          messages: (s: AcpState) => acpMessages(s, P, nb),
          describe: (raw: unknown) => {
            const m = raw as AcpMessage;
            return { from: m.from, to: m.to, label: m.label };
          },
        },
      };
    },
  });
}

export const AcpMessage = Record<{ from: string; to: string; label: string }>({ from: '', to: '', label: '' }, 'AcpMessage');
export type AcpMessage = ReturnType<typeof AcpMessage>;

/** The messages the shared variables stand for, for the message-sequence chart. */
function acpMessages(s: AcpState, P: readonly string[], nb: boolean): AcpMessage[] {
  const out: AcpMessage[] = [];
  const c = s.coordinator;
  for (const p of P) {
    const q = s.participant.get(p)!;
    if (c.request.get(p)) out.push(AcpMessage({ from: 'coordinator', to: p, label: 'request' }));
    if (q.voteSent) out.push(AcpMessage({ from: p, to: 'coordinator', label: `vote ${q.vote}` }));
    const b = c.broadcast.get(p)!;
    if (b !== 'notsent') out.push(AcpMessage({ from: 'coordinator', to: p, label: b }));
    if (nb) {
      const f = (q as unknown as NB).forward;
      for (const r of P) {
        const v = f.get(r)!;
        if (r !== p && v !== 'notsent') out.push(AcpMessage({ from: p, to: r, label: `forward ${v}` }));
      }
    }
  }
  return out;
}
