// The text trace, TLC-style, on small hand-written trace files: headers, numbering, changes, and
// the forms for deadlocks, action properties, reachability and liveness lassos.
import { describe, expect, it } from 'vitest';
import { describeViolation, renderTraceText } from './render-text.js';
import { TRACE_FORMAT, type TraceFile, type TraceFileStep } from './trace-file.js';

function step(index: number, action: string, vars: Record<string, string>, changes: TraceFileStep['changes'] = []): TraceFileStep {
  return { index, action, actionName: action.replace(/\(.*/, ''), args: {}, state: null, vars, changes };
}

function file(violation: TraceFile['violation'], trace: TraceFileStep[]): TraceFile {
  return { format: TRACE_FORMAT, model: 'm', violation, trace };
}

const three = [
  step(1, 'Init', { x: '0', s: '{}' }),
  step(2, 'Inc', { x: '1', s: '{}' }, [{ path: ['x'], before: '0', after: '1' }]),
  step(3, 'Add(a)', { x: '1', s: '{a}' }, [{ path: ['s'], added: ['a'], removed: [] }, { path: ['m', 'k'], after: '2' }, { path: ['m', 'j'], before: '5' }]),
];

describe('renderTraceText', () => {
  it('an invariant violation: header, numbered states, the first in full, then the changes', () => {
    expect(renderTraceText(file({ kind: 'invariant', name: 'Small' }, three))).toBe(
      [
        'Invariant Small is violated. A shortest counterexample has 3 states (2 steps):',
        '',
        'State 1: Init',
        '  x = 0',
        '  s = {}',
        '',
        'State 2: Inc',
        '  x: 0 → 1',
        '',
        'State 3: Add(a)',
        '  s: + a',
        '  m.k: (new) 2',
        '  m.j: 5 (removed)',
        '',
        'The violating state (state 3) in full:',
        '  x = 1',
        '  s = {a}',
      ].join('\n'),
    );
  });

  it('the violating state in full, with the variables the property reads marked', () => {
    const text = renderTraceText(file({ kind: 'invariant', name: 'Small', reads: ['x'] }, three));
    expect(text.split('\n').slice(-3)).toEqual(['The violating state (state 3) in full (» marks what Small reads):', '» x = 1', '  s = {a}']);
    const full = renderTraceText(file({ kind: 'invariant', name: 'Small', reads: ['x'] }, three), { full: true });
    expect(full.split('\n').slice(-4)).toEqual(['State 3: Add(a)', '» x = 1', '  s = {a}', '  (» marks what Small reads)']);
  });

  it('full: every variable of every state', () => {
    const text = renderTraceText(file({ kind: 'invariant', name: 'Small' }, three), { full: true });
    expect(text).toContain('State 2: Inc\n  x = 1\n  s = {}');
    expect(text).toContain('State 3: Add(a)\n  x = 1\n  s = {a}');
    expect(text).not.toContain('→');
  });

  it('a stuttering step, one-state and two-state traces', () => {
    const stutter = [step(1, 'Init', { x: '0' }), step(2, 'Noop', { x: '0' })];
    expect(renderTraceText(file({ kind: 'deadlock', name: 'Deadlock' }, stutter))).toBe(
      [
        'Deadlock reached. A shortest counterexample has 2 states (1 step):',
        '',
        'State 1: Init',
        '  x = 0',
        '',
        'State 2: Noop',
        '  (nothing changed)',
        '',
        'The violating state (state 2) in full:',
        '  x = 0',
        '',
        'If the protocol may properly end in this state, declare its end states in the model: `terminal: (s) => …` beside `init` and `actions` (states it accepts are not deadlocks). CHECK_DEADLOCK FALSE turns the check off, which also hides real deadlocks.',
      ].join('\n'),
    );
    expect(renderTraceText(file({ kind: 'invariant', name: 'Init0' }, [step(1, 'Init', { x: '9' })])).split('\n')[0]).toBe(
      'Invariant Init0 is violated. A shortest counterexample has 1 state (0 steps):',
    );
  });

  it('an action property, and a reachability property with no trace', () => {
    expect(renderTraceText(file({ kind: 'action', name: 'Monotone' }, three)).split('\n')[0]).toBe(
      'Action property Monotone is violated by the last step. A shortest counterexample has 3 states (2 steps):',
    );
    expect(renderTraceText(file({ kind: 'reachability', name: 'CanCommit' }, []))).toBe('Reachability property CanCommit fails: no reachable state satisfies it.');
  });

  it('liveness: a lasso with its loop marker and the step back, or stuttering forever', () => {
    const lasso = renderTraceText(file({ kind: 'liveness', name: 'Live', loopStart: 1, loopAction: 'Back' }, three));
    const ls = lasso.split('\n');
    expect(ls[0]).toBe('Temporal property Live is violated. A counterexample has 3 states (2 steps), then a cycle:');
    expect(ls).toContain('State 2: Inc   <- the cycle starts here');
    expect(ls[ls.length - 1]).toBe('Back to state 2: Back (the cycle repeats forever).');
    const stuck = renderTraceText(file({ kind: 'liveness', name: 'Live', stuttering: true }, three));
    expect(stuck.split('\n')[0]).toBe('Temporal property Live is violated (by stuttering). A counterexample has 3 states (2 steps):');
    expect(stuck.endsWith('Stuttering at state 3 forever: no fair action is enabled there.')).toBe(true);
  });
});

describe('describeViolation', () => {
  it('one sentence per kind', () => {
    expect(describeViolation({ violation: { kind: 'invariant', name: 'I' } })).toBe('Invariant I is violated.');
    expect(describeViolation({ violation: { kind: 'deadlock', name: 'Deadlock' } })).toBe('Deadlock reached.');
    expect(describeViolation({ violation: { kind: 'liveness', name: 'L' } })).toBe('Temporal property L is violated.');
    expect(describeViolation({ violation: { kind: 'custom', name: 'C' } })).toBe('Custom property C is violated.');
  });
});
