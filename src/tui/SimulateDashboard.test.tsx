import { render } from 'ink-testing-library';
import { describe, expect, test } from 'vitest';
import type { SimulateProgress } from '../simulate/index.js';
import { SimulateDashboard, type SimulateDashboardMeta, type SimulateDashboardSummary } from './SimulateDashboard.js';
import { advanceSimulate, initialSimulateDashboardState, liveTotals, stopping } from './simulate-dashboard-state.js';
import { startSimulateDashboard } from './simulate-screen.js';
import { FakeStdout, stripAnsi, waitFor } from './test-support.js';

const meta: SimulateDashboardMeta = { spec: 'specs/paxos-naive.cfg', workers: 2, settings: { depth: 100, walks: 100, swarm: true, balance: 'action' }, firstSeed: 1, timeLimitMs: 60_000 };

function progress(over: Partial<SimulateProgress> = {}): SimulateProgress {
  return {
    elapsedMs: 1000,
    walks: 200,
    steps: 19_000,
    distinctStates: 4_321,
    deepest: 80,
    seeds: 2,
    workers: 2,
    running: [
      { seed: 3, worker: 1, elapsedMs: 400, walks: 10, steps: 900, deepest: 100, shrinking: null },
      { seed: 4, worker: 2, elapsedMs: 300, walks: 5, steps: 450, deepest: 90, shrinking: null },
    ],
    ...over,
  };
}

const summary = (over: Partial<SimulateDashboardSummary> = {}): SimulateDashboardSummary => ({
  result: 'ok',
  model: 'paxos-naive',
  distinctStates: 9_999,
  statesGenerated: 0,
  depth: 100,
  elapsedMs: 10_000,
  workers: 2,
  simulation: { walks: 1_000, steps: 99_000, deepest: 100, seedsDone: [1, 10], seed: null, originalLength: null, shrunkLength: null, shrinks: null },
  ...over,
});

describe('simulate dashboard state', () => {
  test('totals add the live counts of the seeds running to the finished ones', () => {
    expect(liveTotals(progress())).toEqual({ walks: 215, steps: 20_350, deepest: 100 });
    expect(liveTotals(progress({ running: undefined }))).toEqual({ walks: 200, steps: 19_000, deepest: 80 });
  });
  test('steps per second are measured between reports, over the live totals', () => {
    let s = advanceSimulate(initialSimulateDashboardState, progress({ elapsedMs: 500, steps: 0, running: [] }));
    expect(s.rates).toEqual([0]);
    s = advanceSimulate(s, progress({ elapsedMs: 1000, steps: 1000, running: [{ seed: 3, worker: 1, elapsedMs: 10, walks: 1, steps: 500, deepest: 9, shrinking: null }] }));
    expect(s.rates.at(-1)).toBe(3000); // 1,500 steps in 0.5 s
    expect(stopping(s).stopping).toBe(true);
  });
});

