import { describe, expect, test } from 'vitest';
import { checkModel, CompiledModel } from '../engine/index.js';
import jumpy from '../engine/test-models/jumpy.js';
import paxosNaive from '../../models/paxos-naive.js';
import { enabledSteps, invariantStatuses, previewOf, searchTargets, stateVars, statusOf, ViolationSearch } from './explorer-core.js';
import { ExplorerSession } from './explorer-session.js';
import { counterModel, PAXOS_CONSTANTS, paxosNaiveModel, twoPhaseModel } from './test-support.js';

describe('enabled steps', () => {
  test('2PC: every enabled action with what it changes', () => {
    const m = twoPhaseModel();
    const succs = enabledSteps(m, m.init[0]);
    expect(succs.map((s) => s.label)).toEqual(['TMAbort', 'RMPrepare(r1)', 'RMPrepare(r2)', 'RMPrepare(r3)', 'RMChooseToAbort(r1)', 'RMChooseToAbort(r2)', 'RMChooseToAbort(r3)']);
    expect(previewOf(succs[0]!)).toBe('tmState: init → aborted; msgs: + Abort');
    expect(previewOf(succs[4]!)).toBe('rmState.r1: working → aborted');
    expect(succs.every((s) => statusOf(s, new Set()) === 'new')).toBe(true);
    expect(statusOf(succs[0]!, new Set([succs[0]!.fp]))).toBe('visited');
  });

  test('constraints, action constraints and invariants are reported', () => {
    const m = counterModel(['Small']);
    const at = (x: number) => enabledSteps(m, x);
    expect(at(1).map((s) => [s.label, statusOf(s, new Set())])).toEqual([
      ['Inc', 'new'],
      ['Stay', 'excluded'],
    ]);
    expect(previewOf(at(1)[1]!)).toBe('(no change)');
    expect(statusOf(at(2)[0]!, new Set())).toBe('violates'); // 3 violates Small
    const m2 = counterModel([]);
    expect(statusOf(enabledSteps(m2, 2)[0]!, new Set())).toBe('outside');
  });

  test('invariant status lists every invariant, marking the selected ones', () => {
    const m = twoPhaseModel(['r1', 'r2'], ['Consistent']);
    expect(invariantStatuses(m, m.init[0])).toEqual([
      { name: 'Consistent', selected: true, holds: true },
      { name: 'TypeOK', selected: false, holds: true },
    ]);
    expect(searchTargets(m)).toEqual(['Consistent', 'TypeOK', 'Deadlock']);
    expect(invariantStatuses(counterModel(['Tiny']), 3).map((x) => [x.name, x.holds, x.selected])).toEqual([
      ['Small', false, false],
      ['Tiny', true, true],
    ]);
  });

  test('state variables of records and plain values', () => {
    const m = twoPhaseModel(['r1']);
    expect(stateVars(m.init[0], (v) => m.showValue(v))).toEqual({ rmState: '[r1 |-> working]', tmState: 'init', tmPrepared: '{}', msgs: '{}' });
    expect(stateVars(7, String)).toEqual({ state: '7' });
  });
});

