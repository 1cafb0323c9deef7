// Simulation on a small model: walks are pure functions of their plans, the first violation is shrunk
// to the shortest counterexample, a seed and path replay it, and the result does not depend on workers.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CompiledModel } from '../engine/compiled-model.js';
import counters from './test-models/counters.js';
import jumpy from '../engine/test-models/jumpy.js';
import { runWalk, type WalkPlan } from './walk.js';
import { runSeed, type WalkSettings } from './search.js';
import { simulateSpec } from './index.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '../../..');
const settings: WalkSettings = { depth: 40, walks: 50, swarm: true, balance: 'action' };

function countersModel(limit = 4): CompiledModel<unknown> {
  return new CompiledModel<unknown>(counters as never, counters.build({ Limit: limit }) as never, { invariants: ['XBelowLimit'] });
}

function plan(choices: number[], salt = 7): WalkPlan {
  return { salt, weights: null, choices };
}

describe('runWalk', () => {
  it('is a function of its plan, and stops at the first violating successor', () => {
    const model = countersModel();
    const p = plan(Array.from({ length: 30 }, (_, i) => (i * 2654435761) >>> 1));
    const trace1: unknown[] = [];
    const a = runWalk(model, p, { balance: 'action', trace: trace1 as never });
    const b = runWalk(model, p, { balance: 'action' });
    expect(b).toEqual(a);
    if (a.violation) {
      expect(a.violation).toMatchObject({ kind: 'invariant', name: 'XBelowLimit' });
      expect(trace1.length).toBe(a.violation.length);
    } else expect(a.states).toBe(30);
  });

  it('checks every successor: a step the ACTION_CONSTRAINT discards still has its state checked', () => {
    const model = new CompiledModel<unknown>(jumpy as never, jumpy.build({}) as never, { invariants: ['Lt9'], actionConstraints: ['NoJump'] });
    const trace: { action: string; discarded?: boolean }[] = [];
    const out = runWalk(model, plan([0, 0, 0, 0]), { balance: 'successor', trace: trace as never });
    expect(out.violation).toEqual({ kind: 'invariant', name: 'Lt9', length: 3 });
    expect(trace.map((t) => t.action)).toEqual(['Init', 'Inc', 'Jump']);
    expect(trace[2]!.discarded).toBe(true);
  });

  it('reports a deadlock where no step is possible', () => {
    const model = new CompiledModel<unknown>(jumpy as never, jumpy.build({}) as never, { actionConstraints: ['NoJump'] });
    // Inc stops at 3; from 3 nothing is enabled.
    const out = runWalk(model, plan(new Array(10).fill(0)), { balance: 'action' });
    expect(out.violation).toEqual({ kind: 'deadlock', name: 'Deadlock', length: 4 });
  });
});

describe('runSeed', () => {
  it('shrinks the first violation to the shortest counterexample and replays it from seed and path', () => {
    const model = countersModel(4);
    const r = runSeed(model, settings, 42);
    expect(r.finding).toBeDefined();
    const f = r.finding!;
    expect(f.violation).toEqual({ kind: 'invariant', name: 'XBelowLimit', length: 5 });
    expect(f.originalLength).toBeGreaterThanOrEqual(5);
    const again = runSeed(model, settings, 42, { path: f.path });
    expect(again.finding?.path).toBe(f.path);
    expect(again.finding?.plan).toEqual(f.plan);
    expect(again.walks).toBe(1);
  });

  it('novelty search (Go-Explore, weighted swarm): its violating walk is shrunk and replays from seed and path', () => {
    const model = countersModel(6);
    const nov: WalkSettings = { depth: 30, walks: 200, swarm: true, weighted: true, balance: 'action', novelty: true };
    const r = runSeed(model, nov, 9);
    const f = r.finding!;
    expect(f.violation).toEqual({ kind: 'invariant', name: 'XBelowLimit', length: 7 });
    const again = runSeed(model, nov, 9, { path: f.path });
    expect(again.finding?.plan).toEqual(f.plan);
    expect(again.walks).toBe(r.walks);
  });

  it('counts walks and steps, and finds nothing where nothing is wrong', () => {
    const model = countersModel(1000);
    const r = runSeed(model, { ...settings, walks: 10 }, 3, { seen: new Set() });
    expect(r.finding).toBeUndefined();
    expect(r.walks).toBe(10);
    expect(r.steps).toBe(10 * (settings.depth - 1));
    expect(r.deepest).toBe(settings.depth);
    expect(r.fresh!.length).toBeGreaterThan(settings.depth);
  });
});

describe('simulateSpec', () => {
  const dir = mkdtempSync(join(tmpdir(), 'quorum-sim-'));
  const spec = join(dir, 'counters.cfg');
  writeFileSync(spec, `MODEL ${join(ROOT, 'src/simulate/test-models/counters.ts')}\nCONSTANTS Limit = 4\nINVARIANT XBelowLimit\n`);

  it('gives the same counterexample in-process and on a worker', async () => {
    const opts = { settings: { ...settings, walks: 5 }, firstSeed: 10, lastSeed: 20 };
    const here = await simulateSpec(spec, { ...opts, workers: 0 });
    const pool = await simulateSpec(spec, { ...opts, workers: 1 });
    expect(here.status).toBe('violation');
    expect(here.trace!.length).toBe(5);
    expect(pool.finding!.seed).toBe(here.finding!.seed);
    expect(pool.finding!.path).toBe(here.finding!.path);
    expect(pool.trace!.map((s) => s.action)).toEqual(here.trace!.map((s) => s.action));
    expect(here.seedsDone).toEqual([10, here.finding!.seed]);
  }, 60_000);

  it('runs exactly a seed range without a violation', async () => {
    const ok = join(dir, 'ok.cfg');
    writeFileSync(ok, `MODEL ${join(ROOT, 'src/simulate/test-models/counters.ts')}\nCONSTANTS Limit = 1000\nINVARIANT XBelowLimit\n`);
    const r = await simulateSpec(ok, { workers: 0, settings: { ...settings, walks: 3, depth: 10 }, firstSeed: 5, lastSeed: 8 });
    expect(r.status).toBe('ok');
    expect(r.seedsDone).toEqual([5, 8]);
    expect(r.stats.walks).toBe(12);
  });
});
