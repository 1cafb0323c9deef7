// The explore search (width-2 novelty and cells of slow variables, Go-Explore restarts from archived
// states) and shrinking's loop-cutting pre-pass, on the small counters model.
import { Map as IMap } from 'immutable';
import { describe, expect, it } from 'vitest';
import { CompiledModel } from '../engine/compiled-model.js';
import { fingerprintHex } from '../engine/fingerprint.js';
import type { TraceStep } from '../engine/trace.js';
import counters from './test-models/counters.js';
import { atomsOf, Cells, PairNovelty } from './cells.js';
import { cutLoops, runSeed, type WalkSettings } from './search.js';
import { runWalk } from './walk.js';
import { replayFinding } from './index.js';

function countersModel(limit: number): CompiledModel<unknown> {
  return new CompiledModel<unknown>(counters as never, counters.build({ Limit: limit }) as never, { invariants: ['XBelowLimit'] });
}

const state = (x: number, y: number) => IMap({ x, y });

describe('width-2 novelty', () => {
  it('cuts a map state into one atom per key', () => {
    expect(atomsOf(state(1, 2), []).length).toBe(2);
    expect(atomsOf(state(1, 2), [])).not.toEqual(atomsOf(state(2, 1), []));
  });

  it('a new pair of known values is new, a state of known pairs is not', () => {
    const n = new PairNovelty();
    n.add(state(0, 0), undefined);
    expect(n.isNew(state(1, 0), state(0, 0))).toBe(true);
    n.add(state(1, 0), state(0, 0));
    n.add(state(0, 1), state(0, 0));
    // x = 1 and y = 1 were each seen, but never together.
    expect(n.isNew(state(1, 1), state(1, 0))).toBe(true);
    expect(n.add(state(1, 1), state(1, 0))).toBe(1);
    expect(n.isNew(state(1, 1), state(0, 1))).toBe(false);
    expect(n.isNew(state(0, 0), state(1, 0))).toBe(false);
  });

  it('cells project on the variables that change least often', () => {
    const c = new Cells(4, 0.5);
    // y changes on every step, x on one of four: cells are values of x.
    const walk = [state(0, 0), state(0, 1), state(0, 2), state(1, 3), state(1, 4)];
    for (let i = 1; i < walk.length; i++) c.observe(walk[i - 1], walk[i]);
    expect(c.add(state(0, 7))).toBe(true);
    expect(c.isNew(state(0, 9))).toBe(false);
    expect(c.isNew(state(2, 7))).toBe(true);
  });
});

describe('cutLoops', () => {
  it('removes the steps between two visits of a state and keeps the violation', () => {
    const model = countersModel(3);
    // Walks of fixed pseudo-random choices, until one violates after revisiting a state.
    let x = 12345;
    const next = () => (x = (Math.imul(x, 1103515245) + 12345) & 0x7fffffff);
    for (let attempt = 0; attempt < 200; attempt++) {
      const plan = { salt: attempt, weights: null, choices: Array.from({ length: 40 }, next) };
      const trace: TraceStep[] = [];
      const out = runWalk(model, plan, { balance: 'action', trace });
      if (!out.violation) continue;
      const keys = trace.map((t) => fingerprintHex(t.state));
      if (new Set(keys).size === keys.length) continue;
      const cut = cutLoops(model, 'action', plan, out.violation);
      const after: TraceStep[] = [];
      const again = runWalk(model, cut, { balance: 'action', trace: after });
      expect(again.violation).toMatchObject({ kind: 'invariant', name: 'XBelowLimit' });
      expect(again.violation!.length).toBeLessThan(out.violation.length);
      expect(cut.choices.length).toBe(again.violation!.length);
      const cutKeys = after.slice(0, -1).map((t) => fingerprintHex(t.state));
      expect(new Set(cutKeys).size).toBe(cutKeys.length);
      return;
    }
    throw new Error('no walk with a loop found');
  });
});

describe('explore search', () => {
  it('finds the violation, shrinks it to the shortest, and replays it from seed and path', () => {
    const model = countersModel(6);
    const settings: WalkSettings = { depth: 40, walks: 300, swarm: true, weighted: true, balance: 'action', explore: true };
    const r = runSeed(model, settings, 5);
    const f = r.finding!;
    expect(f.violation).toEqual({ kind: 'invariant', name: 'XBelowLimit', length: 7 });
    expect(f.originalLength).toBeGreaterThanOrEqual(7);
    const again = runSeed(model, settings, 5, { path: f.path });
    expect(again.finding?.path).toBe(f.path);
    expect(again.finding?.plan).toEqual(f.plan);
    expect(again.walks).toBe(r.walks);
    const trace = replayFinding(model, settings, again.finding!);
    expect(trace.map((t) => t.actionName)).toEqual(['Init', 'IncX', 'IncX', 'IncX', 'IncX', 'IncX', 'IncX']);
  });
});
