import { render } from 'ink-testing-library';
import { describe, expect, test } from 'vitest';
import { badPartitionsOf, sharedHistoriesPresent, SHARED_HISTORIES } from '../history/test-histories.js';
import type { BadPartition } from '../history/timeline-layout.js';
import { HistoryTimeline } from './HistoryTimeline.js';
import { showHistoryTimeline } from './index.js';
import { FakeStdin, FakeStdout, KEYS, sleep, waitFor } from './test-support.js';

if (!sharedHistoriesPresent) console.warn(`skipping the shared histories: ${SHARED_HISTORIES}expected.tsv is absent`);

const RIGHT = '\u001B[C';

function mount(items: readonly BadPartition[], rows = 40) {
  let quit = 0;
  const r = render(<HistoryTimeline items={items} onQuit={() => quit++} exitCode={1} columns={100} rows={rows} />);
  const frame = () => r.lastFrame() ?? '';
  const press = async (keys: string, until: (f: string) => boolean, what: string) => {
    r.stdin.write(keys);
    await waitFor(() => until(frame()), () => `${what}; last frame:\n${frame()}`);
  };
  return { ...r, frame, press, quits: () => quit };
}

describe.skipIf(!sharedHistoriesPresent)('HistoryTimeline', () => {
  const analysis = sharedHistoriesPresent ? badPartitionsOf('knossos/cas-register/bad/bad-analysis.edn', 'cas-register') : [];
  const c10 = sharedHistoriesPresent ? badPartitionsOf('porcupine/kv/c10-bad.txt', 'kv') : [];
  const casFailure = sharedHistoriesPresent ? badPartitionsOf('knossos/cas-register/bad/cas-failure.edn', 'cas-register') : [];

  test('one lane per process, the prefix numbered, the op that cannot be placed marked, what it needs', () => {
    const v = mount(analysis);
    const f = v.frame();
    expect(f).toContain('✘ knossos/cas-register/bad/bad-analysis.edn: not linearizable (9 ops)');
    expect(f).toContain('has 6 of 9 ops and leaves the state 1.');
    expect(f).toContain("Then process 21's read 2 must take effect next (✘), but cannot: it needs value = 2.");
    expect(f).toContain('Of the 2 other ops that could come next, 1 is legal but leads to a dead end.');
    const lanes = f.split('\n').filter((l) => /^│\s+p\d+ /.test(l));
    expect(lanes.map((l) => /p\d+/.exec(l)![0])).toEqual(['p1', 'p4', 'p6', 'p9', 'p14', 'p19', 'p20', 'p21', 'p22']);
    // Each prefix op carries its place in the linearization.
    expect(lanes[1]).toContain('[=1=]'); // p4 write 2
    expect(lanes[0]).toContain('[=2=]'); // p1 write 4
    expect(lanes[4]).toContain('[=3=]'); // p14 read 4
    expect(lanes[7]).toContain('[!✘!]'); // p21 read 2
    expect(f).toContain('▸ p21  read 2');
    expect(f).toContain('✘ cannot be placed after the prefix:');
    expect(f).toMatch(/│ state 1 +│/);
    expect(f).toMatch(/│ needs value = 2 +│/);
    expect(f).toContain('bad-analysis.edn:17');
    expect(f).toContain('events 0–16 of 16 · 4 columns per event');
    expect(f).toMatch(/←→ move.*\+\/- zoom.*q quit \(exit 1\)/);
    expect(f).not.toContain('↑↓ partition'); // one partition only
  });

  test('a sequential-consistency check says so', () => {
    const v = mount(analysis.map((b) => ({ ...b, consistency: 'sequential' as const })));
    expect(v.frame()).toContain('✘ knossos/cas-register/bad/bad-analysis.edn: not sequentially consistent (9 ops)');
  });

  test('n/p select ops in invocation order and show their details; o goes back to the ✘ op', async () => {
    const v = mount(analysis);
    await sleep(20);
    // The ✘ op is the last invoked: n stays on it, p goes to p22's read 3 (invoked just before).
    await v.press('p', (f) => f.includes('▸ p22  read 3'), 'the previous op by invocation');
    expect(v.frame()).toContain('could come next after the prefix, but is illegal in its state');
    await v.press('pp', (f) => f.includes('▸ p19  read 0'), 'two ops back');
    expect(v.frame()).toContain('#5 of the 6 ops of the linearizable prefix');
    await v.press('n', (f) => f.includes('▸ p20  write 1'), 'one on');
    expect(v.frame()).toContain('invoked at event 10, never completed (pending) · knossos/cas-register/bad/bad-analysis.edn:12');
    await v.press('o', (f) => f.includes('▸ p21  read 2'), 'the offending op');
    await v.press('n', (f) => f.includes('▸ p21  read 2'), 'still the last op');
  });

  test('+/- zoom, ←→ move along time, q quits', async () => {
    const v = mount(analysis);
    await sleep(20);
    await v.press('+', (f) => f.includes('6 columns per event'), 'zoomed in');
    await v.press('+', (f) => f.includes('8 columns per event'), 'zoomed in again');
    const at = () => /events (\d+)–/.exec(v.frame())![1];
    const before = Number(at());
    await v.press(RIGHT, (f) => Number(/events (\d+)–/.exec(f)?.[1]) > before, 'moved right');
    await v.press('---', (f) => f.includes('3 columns per event'), 'zoomed out three steps');
    await v.press('q', () => v.quits() === 1, 'quit');
  });

  test('↑↓ move between the non-linearizable partitions of a history', async () => {
    expect(c10.map((b) => b.explanation.partition + 1)).toEqual([1, 2, 3, 4, 7, 8, 9, 10]);
    const v = mount(c10);
    expect(v.frame()).toContain('partition 1 of 10 (36 ops) · 1/8 failing partitions');
    expect(v.frame()).toContain('↑↓ partition');
    await sleep(20);
    await v.press(KEYS.down, (f) => f.includes('partition 2 of 10 (48 ops) · 2/8 failing partitions'), 'the second');
    expect(v.frame()).toContain(`▸ p9  get "1" → "x 3 0 yx 3 1 y"`);
    await v.press(KEYS.down.repeat(10), (f) => f.includes('partition 10 of 10 (33 ops) · 8/8 failing partitions'), 'the last');
    await v.press(KEYS.up, (f) => f.includes('partition 9 of 10 (55 ops) · 7/8'), 'back one');
  });

  test('a long history opens on the region around the offending op; j/k scroll lanes when they do not fit', async () => {
    const e = casFailure[0]!.explanation;
    expect(e.ops.length).toBe(206);
    const v = mount(casFailure, 24);
    const f = v.frame();
    const [, from, to] = /events (\d+)–(\d+) of 411/.exec(f)!.map(Number);
    expect(from).toBeGreaterThan(300); // the offending op is invoked at event 361
    expect(from! <= 361 && 362 <= to!).toBe(true);
    expect(f).toContain('▸ p70  read → 0');
    expect(f).toMatch(/│\s+p70 .*\[✘\]/);
    expect(f).toMatch(/lanes 1–\d+ of 10/);
    expect(f).toContain('j/k lanes');
    await sleep(20);
    await v.press('j', (x) => !/lanes 1–/.test(x), 'lanes scrolled');
  });

  test('showHistoryTimeline runs until q on the given streams', async () => {
    const stdout = new FakeStdout(100, 40);
    const stdin = new FakeStdin();
    const done = showHistoryTimeline(analysis, { exitCode: 1, stdout: stdout as never, stdin: stdin as never, altScreen: false });
    await waitFor(() => stdout.text().includes('[!✘!]'), 'the timeline');
    stdin.write('q');
    await done;
  });
});
