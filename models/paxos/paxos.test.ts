// Single-decree Paxos (Lamport's "Paxos" module) against TLC 2.20's counts, from
// ../shared/reference/paxos.md, and the naive variant whose Agreement violation must be found
// with a shortest counterexample.
import { is } from 'immutable';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkModel, checkSpec, fingerprint, type CheckResult } from '../../src/engine/index.js';
import { referenceBfs, successorsOf } from '../../src/engine/test-models/reference-bfs.js';
import paxos from './index.js';
import naive from '../paxos-naive.js';
import type { Msg, PaxosState } from './paxos.js';

const specs = fileURLToPath(new URL('../../specs/', import.meta.url));
const naivePath = fileURLToPath(new URL('../paxos-naive.ts', import.meta.url));
const K = { Acceptor: ['a1', 'a2', 'a3'], Value: ['v1', 'v2'], MaxBallot: 2 };

/** Values chosen in a state: some ballot has 2b votes for the value from a majority (2 of 3). */
function chosenValues(s: PaxosState): Set<string> {
  const votes = new Map<string, Set<string>>();
  s.msgs.forEach((m: Msg) => {
    if (m.type !== '2b') return;
    const k = JSON.stringify([m.bal, m.val]);
    if (!votes.has(k)) votes.set(k, new Set());
    votes.get(k)!.add(m.acc!);
  });
  const out = new Set<string>();
  for (const [k, accs] of votes) if (accs.size >= 2) out.add(JSON.parse(k)[1] as string);
  return out;
}

describe('paxos', () => {
  it('specs/paxos.cfg: 185,369 distinct states, depth 25, Agreement and TypeOK hold, no deadlock', async () => {
    const r = await checkSpec(`${specs}paxos.cfg`, { workers: 0 });
    expect(r.loaded.spec.expect).toEqual({ kind: 'ok' });
    expect(r.loaded.constants).toEqual(K);
    expect(r.status).toBe('ok');
    expect(r.failure).toBeNull();
    expect(r.distinctStates).toBe(185_369);
    expect(r.depth).toBe(25);
    expect(r.queue).toBe(0);
    for (const c of r.coverage) expect(c.distinct).toBeGreaterThan(0);
  }, 120_000);

  it('MaxBallot = 1: the engine and a plain BFS agree (counts, depth, generated)', async () => {
    const k = { ...K, MaxBallot: 1 };
    const r = await checkModel(paxos, { constants: k, invariants: ['Agreement', 'TypeOK'], workers: 0 });
    const ref = referenceBfs(paxos, k, { invariants: ['Agreement', 'TypeOK'] });
    expect(r.status).toBe('ok');
    expect(ref.violations).toEqual([]);
    expect([r.distinctStates, r.depth, r.statesGenerated]).toEqual([ref.distinct, ref.depth, ref.generated]);
  }, 120_000);
});

describe('paxos-naive', () => {
  let result: CheckResult<unknown> | undefined;
  const run = async () => (result ??= await checkSpec(`${specs}paxos-naive.cfg`, { workers: 0 }));

  it('violates Agreement; the counterexample has 13 states, the depth of the violating state', async () => {
    const r = await run();
    expect(r.status).toBe('violation');
    expect(r.violation!.kind).toBe('invariant');
    expect(r.violation!.name).toBe('Agreement');
    expect(r.violation!.trace).toHaveLength(13);
    // The run stops after the level of the violating state: depth is that level.
    expect(r.depth).toBe(13);
    expect(r.distinctStates).toBe(41_805);
  }, 120_000);

  it('the counterexample is shortest: a plain BFS finds no violation in levels 1..12', async () => {
    const r = await run();
    const ref = referenceBfs(naive, K, { invariants: ['Agreement'] });
    expect(ref.violations.length).toBeGreaterThan(0);
    expect(ref.violations.every((v) => v.level === 13 && v.name === 'Agreement')).toBe(true);
    expect(ref.depth).toBe(13);
    expect(ref.distinct).toBe(r.distinctStates);
    expect(ref.generated).toBe(r.statesGenerated);
    // The engine's final state is one of the violating states at that level.
    const last = r.violation!.trace[12]!.state;
    expect(ref.violations.some((v) => is(v.state, last))).toBe(true);
  }, 120_000);

  it('the counterexample is a valid path of Phase* steps ending with two chosen values', async () => {
    const r = await run();
    const trace = r.violation!.trace;
    const inst = naive.build(K as never);
    expect(trace[0]!.action).toBe('Init');
    expect(is(trace[0]!.state, inst.init[0])).toBe(true);
    for (let i = 1; i < trace.length; i++) {
      const step = trace[i]!;
      expect(step.actionName).toMatch(/^Phase(1a|1b|2a|2b)$/);
      expect(step.action.startsWith(step.actionName)).toBe(true);
      const succ = successorsOf(inst.actions as never, trace[i - 1]!.state);
      expect(succ.some((x) => x.action === step.actionName && JSON.stringify(x.args) === JSON.stringify(step.args) && is(x.state, step.state))).toBe(true);
      // No step stutters in a shortest counterexample.
      expect(is(step.state, trace[i - 1]!.state)).toBe(false);
    }
    for (let i = 0; i < trace.length - 1; i++) expect(chosenValues(trace[i]!.state as PaxosState).size).toBeLessThanOrEqual(1);
    const last = trace[trace.length - 1]!.state as PaxosState;
    expect([...chosenValues(last)].sort()).toEqual(['v1', 'v2']);
    // The naive Phase2a is what makes it possible: both 2a messages are in the last state.
    const twoA = last.msgs.filter((m: Msg) => m.type === '2a').map((m: Msg) => m.val).toSet();
    expect(twoA.sort().toArray()).toEqual(['v1', 'v2']);
  }, 120_000);

  it('workers 2 give the same verdict, counts and violating state', async () => {
    const r = await run();
    const pooled = await checkModel(naive, { constants: K, invariants: ['Agreement'], workers: 2, modelPath: naivePath });
    expect(pooled.status).toBe('violation');
    expect(pooled.violation!.name).toBe('Agreement');
    expect([pooled.distinctStates, pooled.statesGenerated, pooled.depth]).toEqual([r.distinctStates, r.statesGenerated, r.depth]);
    expect(pooled.violation!.trace).toHaveLength(r.violation!.trace.length);
    // The reported state is chosen by fingerprint among the shortest violations, whatever the scheduling.
    expect(fingerprint(pooled.violation!.trace[12]!.state)).toBe(fingerprint(r.violation!.trace[12]!.state));
  }, 120_000);
});
