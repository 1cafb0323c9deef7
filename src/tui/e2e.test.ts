// End-to-end: the real CLI on a real terminal. Each test starts `quorum` in a detached tmux session
// of a fixed size, sends keys and reads the screen back with capture-pane. Screens are polled until
// the expected text appears, so the tests do not depend on how fast the machine is.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { showChange } from '../trace/diff.js';
import type { TraceFile } from '../trace/trace-file.js';
import { paxosNaiveTrace, sleep } from './test-support.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
// A server of our own, so that other tmux sessions on the machine are never touched.
const SOCKET = `quorum-tui-e2e-${process.pid}`;
const COLS = 160;
const ROWS = 50;
const SCREEN_TIMEOUT_MS = 45_000;
// Shared histories beside the repository (../shared/histories/), for `quorum history`.
const HISTORIES = resolve(ROOT, '../shared/histories');
const hasHistories = existsSync(join(HISTORIES, 'expected.tsv'));

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
}

let sessions = 0;
/** Runs `quorum ARGS` in a new session; the shell then prints the exit code and waits. */
function start(args: string): string {
  const name = `s${++sessions}`;
  const cmd = `env -u CI -u NO_COLOR TERM=xterm-256color node src/cli/bin.mjs ${args}; echo "[exit $?]"; sleep 600`;
  tmux('new-session', '-d', '-s', name, '-x', String(COLS), '-y', String(ROWS), '-c', ROOT, cmd);
  tmux('set-option', '-t', name, 'status', 'off');
  return name;
}

function screen(name: string): string {
  return tmux('capture-pane', '-p', '-t', name);
}

async function waitForScreen(name: string, ok: (s: string) => boolean, what: string): Promise<string> {
  const end = Date.now() + SCREEN_TIMEOUT_MS;
  let s = '';
  for (;;) {
    s = screen(name);
    if (ok(s)) return s;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; the screen shows:\n${s}`);
    await sleep(100);
  }
}

const has = (text: string | RegExp) => (s: string) => (typeof text === 'string' ? s.includes(text) : text.test(s));

function keys(name: string, ...k: string[]): void {
  tmux('send-keys', '-t', name, ...k);
}

let work = '';
let traceFile = '';
let trace: TraceFile;

beforeAll(async () => {
  if (!hasTmux) return;
  work = mkdtempSync(join(tmpdir(), 'quorum-tui-e2e-'));
  traceFile = join(work, 'paxos-naive.json');
  trace = await paxosNaiveTrace();
  writeFileSync(traceFile, JSON.stringify(trace, null, 1));
}, 60_000);

afterAll(() => {
  if (!hasTmux) return;
  try {
    tmux('kill-server');
  } catch {
    // no session left
  }
  // The server leaves its socket file behind.
  rmSync(join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid?.() ?? ''}`, SOCKET), { force: true });
  if (work) rmSync(work, { recursive: true, force: true });
});

