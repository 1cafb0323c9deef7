import { render } from 'ink-testing-library';
import { beforeAll, describe, expect, test } from 'vitest';
import { showChange } from '../trace/diff.js';
import { buildTraceFile, type TraceFile } from '../trace/trace-file.js';
import { checkModel, type CompiledModel } from '../engine/index.js';
import jumpy from '../engine/test-models/jumpy.js';
import { showTraceViewer } from './screens.js';
import { TraceViewer } from './TraceViewer.js';
import { FakeStdin, FakeStdout, KEYS, paxosNaiveTrace, sleep, waitFor } from './test-support.js';

let trace: TraceFile;
beforeAll(async () => {
  trace = await paxosNaiveTrace();
}, 60_000);

function mount(t: TraceFile = trace, props: Partial<Parameters<typeof TraceViewer>[0]> = {}) {
  let quit = 0;
  const r = render(<TraceViewer trace={t} onQuit={() => quit++} columns={100} rows={40} {...props} />);
  const frame = () => r.lastFrame() ?? '';
  const press = async (keys: string, until: (f: string) => boolean, what: string) => {
    r.stdin.write(keys);
    await waitFor(() => until(frame()), () => `${what}; last frame:\n${frame()}`);
  };
  return { ...r, frame, press, quits: () => quit };
}

