// ACP_SB, ACP_NB and ACP_NB_WRONG against TLC 2.20's counts. From ../shared/reference/acp.md:
// SB 3 participants 54,944 distinct / 218,352 generated / depth 21; NB 2 participants 4,284 / 23,988 / 19
// with AC3_2 and AC5 holding; WRONG violates AC1. The other counts (SB with 2 participants, WRONG
// explored whole, WRONG's shortest counterexample of 13 states) came from TLC 2.20 (-workers 1) on the
// TLA+ spec as restated in the reference.
import { is } from 'immutable';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkModel, checkSpec } from '../../src/engine/index.js';
import { referenceBfs, successorsOf } from '../../src/engine/test-models/reference-bfs.js';
import type { Fairness } from '../../src/model/properties.js';
import acpSb from '../acp-sb.js';
import acpNb from '../acp-nb.js';
import acpNbWrong from '../acp-nb-wrong.js';
import type { AcpState } from './acp.js';

const spec = (name: string) => fileURLToPath(new URL(`../../specs/${name}.cfg`, import.meta.url));
const P2 = { participants: ['p0', 'p1'] };
const SAFETY = ['TypeInv', 'AC1', 'AC2', 'AC3_1', 'StrongerAC2', 'NoRecovery'];

/** WF of each participant's program and of the coordinator's, as in the sources' fairness formulas. */
function fairness(participants: readonly string[], program: readonly string[]): Fairness[] {
  const wf = (group: { action: string; args: unknown[] }[]): Fairness => ({ kind: 'weak', group, text: group.map((g) => g.action).join(' \\/ ') });
  return [
    ...participants.map((p) => wf(program.map((action) => ({ action, args: [p] })))),
    wf(['makeDecision', 'request', 'getVote', 'detectFault', 'coordBroadcast'].map((action) => ({ action, args: [] }))),
  ];
}
const SB_PROGRAM = ['sendVote', 'abortOnVote', 'abortOnTimeoutRequest', 'decide'];
const NB_PROGRAM = ['sendVote', 'abortOnVote', 'abortOnTimeoutRequest', 'forward', 'preDecideOnForward', 'abortOnTimeout', 'preDecide', 'decideNB'];

describe('ACP_SB', () => {
  it('specs/acp-sb.cfg (3 participants): 54,944 distinct states, 218,352 generated, depth 21, safety holds', async () => {
    const r = await checkSpec(spec('acp-sb'), { workers: 0 });
    expect(r.loaded.spec.expect).toEqual({ kind: 'ok' });
    expect(r.status).toBe('ok');
    expect([r.distinctStates, r.statesGenerated, r.depth, r.queue]).toEqual([54_944, 218_352, 21, 0]);
  }, 120_000);

  it('2 participants: 1,832 distinct, 5,212 generated, depth 15; the same from a plain BFS; liveness AC3_2 holds', async () => {
    const r = await checkModel(acpSb, {
      constants: P2,
      invariants: [...SAFETY, 'StrongerAC3_1'], // SB's own: in NB a survivor may abort after a commit decision no one received
      properties: ['AC4_alt', 'FaultyStable', 'VoteStable', 'AC3_2'],
      fairness: fairness(P2.participants, SB_PROGRAM),
      checkDeadlock: false,
      workers: 0,
    });
    expect(r.status).toBe('ok');
    expect([r.distinctStates, r.statesGenerated, r.depth]).toEqual([1_832, 5_212, 15]);
    for (const c of r.coverage) expect(c.fired, c.action).toBeGreaterThan(0);
    const ref = referenceBfs(acpSb, P2, { invariants: [...SAFETY, 'StrongerAC3_1'] });
    expect(ref.violations).toEqual([]);
    expect([ref.distinct, ref.generated, ref.depth]).toEqual([1_832, 5_212, 15]);
    expect(ref.levels[0]).toHaveLength(4); // one initial state per assignment of votes
  });

  it('AC5 fails: a participant that voted is blocked once the coordinator dies without broadcasting to it', async () => {
    const r = await checkSpec(spec('acp-sb-blocking'), { workers: 0 });
    expect(r.loaded.spec.expect).toMatchObject({ kind: 'violation', name: 'AC5' });
    expect(r.status).toBe('violation');
    const v = r.violation!;
    expect(v.kind).toBe('liveness');
    expect(v.name).toBe('AC5');
    // The behaviour ends stuck in a state where some live participant voted, is undecided, and can
    // never decide: the coordinator is dead and sent it nothing.
    const last = v.trace[v.trace.length - 1]!.state as AcpState;
    expect(last.coordinator.alive).toBe(false);
    const blocked = [...last.participant.entries()].filter(
      ([p, x]) => x.alive && x.decision === 'undecided' && x.voteSent && last.coordinator.request.get(p) && last.coordinator.broadcast.get(p) === 'notsent',
    );
    expect(blocked.length).toBeGreaterThan(0);
  });

  it('the invalid properties the source keeps "to check that TLC does its job" fail', async () => {
    const fair = fairness(P2.participants, SB_PROGRAM);
    const live = await checkModel(acpSb, { constants: P2, properties: ['DecisionReachedNoFault'], fairness: fair, checkDeadlock: false, workers: 0 });
    expect(live.violation?.name).toBe('DecisionReachedNoFault');
    const inv = await checkModel(acpSb, { constants: P2, invariants: ['AbortImpliesNoVote'], checkDeadlock: false, workers: 0 });
    expect(inv.violation?.name).toBe('AbortImpliesNoVote');
  });
});

