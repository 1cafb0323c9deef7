// Trace interchange: ITF against the format's rules, Mermaid and DOT parsed back, replay of our traces
// and of ITF (a step that is not a successor is found, with what differs). Small models, fixed traces.
import { Map as IMap, List, Record as IRecord, Set as ISet } from 'immutable';
import { describe, expect, it } from 'vitest';
import { CompiledModel } from '../engine/compiled-model.js';
import jumpy from '../engine/test-models/jumpy.js';
import counters from '../simulate/test-models/counters.js';
import { runSeed } from '../simulate/search.js';
import { replayFinding } from '../simulate/index.js';
import { canonical, itfToPlain, toItf, toItfValue, validateItf } from './itf.js';
import { renderMermaid } from './mermaid.js';
import { stateGraphDot } from './dot.js';
import { replayTrace, traceToReplay } from './replay-trace.js';
import { buildTraceFile, type TraceFile } from './trace-file.js';

const Msg = IRecord({ from: '', to: '', body: '' });

describe('ITF', () => {
  it('tags integers, sets, maps; records are objects, lists arrays', () => {
    const v = IMap({ n: 3, s: ISet(['b', 'a']), m: IMap([[1, true]]), l: List([Msg({ from: 'p', to: 'q', body: 'hi' })]), z: null });
    expect(toItfValue(v)).toEqual({
      '#map': [
        ['l', [{ from: 'p', to: 'q', body: 'hi' }]],
        ['m', { '#map': [[{ '#bigint': '1' }, true]] }],
        ['n', { '#bigint': '3' }],
        ['s', { '#set': ['a', 'b'] }],
        ['z', { '#unserializable': 'null' }],
      ],
    });
    expect(toItfValue(2 ** 60)).toEqual({ '#unserializable': String(2 ** 60) });
  });

  it('writes a trace the format accepts: #meta, vars, states with every variable, loop', () => {
    const states = [IMap({ x: 0, y: ISet<number>() }), IMap({ x: 1, y: ISet([1]) })];
    const t = toItf(states.map((state, i) => ({ action: i === 0 ? 'Init' : 'Inc', state })), { model: 'm', loop: 0 });
    expect(t['#meta'].format).toBe('ITF');
    expect(t.vars).toEqual(['x', 'y']);
    expect(t.states.map((s) => s['#meta'].index)).toEqual([0, 1]);
    expect(t.loop).toBe(0);
    expect(validateItf(JSON.parse(JSON.stringify(t)))).toBeTruthy();
  });

  it('rejects what the format does not allow', () => {
    const base = { '#meta': {}, vars: ['x'], states: [{ '#meta': { index: 0 }, x: { '#bigint': '1' } }] };
    expect(() => validateItf({ ...base, vars: 'x' })).toThrow(/vars/);
    expect(() => validateItf({ ...base, states: [{ '#meta': { index: 0 } }] })).toThrow(/no variable x/);
    expect(() => validateItf({ ...base, states: [{ x: { '#bigint': '1.5' } }] })).toThrow(/decimal digits/);
    expect(() => validateItf({ ...base, states: [{ x: { '#set': 1 } }] })).toThrow(/#set takes an array/);
    expect(() => validateItf({ ...base, states: [{ x: { '#map': [[1]] } }] })).toThrow(/key, value/);
    expect(() => validateItf({ ...base, states: [{ x: 0.5 }] })).toThrow(/integer/);
    expect(() => validateItf({ ...base, states: [{ x: { '#foo': 1 } }] })).toThrow(/unknown tag/);
    expect(() => validateItf({ ...base, loop: 3 })).toThrow(/loop/);
    expect(() => validateItf({ ...base, states: [{ x: 1, w: 2 }] })).toThrow(/not in "vars"/);
  });

  it('reads back: canonical text ignores the order of sets, maps and fields; #tup and numbers as plain', () => {
    expect(canonical({ '#set': [2, 1] })).toBe(canonical({ '#set': [1, 2] }));
    expect(canonical({ a: 1, b: { '#map': [['k', 1], ['j', 2]] } })).toBe(canonical({ b: { '#map': [['j', 2], ['k', 1]] }, a: 1 }));
    expect(itfToPlain({ t: { '#tup': [{ '#bigint': '7' }, 'x'] }, n: 5, u: { '#unserializable': 'null' } })).toEqual({ t: [7, 'x'], n: 5, u: null });
  });
});

function countersModel(limit = 3): CompiledModel<unknown> {
  return new CompiledModel<unknown>(counters as never, counters.build({ Limit: limit }) as never, { invariants: ['XBelowLimit'] });
}

/** A shrunk counterexample of the counters model (fixed seed), as a trace file. */
function countersTrace(): { model: CompiledModel<unknown>; file: TraceFile } {
  const model = countersModel();
  const settings = { depth: 20, walks: 20, swarm: false, balance: 'action' as const };
  const f = runSeed(model, settings, 5).finding!;
  const steps = replayFinding(model, settings, f);
  return { model, file: JSON.parse(JSON.stringify(buildTraceFile(model, { kind: 'invariant', name: 'XBelowLimit' }, steps))) };
}

describe('replay', () => {
  it('accepts our own trace and its ITF export', () => {
    const { model, file } = countersTrace();
    expect(replayTrace(model, traceToReplay(file)).ok).toBe(true);
    const steps = replayTrace(model, traceToReplay(file)).steps;
    const itf = JSON.parse(JSON.stringify(toItf(steps, { model: 'counters' })));
    const r = replayTrace(model, traceToReplay(itf));
    expect(r.ok).toBe(true);
    expect(r.steps.length).toBe(file.trace.length);
  });

  it('names the first step that is not a successor, with the closest successor and the difference', () => {
    const { model, file } = countersTrace();
    const steps = replayTrace(model, traceToReplay(file)).steps;
    const itf = toItf(steps, { model: 'counters' });
    // State 3 claims x jumped by 2.
    (itf.states[2] as Record<string, unknown>).x = { '#bigint': '5' };
    const r = replayTrace(model, traceToReplay(JSON.parse(JSON.stringify(itf))));
    expect(r.ok).toBe(false);
    expect(r.failedAt).toBe(3);
    expect(r.closest!.differences).toEqual([{ variable: 'x', expected: '{"#bigint":"2"}', found: '{"#bigint":"5"}' }]);
  });

  it('a first state that is not initial fails at 1', () => {
    const itf = { '#meta': {}, vars: ['x', 'y'], states: [{ '#meta': { index: 0 }, x: { '#bigint': '1' }, y: { '#bigint': '0' } }] };
    const r = replayTrace(countersModel(), traceToReplay(itf));
    expect(r).toMatchObject({ ok: false, failedAt: 1 });
  });
});

/** Parses the subset of Mermaid sequence diagrams renderMermaid writes; throws on anything else. */
function parseMermaid(src: string) {
  const lines = src.split('\n');
  if (lines[0] !== 'sequenceDiagram') throw new Error('no header');
  const participants = new Map<string, string>();
  const arrows: [string, string, string][] = [];
  const notes: string[] = [];
  const known = (id: string) => {
    if (!participants.has(id)) throw new Error(`undeclared ${id}`);
    return participants.get(id)!;
  };
  const unescape = (s: string) => {
    if (/;/.test(s.replace(/#\d+;/g, '')) || /#(?!\d+;)/.test(s)) throw new Error(`unescaped text: ${s}`);
    return s.replace(/#(\d+);/g, (_, c) => String.fromCharCode(Number(c)));
  };
  for (const line of lines.slice(1)) {
    let m: RegExpExecArray | null;
    if ((m = /^ {2}participant ([A-Za-z_]\w*) as (.+)$/.exec(line))) {
      if (arrows.length || notes.length) throw new Error('participant after a message');
      participants.set(m[1]!, unescape(m[2]!));
    } else if ((m = /^ {2}([A-Za-z_]\w*)->>([A-Za-z_]\w*): (.*)$/.exec(line))) arrows.push([known(m[1]!), known(m[2]!), unescape(m[3]!)]);
    else if ((m = /^ {2}Note (?:over|right of|left of) ([A-Za-z_]\w*)(?:,([A-Za-z_]\w*))?: (.*)$/.exec(line))) {
      known(m[1]!);
      if (m[2]) known(m[2]);
      notes.push(unescape(m[3]!));
    } else throw new Error(`not a statement: ${line}`);
  }
  return { participants: [...participants.values()], arrows, notes };
}

describe('Mermaid', () => {
  it('draws the messages each step sent between the model nodes, escaped, and parses back', () => {
    const file: TraceFile = {
      format: 'quorum-trace/1',
      model: 'm',
      violation: { kind: 'invariant', name: 'Safe' },
      nodes: ['n1', 'n2'],
      trace: [
        { index: 1, action: 'Init', actionName: 'Init', args: {}, state: {}, vars: {}, changes: [], sent: [] },
        { index: 2, action: 'Send(n1; #1)', actionName: 'Send', args: {}, state: {}, vars: {}, changes: [], sent: [{ from: 'n1', to: 'n2', label: 'req #1; hi' }] },
        { index: 3, action: 'Reply', actionName: 'Reply', args: {}, state: {}, vars: {}, changes: [], received: [{ from: 'n1', to: 'n2', label: 'req #1; hi' }], sent: [{ from: 'n2', to: 'client', label: 'ack' }, { from: 'n2', label: 'gossip' }] },
      ],
    };
    const p = parseMermaid(renderMermaid(file));
    expect(p.participants).toEqual(['n1', 'n2', 'client']);
    expect(p.arrows).toEqual([
      ['n1', 'n2', 'req #1; hi'],
      ['n2', 'client', 'ack'],
    ]);
    expect(p.notes).toContain('2. Send(n1; #1)');
    expect(p.notes).toContain('receives req #1; hi');
    expect(p.notes).toContain('broadcasts gossip');
    expect(p.notes.at(-1)).toBe('invariant Safe violated');
  });
});

/** Parses the DOT that stateGraphDot writes: nodes and edges with their attributes. */
function parseDot(src: string) {
  const lines = src.split('\n');
  if (!/^digraph "(?:[^"\\]|\\.)*" \{$/.test(lines[0]!) || lines.at(-1) !== '}') throw new Error('not a digraph');
  const str = '"(?:[^"\\\\]|\\\\.)*"';
  const attr = `(\\w+)=(${str}|[\\w#.]+)`;
  const attrs = (s: string) => Object.fromEntries([...s.matchAll(new RegExp(attr, 'g'))].map((m) => [m[1], m[2]!.startsWith('"') ? JSON.parse(m[2]!) : m[2]]));
  const nodes = new Map<string, Record<string, string>>();
  const edges: { from: string; to: string; a: Record<string, string> }[] = [];
  for (const line of lines.slice(1, -1)) {
    let m: RegExpExecArray | null;
    if ((m = new RegExp(`^ {2}(node|edge) \\[(.*)\\];$`).exec(line))) continue;
    if ((m = new RegExp(`^ {2}(\\w+) -> (\\w+) \\[((?:${attr}(?:, )?)*)\\];$`).exec(line))) {
      if (!nodes.has(m[1]!) || !nodes.has(m[2]!)) throw new Error(`edge to an undeclared node: ${line}`);
      edges.push({ from: m[1]!, to: m[2]!, a: attrs(m[3]!) });
    } else if ((m = new RegExp(`^ {2}(\\w+) \\[((?:${attr}(?:, )?)*)\\];$`).exec(line))) nodes.set(m[1]!, attrs(m[2]!));
    else throw new Error(`not a statement: ${line}`);
  }
  return { nodes, edges };
}

describe('DOT', () => {
  it('draws the state graph up to the limit, and the path to the first violation in red', () => {
    const model = new CompiledModel<unknown>(jumpy as never, jumpy.build({}) as never, { invariants: ['Lt9'] });
    const g = stateGraphDot(model, { maxStates: 50 });
    const p = parseDot(g.dot);
    // 0 -> 1 -> 2 -> 3 and 1 -> 9 (Jump, which violates Lt9).
    expect(p.nodes.size).toBe(5);
    expect(g.violation).toBe('Lt9');
    const red = p.edges.filter((e) => e.a.color === 'red').map((e) => `${p.nodes.get(e.from)!.label}>${p.nodes.get(e.to)!.label}:${e.a.label}`);
    expect(red).toEqual(['state = 0>state = 1:Inc', 'state = 1>state = 9:Jump']);
    expect([...p.nodes.values()].find((n) => n.label === 'state = 9')!.xlabel).toBe('violates Lt9');
  });

  it('stops at the state limit and says so', () => {
    const g = stateGraphDot(countersModel(100), { maxStates: 6 });
    const p = parseDot(g.dot);
    expect(g.truncated).toBe(true);
    expect(p.nodes.size).toBe(7); // six states and the note
    expect(p.nodes.get('more')!.label).toMatch(/limit 6/);
  });
});