const esc = (x: string) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('TraceViewer', () => {
  test('lists the steps beside the violating state, showing what it changed', async () => {
    const { frame } = mount();
    const f = frame();
    const n = trace.trace.length;
    const last = trace.trace[n - 1]!;
    expect(n).toBe(13); // a shortest counterexample
    expect(f).toContain('✘ Invariant Agreement is violated.');
    expect(f).toContain('paxos-naive · specs/paxos-naive.cfg · 13 states');
    for (const s of trace.trace.slice(0, -1)) expect(f).toMatch(new RegExp(`│ ${String(s.index).padStart(3)} ${esc(s.action)}`));
    expect(f).toMatch(new RegExp(`▸ 13 ${esc(last.action)}\\s+✘`));
    expect(f).toContain(`State 13/13: ${last.action}`);
    for (const c of last.changes) expect(f).toContain(showChange(c));
    expect(f).toContain('changes only');
    expect(f).toMatch(/Tab\/v view.*f full\/diff.*q quit/);
  });

  test('up/down and j/k move between steps', async () => {
    const v = mount();
    const at = (i: number) => `State ${i + 1}/13: ${trace.trace[i]!.action}`;
    await sleep(20);
    await v.press(KEYS.up, (f) => f.includes(at(11)), 'step 12');
    await v.press('k', (f) => f.includes(at(10)), 'step 11');
    for (const c of trace.trace[10]!.changes) expect(v.frame()).toContain(showChange(c));
    await v.press('j', (f) => f.includes(at(11)), 'back to step 12');
    await v.press(KEYS.down, (f) => f.includes(at(12)), 'back to step 13');
    await v.press(KEYS.down, (f) => f.includes(at(12)), 'stays on the last step');
    await v.press('g', (f) => f.includes('State 1/13: Init'), 'first step');
    // The initial state is shown in full.
    expect(v.frame()).toContain('maxBal = [a1 |-> -1, a2 |-> -1, a3 |-> -1]');
    await v.press('G', (f) => f.includes(at(12)), 'last step');
  });

  test('several keys read at once act one by one', async () => {
    const v = mount();
    await sleep(20);
    await v.press('kkk', (f) => f.includes(`State 10/13: ${trace.trace[9]!.action}`), 'three steps up');
  });

  test('f toggles between changes only and full states', async () => {
    const v = mount();
    const prev = trace.trace[11]!;
    const changed = new Set(prev.changes.map((c) => c.path[0]!));
    await v.press('k', (f) => f.includes('State 12/13'), 'the previous step');
    expect(v.frame()).not.toContain('maxBal = ');
    await v.press('f', (f) => f.includes('full states') && f.includes(`maxBal = ${prev.vars.maxBal}`), 'full state');
    // Changed variables are marked and followed by the change; the others are not.
    for (const [k, val] of Object.entries(prev.vars)) {
      if (k === 'msgs') continue; // long: wrapped over several lines
      expect(v.frame()).toContain(`${changed.has(k) ? '●' : ' '} ${k} = ${val}`);
    }
    for (const c of prev.changes) expect(v.frame()).toContain(`↳ ${showChange(c)}`);
    await v.press('f', (f) => f.includes('changes only') && !f.includes('maxBal = '), 'diff again');
  });

  test('the violating state: its changes, then the state in full, what the invariant reads marked', async () => {
    const v = mount();
    const last = trace.trace[12]!;
    await sleep(20);
    const f = v.frame();
    for (const c of last.changes) expect(f).toContain(showChange(c));
    expect(f).toContain('In full (» marks what Agreement reads):');
    expect(f).toContain(`  maxBal = ${last.vars.maxBal}`);
    expect(f).toMatch(/» msgs = /);
    await v.press('f', (x) => x.includes('full states') && x.includes('(» marks what Agreement reads)'), 'full state, marked');
    expect(v.frame()).toMatch(/● » msgs = /);
  });

  test('a deadlock says, at the last state, how to declare terminal states', async () => {
    const dead: TraceFile = { ...trace, violation: { kind: 'deadlock', name: 'Deadlock' } };
    const v = mount(dead, { columns: 160 });
    await sleep(20);
    expect(v.frame().replace(/[│\s]+/g, ' ')).toContain('declare its end states in the model: `terminal: (s) => …`');
  });

  test('Tab and v cycle through the state, node and message views', async () => {
    const v = mount();
    await sleep(20);
    const stateFrame = v.frame();
    await v.press(KEYS.tab, (f) => f !== stateFrame && /│ a1\s+a2\s/.test(f) && /│ a3\s/.test(f), 'node columns');
    const nodes = v.frame();
    expect(nodes).toContain('State 13/13');
    // The node whose variables the last step changed: marked, with the old value.
    const [prev, last] = [trace.trace[11]!, trace.trace[12]!];
    const node = trace.nodes!.find((a) => JSON.stringify(prev.nodes![a]) !== JSON.stringify(last.nodes![a]))!;
    for (const [k, val] of Object.entries(last.nodes![node]!)) {
      if (prev.nodes![node]![k] !== val) {
        expect(nodes).toContain(`● ${k}: ${val}`);
        expect(nodes).toContain(`was ${prev.nodes![node]![k]}`);
      }
    }
    const sent = last.sent![0]!;
    expect(nodes).toContain(`→ ${sent.label}`);
    await v.press('v', (f) => f.includes('proposer'), 'message chart');
    const msgs = v.frame();
    expect(msgs).toMatch(/a1\s+a2\s+a3\s+proposer/);
    expect(msgs).toContain(`2 ─ ${trace.trace[1]!.action}`);
    expect(msgs).toContain(`${trace.trace[1]!.sent![0]!.label} (to all)`); // 1a messages are broadcasts
    expect(msgs).toMatch(/●─+ 1b bal \d \(voted -1\/None\) ─+▶/); // a 1b message to the proposer
    expect(msgs).toContain(`▸ 13 ─ ${last.action}`);
    await v.press(KEYS.tab, (f) => f === stateFrame, 'back to the state view');
    await v.press('3', (f) => f.includes('proposer'), 'messages by number');
    await v.press('1', (f) => f === stateFrame, 'state by number');
  });

  test('[ and ] scroll a state taller than its pane', async () => {
    const v = mount(trace, { rows: 14, initialFull: true });
    await sleep(20);
    const lines = () => v.frame().split('\n');
    expect(v.frame()).toMatch(/… \d+ more lines/);
    expect(v.frame()).not.toContain('above');
    const first = lines().find((l) => l.includes('maxBal ='));
    expect(first).toBeDefined();
    await v.press(']', (f) => f.includes('… 5 lines above'), 'scrolled down');
    expect(v.frame()).not.toContain('maxBal =');
    for (let i = 0; i < 20; i++) v.stdin.write(']');
    await v.press(']', (f) => !/more lines/.test(f), 'at the end: nothing below');
    await v.press(KEYS.up, (f) => f.includes('State 12/13'), 'another step keeps the offset');
    expect(v.frame()).toContain('lines above');
    await v.press('g', (f) => f.includes('State 1/13'), 'first step');
    for (let i = 0; i < 20; i++) v.stdin.write('[');
    await v.press('[', (f) => f.includes('maxBal =') && !f.includes('above'), 'back at the top');
  });

  test('a last step the ACTION_CONSTRAINT discards says so', async () => {
    const r = await checkModel(jumpy, { constants: {}, invariants: ['Lt9'], actionConstraints: ['NoJump'], checkDeadlock: false });
    const t = buildTraceFile(r.compiled as CompiledModel<unknown>, { kind: r.violation!.kind, name: r.violation!.name }, r.violation!.trace);
    const v = mount(t);
    expect(v.frame()).toContain('State 3/3: Jump (discarded by the ACTION_CONSTRAINT; checked)');
    await sleep(20);
    await v.press(KEYS.up, (f) => f.includes('State 2/3: Inc'), 'step 2');
    expect(v.frame()).not.toContain('discarded by');
  });

  test('q and Esc quit', async () => {
    const v = mount();
    await sleep(20);
    v.stdin.write('q');
    await waitFor(() => v.quits() === 1, 'q');
    v.stdin.write(KEYS.escape);
    await waitFor(() => v.quits() === 2, 'Esc');
  });

  test('lassos say where the cycle returns; stuttering is marked', () => {
    const lasso = mount({ ...trace, violation: { kind: 'temporal', name: 'Live', loopStart: 2 } }).frame();
    expect(lasso).toContain('Temporal property Live is violated.');
    expect(lasso).toContain(`  3↺${trace.trace[2]!.action}`);
    expect(lasso).toContain('↩ back to state 3');
    const stutter = mount({ ...trace, violation: { kind: 'temporal', name: 'Live', stuttering: true } }).frame();
    expect(stutter).toContain('⟳ stuttering at state 13');
  });

  test('long traces scroll to keep the selected step in view', async () => {
    const v = mount(trace, { rows: 12 });
    await sleep(20);
    expect(v.frame()).toContain('▸ 13');
    expect(v.frame()).not.toMatch(/ {3}1 Init/);
    expect(v.frame()).toMatch(/↑ \d+ more/);
    await v.press('g', (f) => f.includes('▸  1 Init'), 'top');
    expect(v.frame()).toMatch(/↓ \d+ more/);
  });

  test('the footer shows the exit code the run ends with', () => {
    expect(mount(trace, { exitCode: 1 }).frame()).toContain('q quit (exit 1)');
  });
});

describe('showTraceViewer', () => {
  test('resolves when q is pressed', async () => {
    const stdout = new FakeStdout(100, 30);
    const stdin = new FakeStdin();
    let done = false;
    const p = showTraceViewer(trace, {
      exitCode: 1,
      stdout: stdout as unknown as NodeJS.WriteStream,
      stdin: stdin as unknown as NodeJS.ReadStream,
      altScreen: true,
    }).then(() => (done = true));
    await waitFor(() => stdout.text().includes('State 13/13'), 'the viewer');
    expect(stdout.chunks[0]).toContain('\u001B[?1049h'); // drawn on the alternate screen
    await sleep(20);
    expect(done).toBe(false);
    stdin.write('q');
    await p;
    expect(done).toBe(true);
    expect(stdout.chunks.at(-1)).toContain('\u001B[?1049l'); // and the terminal restored
  });
});
