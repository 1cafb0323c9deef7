import { render } from 'ink-testing-library';
import { describe, expect, test } from 'vitest';
import type { Progress } from '../engine/explore.js';
import { Dashboard } from './Dashboard.js';
import { advance, initialDashboardState, RATE_HISTORY } from './dashboard-state.js';
import { startDashboard } from './screens.js';
import { sparkline } from './Sparkline.js';
import { FakeStdout, stripAnsi, waitFor } from './test-support.js';

const meta = { spec: 'specs/paxos.cfg', model: 'paxos', workers: 2 };

function progress(over: Partial<Progress> = {}): Progress {
  return {
    elapsedMs: 1000,
    distinctStates: 12_345,
    statesGenerated: 67_890,
    queue: 4_321,
    depth: 9,
    workers: 2,
    coverage: [
      { action: 'Phase1a', fired: 300, distinct: 3 },
      { action: 'Phase1b', fired: 20_000, distinct: 6_000 },
      { action: 'Phase2a', fired: 0, distinct: 0 },
    ],
    ...over,
  };
}

describe('sparkline', () => {
  test('scales to the largest value', () => {
    expect(sparkline([0, 1, 2, 4, 8], 5)).toBe('▁▂▃▅█');
    expect(sparkline([5, 5], 2)).toBe('██');
    expect(sparkline([], 5)).toBe('');
  });
  test('keeps the most recent values', () => {
    expect(sparkline([8, 0, 0, 8], 2)).toBe('▁█');
  });
});

describe('dashboard state', () => {
  test('rates are measured between reports', () => {
    let s = advance(initialDashboardState, progress({ elapsedMs: 500, distinctStates: 1000, statesGenerated: 5000 }));
    expect(s.rates).toEqual([2000]);
    s = advance(s, progress({ elapsedMs: 1000, distinctStates: 2000, statesGenerated: 9000 }));
    expect(s.rates.at(-1)).toBe(2000);
    expect(s.generatedRate).toBe(8000);
    // Reports older than the one-second window stop counting.
    s = advance(s, progress({ elapsedMs: 2000, distinctStates: 2500, statesGenerated: 10_000 }));
    expect(s.rates.at(-1)).toBe(500);
  });
  test('the history is bounded', () => {
    let s = initialDashboardState;
    for (let i = 1; i <= RATE_HISTORY + 10; i++) s = advance(s, progress({ elapsedMs: i * 250, distinctStates: i * 10 }));
    expect(s.rates.length).toBe(RATE_HISTORY);
  });
});

describe('Dashboard', () => {
  test('shows the numbers, the rate chart and the coverage, highlighting actions that never fired', () => {
    let state = advance(initialDashboardState, progress({ elapsedMs: 500, distinctStates: 6000, statesGenerated: 30_000 }));
    state = advance(state, progress());
    const { lastFrame } = render(<Dashboard meta={meta} state={state} />);
    const f = lastFrame()!;
    expect(f).toContain('quorum check specs/paxos.cfg');
    expect(f).toContain('● running');
    expect(f).toMatch(/Distinct states\s+12,345/);
    expect(f).toMatch(/States generated\s+67,890/);
    expect(f).toMatch(/Queue\s+4,321/);
    expect(f).toMatch(/Depth\s+9/);
    expect(f).toMatch(/Workers\s+2/);
    expect(f).toMatch(/Elapsed\s+1\.0s/);
    expect(f).toMatch(/Distinct states\/s\s+12,690/); // (12,345 - 6,000) / 0.5 s
    expect(f).toMatch(/distinct states\/s\s+[▁▂▃▄▅▆▇█]{2}\s+peak 12,690\/s/);
    expect(f).toMatch(/Phase1b\s+20,000\s+6,000/);
    expect(f).toMatch(/Phase2a\s+0\s+0\s+not fired yet/);
    expect(f).not.toMatch(/Phase1a.*not fired/);
  });

  test('the final frame shows the outcome, averages and actions that never fired', () => {
    const state = advance(initialDashboardState, progress());
    const summary = {
      status: 'ok',
      distinctStates: 185_369,
      statesGenerated: 1_000_000,
      depth: 25,
      elapsedMs: 10_000,
      coverage: progress().coverage,
    };
    const f = render(<Dashboard meta={meta} state={state} summary={summary} />).lastFrame()!;
    expect(f).toContain('✔ done: no violation');
    expect(f).toMatch(/Distinct states\s+185,369/);
    expect(f).toMatch(/Depth\s+25/);
    expect(f).toMatch(/Distinct\/s \(avg\)\s+18,537/);
    expect(f).toMatch(/Phase2a\s+0\s+0\s+⚠ never fired/);
  });

  test('a violation and an interruption read as such (a RunReport is accepted as the summary)', () => {
    const base = { distinctStates: 10, statesGenerated: 20, depth: 3, elapsedMs: 100 };
    const v = render(<Dashboard meta={meta} state={initialDashboardState} summary={{ ...base, result: 'violation', violation: { kind: 'invariant', name: 'Agreement' } }} />);
    expect(v.lastFrame()).toContain('✘ violation: invariant Agreement');
    // The run stopped early: an action that did not fire may still be fine.
    const stopped = render(
      <Dashboard meta={meta} state={initialDashboardState} summary={{ ...base, result: 'violation', coverage: [{ action: 'Phase2a', fired: 0, distinct: 0 }] }} />,
    );
    expect(stopped.lastFrame()).toMatch(/Phase2a\s+0\s+0\s+did not fire/);
    const i = render(<Dashboard meta={meta} state={initialDashboardState} summary={{ ...base, result: 'error', error: { code: 'INTERRUPTED', message: '' } }} />);
    expect(i.lastFrame()).toContain('■ interrupted');
  });
});

describe('startDashboard', () => {
  test('draws updates and resolves finish() with the final frame', async () => {
    const stdout = new FakeStdout(100, 40);
    const d = startDashboard(meta, { stdout: stdout as unknown as NodeJS.WriteStream });
    d.update(progress({ elapsedMs: 250, distinctStates: 100 }));
    d.update(progress({ elapsedMs: 500, distinctStates: 777 }));
    await waitFor(() => stdout.text().includes('777'), () => `777 in ${stdout.text()}`);
    await d.finish({ result: 'ok', distinctStates: 4242, statesGenerated: 9999, depth: 7, elapsedMs: 600 });
    const out = stripAnsi(stdout.text());
    expect(out).toContain('✔ done: no violation');
    expect(out).toMatch(/Distinct states\s+4,242/);
    // Updates after the end are ignored.
    d.update(progress({ distinctStates: 1 }));
    await d.finish({ result: 'ok', distinctStates: 1, statesGenerated: 1, depth: 1, elapsedMs: 1 });
  });
});

describe('Dashboard on a short terminal', () => {
  test('lists the actions that never fired first and says how many are left out', () => {
    const coverage = Array.from({ length: 12 }, (_, i) => ({ action: `A${i}`, fired: i === 9 ? 0 : 10, distinct: i === 9 ? 0 : 1 }));
    const f = render(<Dashboard meta={meta} state={advance(initialDashboardState, progress({ coverage }))} rows={18} />).lastFrame()!;
    expect(f).toMatch(/A9\s+0\s+0\s+not fired yet/);
    expect(f).toContain('… and 8 more actions');
    expect(f.split('\n').length).toBeLessThan(18);
  });
});
