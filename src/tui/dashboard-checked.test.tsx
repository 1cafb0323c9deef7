// The final dashboard says what was checked, and a run stopped at a bound reads as such.
import { render } from 'ink-testing-library';
import { describe, expect, test } from 'vitest';
import type { Checked } from '../cli/checked.js';
import { Dashboard } from './Dashboard.js';
import { initialDashboardState } from './dashboard-state.js';

const meta = { spec: 'specs/paxos.cfg', model: 'paxos', workers: 1 };
const checked: Checked = {
  constants: { Acceptor: ['a1', 'a2', 'a3'], Value: ['v1', 'v2'], MaxBallot: 1 },
  overrides: { MaxBallot: '1' },
  invariants: ['Agreement', 'TypeOK'],
  properties: [],
  constraints: [],
  actionConstraints: [],
  symmetry: ['Acceptor'],
  fairness: ['WF(Phase1a(1))'],
  view: null,
  checkDeadlock: true,
  terminal: false,
  bounds: { maxDepth: 5, maxStates: null, timeoutSeconds: null },
};
const base = { distinctStates: 51, statesGenerated: 114, depth: 5, elapsedMs: 1300, queue: 29, workers: 1, coverage: [] };

describe('the final dashboard', () => {
  test('records the constants (overrides marked), the properties, symmetry, fairness and bounds', () => {
    const f = render(<Dashboard meta={meta} state={initialDashboardState} summary={{ ...base, result: 'ok', checked }} />).lastFrame()!;
    expect(f).toContain('Checked: invariants Agreement, TypeOK · deadlock · symmetry Acceptor · fairness WF(Phase1a(1))');
    expect(f).toContain('Constants: Acceptor = {a1, a2, a3}, Value = {v1, v2}, MaxBallot = 1 (--const)');
  });

  test('a run stopped at a bound is neither "done" nor a violation', () => {
    const f = render(<Dashboard meta={meta} state={initialDashboardState} summary={{ ...base, result: 'bounded', bound: { flag: '--max-depth 5' }, checked }} />).lastFrame()!;
    expect(f).toContain('■ stopped at a bound: --max-depth 5');
    expect(f).not.toContain('done: no violation');
  });
});