describe('SimulateDashboard', () => {
  test('while walking: the counts, the steps/s chart and the seeds on each worker', () => {
    let state = advanceSimulate(initialSimulateDashboardState, progress({ elapsedMs: 500, walks: 100, steps: 9_000 }));
    state = advanceSimulate(state, progress());
    const f = render(<SimulateDashboard meta={meta} state={state} />).lastFrame()!;
    expect(f).toContain('quorum simulate specs/paxos-naive.cfg');
    expect(f).toContain('● walking');
    expect(f).toContain('depth 100 · 100 walks per seed · swarm · balance action · seeds from 1 · time limit 1min 00s');
    expect(f).toMatch(/Walks\s+215/);
    expect(f).toMatch(/Steps\s+20,350/);
    expect(f).toMatch(/Distinct states\s+4,321/);
    expect(f).toMatch(/Deepest walk\s+100 \/ 100/);
    expect(f).toMatch(/Seeds done\s+2/);
    expect(f).toMatch(/Steps\/s\s+20,000/); // (20,350 - 10,350) / 0.5 s
    expect(f).toMatch(/steps\/s\s+[▁▂▃▄▅▆▇█]{2}\s+peak 20,700\/s/);
    expect(f).toMatch(/^\s*3\s+1\s+10\/100\s+900\s+400ms\s+walking$/m);
    expect(f).toMatch(/^\s*4\s+2\s+5\/100\s+450\s+300ms\s+walking$/m);
    const late = render(<SimulateDashboard meta={meta} state={advanceSimulate(initialSimulateDashboardState, progress({ elapsedMs: 61_000 }))} />).lastFrame()!;
    expect(late).toContain('◑ time limit reached: finishing the seeds running');
  });

  test('while shrinking: the violation, its length so far and the seed that shrinks it', () => {
    const shrinking = { kind: 'invariant', name: 'Agreement', originalLength: 36, length: 19, tries: 328, shrinks: 14 };
    const p = progress({
      running: [{ seed: 3, worker: 1, elapsedMs: 4000, walks: 15, steps: 1400, deepest: 100, shrinking }],
      finding: { seed: 3, kind: 'invariant', name: 'Agreement', originalLength: 36, length: 19, shrinks: 14, shrinking: true },
    });
    const f = render(<SimulateDashboard meta={meta} state={advanceSimulate(initialSimulateDashboardState, p)} />).lastFrame()!;
    expect(f).toContain('◐ shrinking a violation');
    expect(f).toContain('Violation of invariant Agreement, seed 3: shrinking, 36 → 19 states so far (14 shrinks)');
    // At 100 columns the status is cut to fit the line.
    expect(f).toMatch(/^\s*3\s+1\s+15\/100\s+1,400\s+4\.0s\s+shrinking invariant Agreement: 36 → 19 states…$/m);
    const done = progress({ running: [], finding: { seed: 5, kind: 'invariant', name: 'Agreement', originalLength: 30, length: 14, shrinks: 9, shrinking: false } });
    const g = render(<SimulateDashboard meta={meta} state={advanceSimulate(initialSimulateDashboardState, done)} />).lastFrame()!;
    expect(g).toContain('◐ violation found; waiting for lower seeds');
    expect(g).toContain('(no seed running)');
  });

  test('the final frame: the outcome, the run averages and the shrunk violation', () => {
    const state = advanceSimulate(initialSimulateDashboardState, progress());
    const ok = render(<SimulateDashboard meta={meta} state={state} summary={summary()} />).lastFrame()!;
    expect(ok).toContain('· model paxos-naive');
    expect(ok).toContain('✔ done: no violation');
    expect(ok).toMatch(/Walks\s+1,000/);
    expect(ok).toMatch(/Seeds complete\s+10/);
    expect(ok).toMatch(/Steps\/s \(avg\)\s+9,900/);
    expect(ok).not.toContain('Seed ');
    const sim = { walks: 37, steps: 3525, deepest: 100, seedsDone: [1, 1] as const, seed: 1, originalLength: 36, shrunkLength: 14, shrinks: 22 };
    const v = render(<SimulateDashboard meta={meta} state={state} summary={summary({ result: 'violation', violation: { kind: 'invariant', name: 'Agreement' }, simulation: sim })} />).lastFrame()!;
    expect(v).toContain('✘ violation: invariant Agreement');
    expect(v).toContain('Violation of invariant Agreement, seed 1: shrunk from 36 to 14 states (22 shrinks)');
    const i = render(<SimulateDashboard meta={meta} state={stopping(state)} summary={summary({ result: 'error', error: { code: 'INTERRUPTED', message: '' } })} />).lastFrame()!;
    expect(i).toContain('■ interrupted');
  });

  test('many seeds on a short terminal: the list is cut and says how many are left out', () => {
    const running = Array.from({ length: 12 }, (_, k) => ({ seed: k, worker: k + 1, elapsedMs: 10, walks: 1, steps: 9, deepest: 10, shrinking: null }));
    const f = render(<SimulateDashboard meta={{ ...meta, workers: 12 }} state={advanceSimulate(initialSimulateDashboardState, progress({ running }))} rows={20} />).lastFrame()!;
    expect(f).toContain('… and 8 more seeds');
    expect(f.split('\n').length).toBeLessThan(20);
  });
});

describe('startSimulateDashboard', () => {
  test('draws updates, says when Ctrl-C stops the run, and resolves finish() with the final frame', async () => {
    const stdout = new FakeStdout(100, 40);
    const d = startSimulateDashboard(meta, { stdout: stdout as unknown as NodeJS.WriteStream });
    d.update(progress({ elapsedMs: 250, walks: 777, running: [] }));
    await waitFor(() => stdout.text().includes('777'), () => `777 in ${stdout.text()}`);
    d.interrupt();
    await waitFor(() => stdout.text().includes('■ stopping (Ctrl-C again to quit at once)'), () => `stopping in ${stdout.text()}`);
    await d.finish(summary({ result: 'error', error: { code: 'INTERRUPTED', message: '' } }));
    const out = stripAnsi(stdout.text());
    expect(out).toContain('■ interrupted');
    // Updates after the end are ignored.
    d.update(progress());
    d.interrupt();
    await d.finish(summary());
  });
});
