// The machine-readable trace: built from the paxos-naive counterexample (displays, changes, per-node
// and message views), written as JSON and read back; and what readTraceFile refuses.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkModel, type CheckResult } from '../engine/index.js';
import type { CompiledModel } from '../engine/compiled-model.js';
import { QuorumError } from '../model/errors.js';
import naive from '../../models/paxos-naive.js';
import jumpy from '../engine/test-models/jumpy.js';
import { buildTraceFile, readTraceFile, TRACE_FORMAT, type TraceFile } from './trace-file.js';
import { renderTraceText } from './render-text.js';

const K = { Acceptor: ['a1', 'a2', 'a3'], Value: ['v1', 'v2'], MaxBallot: 2 };
const dir = mkdtempSync(join(tmpdir(), 'quorum-trace-test-'));

let run: CheckResult<unknown>;
let file: TraceFile;

beforeAll(async () => {
  run = (await checkModel(naive, { constants: K, invariants: ['Agreement'], workers: 0 })) as unknown as CheckResult<unknown>;
  const v = run.violation!;
  // As the CLI calls it: the violation's description, and its trace.
  file = buildTraceFile(run.compiled as CompiledModel<unknown>, { kind: v.kind, name: v.name, loopStart: v.loopStart, loopAction: v.loopAction, stuttering: v.stuttering }, v.trace, {
    spec: 'specs/paxos-naive.cfg',
    constants: K,
  });
}, 120_000);

