import { render } from 'ink-testing-library';
import { describe, expect, test } from 'vitest';
import type { CompiledModel } from '../engine/compiled-model.js';
import { Explorer } from './Explorer.js';
import { runExplorer } from './screens.js';
import { counterModel, FakeStdin, FakeStdout, KEYS, paxosNaiveModel, sleep, twoPhaseModel, waitFor } from './test-support.js';

function mount(model: CompiledModel<unknown>, props: Partial<Parameters<typeof Explorer>[0]> = {}) {
  let quit = 0;
  const r = render(<Explorer model={model} specName="specs/test.cfg" onQuit={() => quit++} columns={100} rows={30} {...props} />);
  const frame = () => r.lastFrame() ?? '';
  const press = async (keys: string, until: (f: string) => boolean, what: string, timeoutMs = 4000) => {
    r.stdin.write(keys);
    await waitFor(() => until(frame()), () => `${what}; last frame:\n${frame()}`, timeoutMs);
  };
  return { ...r, frame, press, quits: () => quit };
}

describe('Explorer', () => {
  test('lists the enabled actions of 2PC with what they change and where they lead', () => {
    const f = mount(twoPhaseModel()).frame();
    expect(f).toContain('quorum explore specs/test.cfg · two-phase-commit · step 0 · 1 state visited');
    expect(f).toContain('Path: Init');
    expect(f).toContain('Enabled actions (7)');
    expect(f).toMatch(/▸ TMAbort\s+new\s+tmState: init → aborted; ms/);
    expect(f).toMatch(/RMPrepare\(r1\)\s+new\s+rmState\.r1: working → prep/);
    expect(f).toMatch(/RMChooseToAbort\(r3\)\s+new\s+rmState\.r3: working → aborted/);
    expect(f).toContain('State after Init');
    expect(f).toContain('tmState = init');
    expect(f).toMatch(/Enter step.*Backspace back.*r random.*i invariants.*\/ search.*w save path.*q quit/);
  });

  test('Enter takes the selected step; Backspace goes back, and the state is then marked visited', async () => {
    const e = mount(twoPhaseModel());
    await sleep(20);
    await e.press(KEYS.enter, (f) => f.includes('Path: Init → TMAbort'), 'the step');
    let f = e.frame();
    expect(f).toContain('step 1 · 2 states visited');
    expect(f).toContain('State after TMAbort');
    expect(f).toMatch(/● tmState = aborted/);
    expect(f).toMatch(/RMRcvAbortMsg\(r1\)\s+new\s+rmState\.r1: working → ab/);
    expect(f).not.toContain('TMCommit');
    await e.press(KEYS.backspace, (x) => x.includes('Path: Init\n') || /Path: Init\s*$/m.test(x), 'back');
    f = e.frame();
    expect(f).toMatch(/▸ TMAbort\s+visited/);
    expect(f).toMatch(/RMPrepare\(r1\)\s+new/);
  });

  test('arrow keys and j/k select; keys read together act in order', async () => {
    const e = mount(twoPhaseModel());
    await sleep(20);
    await e.press(KEYS.down, (f) => /▸ RMPrepare\(r1\)/.test(f), 'down');
    await e.press('k', (f) => /▸ TMAbort/.test(f), 'k');
    await e.press('jj\r', (f) => f.includes('Path: Init → RMPrepare(r2)'), 'two down and Enter');
    expect(e.frame()).toMatch(/TMRcvPrepared\(r2\)\s+new\s+tmPrepared: \+ r2/);
  });

  test('i shows every invariant of the model in the current state', async () => {
    const e = mount(twoPhaseModel(['r1', 'r2'], ['Consistent']));
    await sleep(20);
    await e.press('i', (f) => f.includes('Invariants in this state'), 'invariants');
    expect(e.frame()).toMatch(/✔ Consistent\s+\(in the spec\)/);
    expect(e.frame()).toMatch(/✔ TypeOK\s+\(not in the spec\)/);
    await e.press('i', (f) => f.includes('State after Init'), 'back to the state');
  });

  test('r takes a random step', async () => {
    const e = mount(twoPhaseModel(), { random: () => 0.5 });
    await sleep(20);
    await e.press('r', (f) => f.includes('Path: Init → RMPrepare(r3)'), 'random step');
  });

  test('/ searches breadth-first for a state violating an invariant and jumps there', async () => {
    const e = mount(paxosNaiveModel(1));
    await sleep(20);
    await e.press('/', (f) => f.includes('Search for:'), 'the prompt');
    expect(e.frame()).toContain('Enter: Agreement');
    await e.press('Agr', (f) => f.includes('Search for: Agr'), 'typing');
    await e.press(KEYS.tab, (f) => f.includes('Search for: Agreement'), 'completion');
    await e.press(KEYS.enter, (f) => f.includes('Found a state violating Agreement'), 'the search', 30_000);
    const f = e.frame();
    expect(f).toMatch(/Found a state violating Agreement, \d+ steps away \(searched [\d,]+ states\)/);
    expect(f).toContain('✘ violates Agreement');
    expect(f).toMatch(/Path: .*Phase2b/);
    expect(f).toMatch(/violates Agreement/);
  }, 40_000);

  test('a search shows its progress and Esc cancels it', async () => {
    const e = mount(twoPhaseModel(['r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7']));
    await sleep(20);
    await e.press('/', (f) => f.includes('Search for:'), 'the prompt');
    await e.press(KEYS.enter, (f) => f.includes('Searching for a state violating Consistent'), 'progress', 10_000);
    expect(e.frame()).toMatch(/Searching for a state violating Consistent: [\d,]+\/200,000 states, depth \d+/);
    await e.press(KEYS.escape, (f) => f.includes('Search cancelled.'), 'cancel', 10_000);
    expect(e.frame()).toContain('Path: Init');
  }, 30_000);

  test('an unknown name is refused', async () => {
    const e = mount(twoPhaseModel());
    await sleep(20);
    await e.press('/', (f) => f.includes('Search for:'), 'the prompt');
    await e.press('Nope', (f) => f.includes('Search for: Nope'), 'typing');
    await e.press(KEYS.enter, (f) => f.includes('No invariant or property named Nope; a search can look for Consistent, TypeOK, Deadlock.'), 'refusal');
  });

  test('with several initial states, the first screen picks one; deadlocks and constraints are shown', async () => {
    const e = mount(counterModel(['Tiny']));
    await sleep(20);
    expect(e.frame()).toContain('Choose an initial state (2):');
    expect(e.frame()).toMatch(/▸ 1\. state = 0/);
    expect(e.frame()).toContain('2. state = 10');
    await e.press('j\r', (f) => f.includes('State after Init'), 'the second initial state');
    let f = e.frame();
    expect(f).toContain('✘ violates Tiny');
    expect(f).toMatch(/▸ Inc\s+violates Tiny\s+\(state\): 10 → 11/);
    await e.press('\r', (x) => x.includes('Path: Init → Inc'), 'a step');
    await e.press('\r', (x) => x.includes('Path: Init → Inc → Inc'), 'another step');
    expect(e.frame()).toContain('No enabled actions: this state is a deadlock.');
    await e.press(KEYS.backspace + KEYS.backspace + KEYS.backspace, (x) => x.includes('Choose an initial state'), 'back to the choice');
    await e.press('\r', (x) => x.includes('State after Init'), 'the first initial state');
    await e.press('\r', (x) => x.includes('Path: Init → Inc'), 'to 1');
    f = e.frame();
    expect(f).toMatch(/Stay\s+action constraint\s+\(no change\)/);
    await e.press('\r', (x) => x.includes('Path: Init → Inc → Inc'), 'to 2');
    expect(e.frame()).toMatch(/▸ Inc\s+outside constraint\s+\(state\): 2 → 3/);
  });

  test('[ and ] scroll a state taller than its pane', async () => {
    const e = mount(paxosNaiveModel(2), { rows: 12 });
    await sleep(20);
    expect(e.frame()).toMatch(/… \d+ more lines/);
    expect(e.frame()).toContain('State after Init');
    await e.press(']', (f) => /… \d+ lines? above/.test(f), 'scrolled down');
    expect(e.frame()).not.toContain('State after Init');
    await e.press('[', (f) => f.includes('State after Init') && !f.includes('above'), 'back at the top');
    // Other keys still work: the selection moves, not the pane.
    await e.press('j', (f) => /▸ \S/.test(f.split('\n').slice(4).join('\n')), 'selection');
  });

  test('q quits', async () => {
    const e = mount(twoPhaseModel());
    await sleep(20);
    e.stdin.write('q');
    await waitFor(() => e.quits() === 1, 'q');
  });
});

describe('runExplorer', () => {
  test('resolves when q is pressed', async () => {
    const stdout = new FakeStdout(100, 30);
    const stdin = new FakeStdin();
    const p = runExplorer({
      model: twoPhaseModel(),
      specName: 'specs/two-phase-commit.cfg',
      stdout: stdout as unknown as NodeJS.WriteStream,
      stdin: stdin as unknown as NodeJS.ReadStream,
    });
    await waitFor(() => stdout.text().includes('Enabled actions (7)'), 'the explorer');
    await sleep(20);
    stdin.write('q');
    await p;
  });
});