describe('ACP_NB', () => {
  it('specs/acp-nb.cfg (2 participants): 4,284 distinct, 23,988 generated, depth 19; safety, AC3_2 and AC5 hold', async () => {
    const r = await checkSpec(spec('acp-nb'), { workers: 0 });
    expect(r.loaded.spec.expect).toEqual({ kind: 'ok' });
    expect(r.loaded.spec.properties.map((p) => p.name)).toEqual(['AC4_alt', 'AC3_2', 'AC5']);
    expect(r.status).toBe('ok');
    expect([r.distinctStates, r.statesGenerated, r.depth, r.queue]).toEqual([4_284, 23_988, 19, 0]);
    const safety = await checkModel(acpNb, { constants: P2, invariants: SAFETY, checkDeadlock: false, workers: 0 });
    expect(safety.status).toBe('ok');
  });

  it('without fairness for the participants, AC5 fails', async () => {
    const coordinatorOnly = fairness([], NB_PROGRAM);
    const r = await checkModel(acpNb, { constants: P2, properties: ['AC5'], fairness: coordinatorOnly, checkDeadlock: false, workers: 0 });
    expect(r.violation?.name).toBe('AC5');
  });
});

describe('ACP_NB_WRONG', () => {
  it('specs/acp-nb-wrong.cfg: AC1 violated, shortest counterexample of 13 states: commit, die before forwarding, the survivor aborts', async () => {
    const r = await checkSpec(spec('acp-nb-wrong'), { workers: 0 });
    expect(r.loaded.spec.expect).toMatchObject({ kind: 'violation', name: 'AC1' });
    expect(r.status).toBe('violation');
    const v = r.violation!;
    expect(v.name).toBe('AC1');
    expect(v.trace).toHaveLength(13);
    const last = v.trace[12]!.state as AcpState;
    const decisions = [...last.participant.values()].map((p) => p.decision).sort();
    expect(decisions).toEqual(['abort', 'commit']);
    // Each step is a successor of the previous state by the action it names.
    const inst = acpNbWrong.build(P2);
    for (let i = 1; i < v.trace.length; i++) {
      const succ = successorsOf(inst.actions as never, v.trace[i - 1]!.state);
      expect(succ.some((x) => x.action === v.trace[i]!.actionName && is(x.state, v.trace[i]!.state))).toBe(true);
    }
  });

  it('explored whole (2 participants): 13,756 distinct, 72,616 generated, depth 17', async () => {
    const r = await checkModel(acpNbWrong, { constants: P2, checkDeadlock: false, workers: 0 });
    expect([r.distinctStates, r.statesGenerated, r.depth]).toEqual([13_756, 72_616, 17]);
  });
});