describe('violation search', () => {
  test('finds a shortest path to an Agreement violation in the naive Paxos', async () => {
    const m = paxosNaiveModel(2);
    const search = new ViolationSearch(m, m.init[0], 'Agreement');
    while (search.run(50) === 'running');
    expect(search.status).toBe('found');
    const path = search.path();
    // As short as the checker's counterexample.
    const r = await checkModel(paxosNaive, { constants: PAXOS_CONSTANTS, invariants: ['Agreement'] });
    expect(path.length).toBe(r.violation!.trace.length - 1);
    expect(m.violatedInvariant(path.at(-1)!.state)).toBe('Agreement');
  }, 60_000);

  test("follows TLC's constraint semantics", () => {
    const m = counterModel();
    const small = new ViolationSearch(m, 0, 'Small');
    expect(small.run(1000)).toBe('found'); // x = 3 is outside the constraint, but reachable
    expect(small.path().map((p) => [p.label, p.state])).toEqual([
      ['Inc', 1],
      ['Inc', 2],
      ['Inc', 3],
    ]);
    const tiny = new ViolationSearch(m, 0, 'Tiny');
    expect(tiny.run(1000)).toBe('exhausted');
    expect(tiny.stats.distinct).toBe(4); // 0, 1, 2 and 3 (not expanded)
  });

  test('checks the state of a step the action constraint discards, as the checker does', async () => {
    const m = new CompiledModel(jumpy, jumpy.build({} as never), { invariants: ['Lt9'], actionConstraints: ['NoJump'] }) as CompiledModel<unknown>;
    const search = new ViolationSearch(m, 0, 'Lt9');
    expect(search.run(1000)).toBe('found');
    expect(search.path().map((p) => [p.label, p.state])).toEqual([
      ['Inc', 1],
      ['Jump', 9],
    ]);
    const r = await checkModel(jumpy, { constants: {}, invariants: ['Lt9'], actionConstraints: ['NoJump'] });
    expect(r.violation!.trace.length - 1).toBe(search.path().length);
  });

  test('a start state that already violates, a budget, and unknown names', () => {
    const m = counterModel();
    const s = new ViolationSearch(m, 5, 'Small');
    expect(s.status).toBe('found');
    expect(s.path()).toEqual([]);
    const big = twoPhaseModel(['r1', 'r2', 'r3', 'r4']);
    const b = new ViolationSearch(big, big.init[0], 'Consistent', 50);
    while (b.run(50) === 'running');
    expect(b.status).toBe('budget');
    expect(b.stats.distinct).toBe(50);
    expect(() => new ViolationSearch(m, 0, 'Nope')).toThrow(/no invariant or property Nope; a search can look for Small, Tiny, Deadlock/);
  });
});

describe('explorer session', () => {
  test('steps, goes back and remembers visited states', () => {
    const s = new ExplorerSession(twoPhaseModel());
    expect(s.picking).toBe(false);
    expect(s.key('', { downArrow: true })).toBeUndefined();
    s.key('', { return: true });
    expect(s.history.map((e) => e.label)).toEqual([null, 'RMPrepare(r1)']);
    expect(s.current!.changes.length).toBe(2);
    s.key('', { backspace: true });
    expect(s.history.length).toBe(1);
    expect(statusOf(s.enabled().succs[1]!, s.visited)).toBe('visited');
    s.key('', { backspace: true }); // nothing before the only initial state
    expect(s.history.length).toBe(1);
    expect(s.key('q', {})).toBe('quit');
  });

  test('several initial states: pick one first', () => {
    const s = new ExplorerSession(counterModel());
    expect(s.picking).toBe(true);
    s.key('j', {});
    s.key('', { return: true });
    expect(s.current!.state).toBe(10);
    s.key('h', {});
    expect(s.picking).toBe(true);
  });

  test('the / prompt completes names and runs a search that can be cancelled', () => {
    const s = new ExplorerSession(twoPhaseModel(['r1', 'r2', 'r3', 'r4', 'r5']));
    s.key('/', {});
    expect(s.mode).toBe('prompt');
    for (const ch of 'typ') s.key(ch, {});
    s.key('', { tab: true });
    expect(s.prompt).toBe('TypeOK');
    s.key('', { return: true });
    expect(s.mode).toBe('search');
    expect(s.tickSearch(1)).toBe(true);
    expect(s.searchStats!.distinct).toBeGreaterThan(1);
    s.key('', { escape: true });
    expect(s.mode).toBe('main');
    expect(s.message?.text).toBe('Search cancelled.');
    expect(s.tickSearch()).toBe(false);
  });

  test('a found violation is appended to the path', () => {
    const s = new ExplorerSession(paxosNaiveModel(1));
    s.key('/', {});
    s.key('', { return: true }); // the default: the spec's first invariant
    s.finishSearch();
    expect(s.message?.text).toMatch(/^Found a state violating Agreement, \d+ steps away/);
    expect(s.model.violatedInvariant(s.current!.state)).toBe('Agreement');
    expect(s.history.length).toBeGreaterThan(5);
    expect(s.history.every((e) => s.visited.has(e.fp))).toBe(true);
  });

  test('unknown search targets and random steps', () => {
    const s = new ExplorerSession(twoPhaseModel(), { random: () => 0.999 });
    s.key('/', {});
    for (const ch of 'Nope') s.key(ch, {});
    s.key('', { return: true });
    expect(s.message).toEqual({ text: 'No invariant or property named Nope; a search can look for Consistent, TypeOK, Deadlock.', color: 'red' });
    s.key('r', {});
    expect(s.current!.label).toBe('RMChooseToAbort(r3)');
  });
});
