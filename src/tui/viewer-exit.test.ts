// After the viewer is quit on a real terminal (tmux), the counterexample stays on the normal screen:
// the text trace ending with the violating state in full, then (for check) the summary and the trace
// file's path. The viewer draws on the alternate screen, so without this nothing would remain.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { sleep } from './test-support.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const SOCKET = `quorum-viewer-exit-${process.pid}`;
const work = mkdtempSync(join(tmpdir(), 'quorum-viewer-exit-'));

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
}

let sessions = 0;
function start(args: string): string {
  const name = `s${++sessions}`;
  // A tall screen, so the end of the text trace and the summary are both on it.
  tmux('new-session', '-d', '-s', name, '-x', '200', '-y', '60', '-c', ROOT, `env -u CI -u NO_COLOR TERM=xterm-256color node src/cli/bin.mjs ${args}; echo "[exit $?]"; sleep 600`);
  tmux('set-option', '-t', name, 'status', 'off');
  return name;
}

async function waitFor(name: string, text: string): Promise<string> {
  const end = Date.now() + 60_000;
  for (;;) {
    const s = tmux('capture-pane', '-p', '-t', name);
    if (s.includes(text)) return s;
    if (Date.now() > end) throw new Error(`timed out waiting for ${text}; the screen shows:\n${s}`);
    await sleep(100);
  }
}

afterAll(() => {
  if (!hasTmux) return;
  try {
    tmux('kill-server');
  } catch {
    // no session left
  }
  rmSync(join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid?.() ?? ''}`, SOCKET), { force: true });
  rmSync(work, { recursive: true, force: true });
});

describe.skipIf(!hasTmux)('quitting the viewer (tmux)', () => {
  let written = '';
  test('quorum check: the text trace, the summary and the trace file remain', async () => {
    const s = start(`check -w 0 --out ${work} --const MaxBallot=1 specs/paxos-naive.cfg`);
    await waitFor(s, 'quit (exit 1)');
    tmux('send-keys', '-t', s, 'q');
    const x = await waitFor(s, '[exit 1]');
    expect(x).toContain('» marks what Agreement reads):');
    expect(x).toContain('Error: Invariant Agreement is violated.');
    written = /Trace written to (\S+paxos-naive-invariant-\S+\.json)/.exec(x)?.[1] ?? '';
    expect(written).not.toBe('');
  }, 120_000);

  test('quorum trace: the text trace remains, ending with the violating state', async () => {
    const s = start(`trace ${written}`);
    await waitFor(s, 'quit (exit 0)');
    tmux('send-keys', '-t', s, 'q');
    const x = await waitFor(s, '[exit 0]');
    expect(x).toMatch(/The violating state \(state \d+\) in full \(» marks what Agreement reads\):/);
    expect(x).toMatch(/^» msgs = /m);
  }, 120_000);

  test('quorum explore: w saves the path walked, and quorum trace opens it', async () => {
    const s = start(`explore --out ${work} --const 'RM={r1,r2}' specs/two-phase-commit.cfg`);
    await waitFor(s, 'Enabled actions (5)');
    // The first key may arrive before the terminal is in raw mode: send it until it is taken.
    for (let i = 0; !tmux('capture-pane', '-p', '-t', s).includes('step 1 ·'); i++) {
      if (i === 100) throw new Error('the explorer took no step');
      tmux('send-keys', '-t', s, 'Enter');
      await sleep(500);
    }
    tmux('send-keys', '-t', s, 'w');
    const x = await waitFor(s, 'Saved the path (');
    const [, count, file] = /Saved the path \((\d+) states\) to (\S+\.json):/.exec(x) ?? [];
    expect(file).toMatch(/two-phase-commit-path-.*\.json$/);
    tmux('send-keys', '-t', s, 'q');
    await waitFor(s, '[exit 0]');
    const shown = spawnSync(process.execPath, ['src/cli/bin.mjs', 'trace', '--plain', file!], { cwd: ROOT, encoding: 'utf8' });
    expect(shown.status).toBe(0);
    // A key sent twice may have taken two steps.
    expect(shown.stdout).toMatch(new RegExp(`^A path saved from the explorer\\. It has ${count} states \\(${Number(count) - 1} steps?\\):\\n\\nState 1: Init\\n`));
  }, 120_000);
});
