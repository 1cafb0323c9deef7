// The width search (width.ts): breadth-first search kept to states new by width-K novelty over the
// variables, so it reaches what needs no wasted step, shortest, at a fraction of the state space.
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { Map as IMap, Record } from 'immutable';
import { CompiledModel } from '../engine/compiled-model.js';
import { QuorumError } from '../model/errors.js';
import lock from './test-models/lock.js';
import counters from './test-models/counters.js';
import { replayFinding, simulateSpec } from './index.js';
import { runSeed, type WalkSettings } from './search.js';
import { VariableNovelty, variableNames } from './width.js';

const settings = (width: number, widthBy?: string[]): WalkSettings => ({ depth: 60, walks: 1, swarm: false, balance: 'action', width, ...(widthBy ? { widthBy } : {}) });
const P = Record({ a: 0, b: 0, c: 0 });

describe('VariableNovelty', () => {
  it('width 1: a state is new when one variable holds a value no state held', () => {
    const n = new VariableNovelty(1, [], P());
    expect(n.add(P(), undefined)).toBe(true);
    expect(n.add(P({ a: 1 }), P())).toBe(true);
    expect(n.add(P({ b: 1 }), P())).toBe(true);
    expect(n.add(P({ a: 1, b: 1 }), P({ a: 1 }))).toBe(false); // a=1 and b=1 were each held before
  });

  it('width 2: new when two variables hold values together for the first time', () => {
    const n = new VariableNovelty(2, [], P());
    n.add(P(), undefined);
    n.add(P({ a: 1 }), P());
    n.add(P({ b: 1 }), P());
    expect(n.add(P({ a: 1, b: 1 }), P({ a: 1 }))).toBe(true);
    expect(n.add(P({ a: 1, b: 1 }), P({ b: 1 }))).toBe(false);
  });

  it('--width-by: each value of the partitioning variables has novelty of its own', () => {
    const n = new VariableNovelty(1, ['c'], P());
    n.add(P(), undefined);
    n.add(P({ a: 1 }), P());
    expect(n.add(P({ a: 1, c: 1 }), P({ a: 1 }))).toBe(true); // c moved: a=1 is new again under c=1
    expect(n.add(P({ c: 1 }), P())).toBe(true); // a=0 under c=1 is new too
    expect(n.add(P({ a: 1, c: 1 }), P({ c: 1 }))).toBe(false);
  });

  it('names the variables of record and map states, and refuses a name that is not one', () => {
    expect(variableNames(P())).toEqual(['a', 'b', 'c']);
    expect(variableNames(IMap({ x: 0, y: 0 }))).toEqual(['x', 'y']);
    expect(() => new VariableNovelty(2, ['d'], P())).toThrow(QuorumError);
    expect(() => new VariableNovelty(2, ['d'], P())).toThrow(/no variable 'd' \(its variables: a, b, c\)/);
    expect(() => new VariableNovelty(3, [], P())).toThrow(/1 or 2/);
  });
});

describe('the width search', () => {
  it('opens the combination lock, shortest, and replays it from seed and path', () => {
    const model = new CompiledModel<unknown>(lock as never, lock.build({ Length: 10 }) as never, { invariants: ['Locked'] });
    // 50 plain walks do not open a lock of 10 keys (4^-10 a walk).
    expect(runSeed(model, { depth: 60, walks: 50, swarm: false, balance: 'action' }, 7).finding).toBeUndefined();
    const r = runSeed(model, settings(1), 7);
    const f = r.finding!;
    expect(f.violation).toEqual({ kind: 'invariant', name: 'Locked', length: 11 });
    expect(f.originalLength).toBe(11);
    // Each stage is a new value of the one variable: 10 states expanded, the last finds the violation.
    expect(r.steps).toBe(10);
    const again = runSeed(model, settings(1), 7, { path: f.path });
    expect(again.finding?.plan).toEqual(f.plan);
    const trace = replayFinding(model, settings(1), again.finding!);
    expect(trace.map((t) => t.actionName)).toEqual(['Init', ...Array(10).fill('Press')]);
  });

  it('honours --depth as walks do: a counterexample of exactly depth states is found, a longer one is not', () => {
    const model = new CompiledModel<unknown>(lock as never, lock.build({ Length: 10 }) as never, { invariants: ['Locked'] });
    expect(runSeed(model, { ...settings(1), depth: 11 }, 7).finding?.violation.length).toBe(11);
    expect(runSeed(model, { ...settings(1), depth: 10 }, 7).finding).toBeUndefined();
  });

  it('expands only states with something new, and ends when nothing is new', () => {
    const model = new CompiledModel<unknown>(counters as never, counters.build({ Limit: 100 }) as never, { invariants: ['XBelowLimit'] });
    // A walk of 60 states expands those at positions 0..58, so x takes 0..58 there and y 0..3: width 1
    // expands the first state of each value of each.
    const one = runSeed(model, settings(1), 1);
    expect(one.finding).toBeUndefined();
    expect(one.steps).toBe(59 + 3);
    // Width 2 expands every (x, y) combination within reach, x + y <= 58, once.
    const two = runSeed(model, settings(2), 1);
    expect(two.steps).toBe(59 + 58 + 57 + 56);
  });

  it('finds paxos-naive\'s violation with the shortest counterexample, 13 states, as breadth-first search does', async () => {
    const spec = fileURLToPath(new URL('../../specs/paxos-naive.cfg', import.meta.url));
    const r = await simulateSpec(spec, { workers: 0, settings: { ...settings(2), depth: 100 }, firstSeed: 1, lastSeed: 1 });
    expect(r.finding?.violation).toMatchObject({ kind: 'invariant', name: 'Agreement', length: 13 });
    expect(r.finding?.originalLength).toBe(13);
  }, 120_000);

  it('partitioned by log and commitIndex, finds raft-vote-any-log\'s violation with breadth-first search\'s shortest, 26 states', async () => {
    const spec = fileURLToPath(new URL('../../specs/long/raft-vote-any-log.cfg', import.meta.url));
    const r = await simulateSpec(spec, { workers: 0, settings: { ...settings(2, ['log', 'commitIndex']), depth: 100 }, firstSeed: 1, lastSeed: 1 });
    expect(r.finding?.violation).toMatchObject({ kind: 'invariant', name: 'LeaderCompleteness', length: 26 });
  }, 300_000);
});