function readError(path: string): QuorumError {
  let err: unknown;
  try {
    readTraceFile(path);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(QuorumError);
  expect((err as QuorumError).where).toBe(path);
  return err as QuorumError;
}

describe('buildTraceFile on the paxos-naive counterexample', () => {
  it('has the format, model, spec, constants and violation', () => {
    expect(file.format).toBe(TRACE_FORMAT);
    expect(file.model).toBe('paxos-naive');
    expect(file.spec).toBe('specs/paxos-naive.cfg');
    expect(file.constants).toEqual(K);
    // Agreement reads the 2b messages only: the variable the violating state highlights.
    expect(file.violation).toEqual({ kind: 'invariant', name: 'Agreement', reads: ['msgs'] });
    expect(file.nodes).toEqual(['a1', 'a2', 'a3']);
    expect(file.trace).toHaveLength(13);
  });

  it('numbers steps from 1, with actions, plain arguments and plain states', () => {
    file.trace.forEach((step, i) => {
      expect(step.index).toBe(i + 1);
      expect(step.action).toBe(run.violation!.trace[i]!.action);
      expect(step.actionName).toBe(run.violation!.trace[i]!.actionName);
    });
    expect(file.trace[0]!.action).toBe('Init');
    expect(file.trace[0]!.args).toEqual({});
    const phase1a = file.trace.find((s) => s.actionName === 'Phase1a')!;
    expect(phase1a.args).toEqual({ b: expect.any(Number) });
    const phase2b = file.trace.find((s) => s.actionName === 'Phase2b')!;
    expect(Object.keys(phase2b.args).sort()).toEqual(['a', 'b', 'v']);
    expect(file.trace[0]!.state).toEqual({
      maxBal: { a1: -1, a2: -1, a3: -1 },
      maxVBal: { a1: -1, a2: -1, a3: -1 },
      maxVal: { a1: 'None', a2: 'None', a3: 'None' },
      msgs: [],
    });
  });

  it('shows every variable in each state, and what each step changed', () => {
    expect(file.trace[0]!.vars).toEqual({
      maxBal: '[a1 |-> -1, a2 |-> -1, a3 |-> -1]',
      maxVBal: '[a1 |-> -1, a2 |-> -1, a3 |-> -1]',
      maxVal: '[a1 |-> None, a2 |-> None, a3 |-> None]',
      msgs: '{}',
    });
    expect(file.trace[0]!.changes).toEqual([]);
    for (const step of file.trace.slice(1)) {
      expect(step.changes.length).toBeGreaterThan(0);
      // Every step of Paxos sends a message (Phase1a/1b/2a/2b all add to msgs).
      const msgs = step.changes.find((c) => c.path.join('.') === 'msgs')!;
      expect(msgs.added).toHaveLength(1);
      expect(msgs.removed).toEqual([]);
    }
    const first1b = file.trace.find((s) => s.actionName === 'Phase1b')!;
    expect(first1b.changes.some((c) => c.path[0] === 'maxBal' && c.path.length === 2 && c.before === '-1')).toBe(true);
    expect(first1b.changes.find((c) => c.path[0] === 'msgs')!.added![0]).toMatch(/^1b\{a\d, bal \d, mbal -1, mval None\}$/);
  });

  it('has the per-node view and the messages in flight, sent and received', () => {
    const last = file.trace[12]!;
    for (const step of file.trace) {
      expect(Object.keys(step.nodes!)).toEqual(['a1', 'a2', 'a3']);
      expect(Object.keys(step.nodes!.a1!)).toEqual(['maxBal', 'maxVBal', 'maxVal']);
      expect(step.messages).toHaveLength((step.state as { msgs: unknown[] }).msgs.length);
      expect(step.received).toEqual([]); // messages are never removed
    }
    expect(file.trace[0]!.messages).toEqual([]);
    expect(file.trace[0]!.sent).toEqual([]);
    for (const step of file.trace.slice(1)) expect(step.sent).toHaveLength(1);
    expect(file.trace[1]!.sent).toEqual([{ from: 'proposer', label: expect.stringMatching(/^1a bal \d$/) }]);
    const twoBs = last.messages!.filter((m) => m.label.startsWith('2b'));
    expect(new Set(twoBs.map((m) => m.label.slice(-2)))).toEqual(new Set(['v1', 'v2']));
    // Some acceptor's latest vote is shown per node.
    expect(Object.values(last.nodes!).some((n) => n.maxVal === 'v1' || n.maxVal === 'v2')).toBe(true);
  });

  it('survives a JSON round trip through readTraceFile', () => {
    const path = join(dir, 'paxos-naive.json');
    writeFileSync(path, JSON.stringify(file, null, 2));
    const back = readTraceFile(path);
    expect(back).toEqual(JSON.parse(JSON.stringify(file)));
    // And renders the same as the original.
    expect(renderTraceText(back)).toBe(renderTraceText(file));
  });
});

describe('renderTraceText on the paxos-naive counterexample', () => {
  it('numbers the states TLC-style, prints the first in full and then only what changed', () => {
    const text = renderTraceText(file);
    const ls = text.split('\n');
    expect(ls[0]).toBe('Invariant Agreement is violated. A shortest counterexample has 13 states (12 steps):');
    expect(ls[1]).toBe('');
    expect(ls[2]).toBe('State 1: Init');
    expect(ls.slice(3, 7)).toEqual([
      '  maxBal = [a1 |-> -1, a2 |-> -1, a3 |-> -1]',
      '  maxVBal = [a1 |-> -1, a2 |-> -1, a3 |-> -1]',
      '  maxVal = [a1 |-> None, a2 |-> None, a3 |-> None]',
      '  msgs = {}',
    ]);
    const headers = ls.filter((l) => l.startsWith('State '));
    expect(headers).toHaveLength(13);
    headers.forEach((h, i) => expect(h).toBe(`State ${i + 1}: ${file.trace[i]!.action}`));
    expect(ls).toContain(`State 2: ${file.trace[1]!.action}`);
    // After state 1, each state lists its changes, indented.
    const at2 = ls.indexOf(`State 2: ${file.trace[1]!.action}`);
    expect(ls[at2 + 1]).toMatch(/^ {2}msgs: \+ 1a\{bal \d\}$/);
    expect(text).toMatch(/\n {2}maxBal\.a\d: -1 → \d\n/);
    expect(text).not.toContain('(nothing changed)');
  });

  it('--full prints every variable of every state', () => {
    const text = renderTraceText(file, { full: true });
    expect(text.split('\n').filter((l) => l.startsWith('  msgs = '))).toHaveLength(12);
    // The last state marks what Agreement reads.
    expect(text.split('\n').filter((l) => l.startsWith('» msgs = '))).toHaveLength(1);
    expect(text).toContain('(» marks what Agreement reads)');
    expect(text).not.toMatch(/→/);
  });
});

describe('a counterexample whose last step the ACTION_CONSTRAINT discards', () => {
  it('marks that step in the trace, the trace file and the text', async () => {
    const r = await checkModel(jumpy, { constants: {}, invariants: ['Lt9'], actionConstraints: ['NoJump'], checkDeadlock: false });
    const v = r.violation!;
    expect(v.trace.map((s) => s.discarded ?? false)).toEqual([false, false, true]);
    const t = buildTraceFile(r.compiled as CompiledModel<unknown>, { kind: v.kind, name: v.name }, v.trace);
    expect(t.trace.map((s) => s.discarded ?? false)).toEqual([false, false, true]);
    expect(renderTraceText(t)).toContain('State 3: Jump   <- a step the ACTION_CONSTRAINT discards; its state is still checked');
    expect(renderTraceText(t)).not.toMatch(/State 2: Inc .*discards/);
  });
});

describe('readTraceFile refuses what is not a trace', () => {
  it('a missing file: FILE_NOT_FOUND', () => {
    expect(readError(join(dir, 'nope.json')).code).toBe('FILE_NOT_FOUND');
  });

  it('not JSON: CFG_SYNTAX', () => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, '{ "format": ');
    const e = readError(path);
    expect(e.code).toBe('CFG_SYNTAX');
    expect(e.message).toMatch(/^not valid JSON/);
  });

  it('JSON of another kind: CFG_INVALID', () => {
    for (const [name, content] of [
      ['null.json', 'null'],
      ['array.json', '[]'],
      ['other.json', JSON.stringify({ format: 'something-else/1', trace: [], violation: {} })],
      ['notrace.json', JSON.stringify({ format: TRACE_FORMAT, violation: { kind: 'invariant', name: 'X' } })],
      ['noviolation.json', JSON.stringify({ format: TRACE_FORMAT, trace: [] })],
    ] as const) {
      const path = join(dir, name);
      writeFileSync(path, content);
      const e = readError(path);
      expect(e.code).toBe('CFG_INVALID');
      expect(e.message).toContain(TRACE_FORMAT);
    }
  });

  it('a malformed step: CFG_INVALID naming the step', () => {
    const path = join(dir, 'step.json');
    const good = { index: 1, action: 'Init', actionName: 'Init', args: {}, state: 1, vars: { state: '1' }, changes: [] };
    writeFileSync(path, JSON.stringify({ format: TRACE_FORMAT, model: 'm', violation: { kind: 'invariant', name: 'I' }, trace: [good, { ...good, index: 2, changes: 'oops' }] }));
    const e = readError(path);
    expect(e.code).toBe('CFG_INVALID');
    expect(e.message).toBe('trace step 2 is malformed (needs action, vars, changes)');
    writeFileSync(path, JSON.stringify({ format: TRACE_FORMAT, model: 'm', violation: { kind: 'invariant', name: 'I' }, trace: [null] }));
    expect(readError(path).message).toMatch(/^trace step 1 is malformed/);
  });
});