describe.skipIf(!hasTmux)('on a terminal (tmux)', () => {
  test('quorum explore: step, go back, invariants, search prompt, quit', async () => {
    const s = start('explore specs/two-phase-commit.cfg');
    let x = await waitForScreen(s, has('Enabled actions (15)'), 'the explorer');
    expect(x).toContain('quorum explore specs/two-phase-commit.cfg · two-phase-commit · step 0 · 1 state visited');
    expect(x).toMatch(/▸ TMAbort\s+new\s+tmState: init → aborted; msgs: \+ Abort/);
    expect(x).toMatch(/RMChooseToAbort\(r7\)\s+new\s+rmState\.r7: working → aborted/);

    keys(s, 'Down');
    await waitForScreen(s, has(/▸ RMPrepare\(r1\)/), 'the selection to move');
    keys(s, 'Enter');
    x = await waitForScreen(s, has('Path: Init → RMPrepare(r1)'), 'the step');
    expect(x).toContain('State after RMPrepare(r1)');
    expect(x).toMatch(/▸ TMRcvPrepared\(r1\)\s+new\s+tmPrepared: \+ r1/);
    expect(x).toContain('step 1 · 2 states visited');

    keys(s, 'BSpace');
    x = await waitForScreen(s, has(/RMPrepare\(r1\)\s+visited/), 'back at the initial state');
    expect(x).toMatch(/Path: Init\s*$/m);

    keys(s, 'i');
    x = await waitForScreen(s, has('Invariants in this state'), 'the invariants');
    expect(x).toMatch(/✔ Consistent\s+\(in the spec\)/);
    expect(x).toMatch(/✔ TypeOK\s+\(in the spec\)/);
    keys(s, 'i');
    await waitForScreen(s, has('State after Init'), 'the state again');

    keys(s, '/');
    await waitForScreen(s, has('Search for:'), 'the search prompt');
    keys(s, 'Escape');
    await waitForScreen(s, (t) => !t.includes('Search for:'), 'the prompt to close');

    keys(s, 'q');
    await waitForScreen(s, has('[exit 0]'), 'the explorer to exit');
  }, 120_000);

  test('quorum trace: step list, views, full/diff, quit', async () => {
    // The expected text comes from the trace (which shortest counterexample is picked may change).
    const steps = trace.trace;
    const [prev, last] = [steps[11]!, steps[12]!];
    const s = start(`trace ${traceFile}`);
    let x = await waitForScreen(s, has('State 13/13'), 'the viewer');
    expect(x).toContain('✘ Invariant Agreement is violated.');
    expect(x).toContain(`▸ 13 ${last.action}`);
    for (const c of last.changes) expect(x).toContain(showChange(c));

    keys(s, 'k');
    x = await waitForScreen(s, has(`State 12/13: ${prev.action}`), 'the previous step');
    for (const c of prev.changes) expect(x).toContain(showChange(c));

    keys(s, 'f');
    x = await waitForScreen(s, has('full states'), 'full states');
    for (const c of prev.changes) expect(x).toContain(`● ${c.path[0]} = `);
    keys(s, 'f');
    await waitForScreen(s, has('changes only'), 'changes only');

    keys(s, 'Tab');
    x = await waitForScreen(s, has(/│ a1\s+a2\s+a3\s/), 'the node columns');
    expect(x).toMatch(/● max\w+: \S+/);

    keys(s, 'v');
    x = await waitForScreen(s, has(/a1\s+a2\s+a3\s+proposer/), 'the message chart');
    expect(x).toContain(`▸ 12 ─ ${prev.action}`);
    expect(x).toContain(`${steps[1]!.sent![0]!.label} (to all)`);

    keys(s, 'q');
    await waitForScreen(s, has('[exit 0]'), 'the viewer to exit');
  }, 120_000);

  test.skipIf(!hasHistories)('quorum history: the timeline of each non-linearizable partition, then the text; --plain: text only', async () => {
    const c10 = '../shared/histories/porcupine/kv/c10-bad.txt';
    const s = start(`history -m kv -w 0 ${c10}`);
    let x = await waitForScreen(s, has('1/8 failing partitions'), 'the timeline');
    expect(x).toContain(`✘ ${c10}: not linearizable · partition 1 of 10 (36 ops)`);
    expect(x).toMatch(/│\s+p8 .*\[!?✘!?\]/);
    expect(x).toContain('▸ p8  get "0" → "x 9 0 yx 0 0 yx 8 0 y"');
    expect(x).toMatch(/events 0–\d+ of 72/);
    keys(s, 'Down');
    x = await waitForScreen(s, has('2/8 failing partitions'), 'the second partition');
    expect(x).toContain('partition 2 of 10 (48 ops)');
    keys(s, '+');
    await waitForScreen(s, has('3 columns per event'), 'zoomed in');
    keys(s, 'q');
    x = await waitForScreen(s, has('[exit 1]'), 'the screen to close');
    // The text counterexample stays on the normal screen.
    expect(x).toContain('8 of the 10 partitions are not linearizable: 1, 2, 3, 4, 7, 8, 9, 10 (the first is shown).');

    // No key is sent: the command ends by itself, with no screen to quit and only the first partition explained.
    const plain = start(`history -m kv -w 0 --plain ${c10}`);
    x = await waitForScreen(plain, has('[exit 1]'), 'the text');
    expect(x).not.toContain('partitions are not linearizable');
    expect(x).toContain('The prefix ends: ');
  }, 120_000);

  test('quorum check: the dashboard, then the viewer; q leaves the final dashboard and the summary', async () => {
    const s = start(`check -w 0 --out ${work} specs/paxos-naive.cfg`);
    await waitForScreen(s, has('State 13/13'), 'the counterexample viewer');
    keys(s, 'q');
    await waitForScreen(s, has('[exit 1]'), 'the run to end');
    // The text trace printed after the viewer scrolls the final dashboard up: read the history too.
    const x = tmux('capture-pane', '-p', '-S', '-', '-t', s);
    expect(x).toContain('quorum check specs/paxos-naive.cfg');
    expect(x).toContain('✘ violation: invariant Agreement');
    expect(x).toMatch(/Distinct states\s+[\d,]+/);
    expect(x).toMatch(/Phase2b\s+[\d,]+\s+[\d,]+/);
    expect(x).toContain('Error: Invariant Agreement is violated.');
  }, 120_000);

  test('quorum simulate: the live dashboard, Ctrl-C; then a violation shrunk, shown in the viewer, and the final dashboard', async () => {
    // A counter that never reaches its limit, in seeds of a million walks: only Ctrl-C ends the run.
    const endless = join(work, 'counters-endless.cfg');
    writeFileSync(endless, `MODEL ${join(ROOT, 'src/simulate/test-models/counters.ts')}\nCONSTANTS Limit = 1000000\nINVARIANT XBelowLimit\n`);
    const s = start(`simulate -w 1 --seed 3 --walks 1000000 --no-trace-file ${endless}`);
    let x = await waitForScreen(s, has(/Walks\s+[1-9][\d,]*/), 'live walk counts');
    expect(x).toContain(`quorum simulate ${endless}`);
    expect(x).toContain('● walking');
    expect(x).toMatch(/^\s*3\s+1\s+[\d,]+\/1000000\s+[\d,]+\s+\S+\s+walking$/m);
    keys(s, 'C-c');
    x = await waitForScreen(s, has('[exit 130]'), 'the run to stop');
    expect(x).toContain('■ interrupted');
    expect(x).toContain('Stopped: interrupted');

    const spec = join(work, 'counters.cfg');
    writeFileSync(spec, `MODEL ${join(ROOT, 'src/simulate/test-models/counters.ts')}\nCONSTANTS Limit = 6\nINVARIANT XBelowLimit\n`);
    const v = start(`simulate -w 1 --seed 3 --out ${work} ${spec}`);
    await waitForScreen(v, has(/State (\d+)\/\1\b/), 'the shrunk counterexample in the viewer');
    keys(v, 'q');
    await waitForScreen(v, has('[exit 1]'), 'the run to end');
    x = tmux('capture-pane', '-p', '-S', '-', '-t', v);
    expect(x).toContain('✘ violation: invariant XBelowLimit');
    expect(x).toMatch(/Walks\s+[1-9][\d,]*/);
    expect(x).toMatch(/Violation of invariant XBelowLimit, seed 3: shrunk from \d+ to \d+ states/);
    expect(x).toContain('Error: Invariant XBelowLimit is violated.');
  }, 120_000);
});
