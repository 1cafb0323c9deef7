// Two-phase commit (Gray and Lamport's TwoPhase) against TLC 2.20's counts, from
// ../shared/reference/two-phase-commit.md: 3 RMs → 288 distinct states, depth 11; 7 RMs → 296,448, depth 23.
import { is } from 'immutable';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkModel, checkSpec } from '../src/engine/index.js';
import { referenceBfs, successorsOf } from '../src/engine/test-models/reference-bfs.js';
import twoPhase, { Msg, TPState } from './two-phase-commit.js';

const spec = fileURLToPath(new URL('../specs/two-phase-commit.cfg', import.meta.url));
const RM3 = { RM: ['r1', 'r2', 'r3'] };

describe('two-phase commit', () => {
  it('3 RMs: 288 distinct states, depth 11, Consistent and TypeOK hold, no deadlock', async () => {
    const r = await checkModel(twoPhase, { constants: RM3, invariants: ['Consistent', 'TypeOK'], workers: 0 });
    expect(r.status).toBe('ok');
    expect(r.failure).toBeNull();
    expect(r.violation).toBeNull();
    expect(r.distinctStates).toBe(288);
    expect(r.depth).toBe(11);
    expect(r.queue).toBe(0);
    // Every action fires somewhere.
    expect(r.coverage.map((c) => c.action)).toEqual(['TMRcvPrepared', 'TMCommit', 'TMAbort', 'RMPrepare', 'RMChooseToAbort', 'RMRcvCommitMsg', 'RMRcvAbortMsg']);
    for (const c of r.coverage) expect(c.fired).toBeGreaterThan(0);
    // The same counts from a plain BFS that does not use the engine's fingerprints or codec.
    const ref = referenceBfs(twoPhase, RM3, { invariants: ['Consistent', 'TypeOK'] });
    expect(ref.violations).toEqual([]);
    expect([ref.distinct, ref.depth, ref.generated]).toEqual([288, 11, r.statesGenerated]);
  });

  it('7 RMs (specs/two-phase-commit.cfg): 296,448 distinct states, depth 23', async () => {
    const r = await checkSpec(spec, { workers: 0 });
    expect(r.loaded.spec.expect).toEqual({ kind: 'ok' });
    expect(r.model).toBe('two-phase-commit');
    expect(r.status).toBe('ok');
    expect(r.distinctStates).toBe(296_448);
    expect(r.depth).toBe(23);
    expect(r.queue).toBe(0);
  }, 120_000);

  it('Consistent fails for a TM that commits without all Prepared messages', async () => {
    // The same model with TMCommit's guard weakened to "some RM prepared": a classic bug.
    const broken = {
      ...twoPhase,
      name: 'two-phase-commit-broken',
      build(k: { RM: readonly string[] }) {
        const inst = twoPhase.build(k as never);
        return {
          ...inst,
          actions: {
            ...inst.actions,
            TMCommit: {
              step: (s: TPState) => (s.tmState === 'init' && s.tmPrepared.size > 0 ? s.set('tmState', 'committed').set('msgs', s.msgs.add(Msg({ type: 'Commit' }))) : undefined),
            },
          },
        };
      },
    };
    const r = await checkModel(broken, { constants: RM3, invariants: ['Consistent'], workers: 0 });
    expect(r.status).toBe('violation');
    expect(r.violation!.name).toBe('Consistent');
    const trace = r.violation!.trace;
    expect(trace).toHaveLength(r.depth);
    const last = trace[trace.length - 1]!.state as TPState;
    expect(last.rmState.includes('committed') && last.rmState.includes('aborted')).toBe(true);
    // Each step is a successor of the previous state by the action it names.
    const inst = broken.build(RM3);
    for (let i = 1; i < trace.length; i++) {
      const succ = successorsOf(inst.actions as never, trace[i - 1]!.state);
      expect(succ.some((x) => x.action === trace[i]!.actionName && is(x.state, trace[i]!.state))).toBe(true);
    }
    const ref = referenceBfs(broken, RM3, { invariants: ['Consistent'] });
    expect(ref.violations[0]!.level).toBe(trace.length);
    expect(ref.distinct).toBe(r.distinctStates);
  });
});
