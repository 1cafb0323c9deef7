// Resume points as scripts see them: Ctrl-C and a memory stop leave one (its folder in --json's
// resumeDir and on the summary's "Resume point" line), and `quorum check --resume DIR` ends the run
// with the counts of an uninterrupted one.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(fileURLToPath(import.meta.url), '../../..');
const BIN = join(ROOT, 'src/cli/bin.mjs');
const OUT = mkdtempSync(join(tmpdir(), 'quorum-resume-'));
afterAll(() => rmSync(OUT, { recursive: true, force: true }));

function quorum(args: string[], onOutput?: (sofar: string, kill: (sig: NodeJS.Signals) => void) => void): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, ['--single-threaded-gc', BIN, ...args], { cwd: ROOT, env: { ...process.env, CI: 'true', NO_COLOR: '1' } });
    let stdout = '', stderr = '';
    const seen = () => onOutput?.(stdout + stderr, (sig) => child.kill(sig));
    child.stdout.on('data', (d: Buffer) => ((stdout += d.toString()), seen()));
    child.stderr.on('data', (d: Buffer) => ((stderr += d.toString()), seen()));
    child.on('error', reject);
    child.on('exit', (code) => done({ code, stdout, stderr }));
  });
}

describe('resume points', () => {
  it('Ctrl-C leaves a resume point; --resume ends the run with the reference count (paxos, 185,369)', async () => {
    let sent = false;
    const first = await quorum(['check', 'specs/paxos.cfg', '--plain', '--progress', '1', '--workers', '1', '--no-typecheck', '--out', OUT], (sofar, kill) => {
      if (!sent && /Progress\(/.test(sofar)) {
        sent = true;
        kill('SIGINT');
      }
    });
    expect(sent).toBe(true);
    expect(first.code).toBe(130);
    const dir = /Resume point: quorum check --resume (\S+)/.exec(first.stdout)?.[1];
    expect(dir, first.stdout + first.stderr).toBeDefined();
    const rest = await quorum(['check', '--resume', dir!, '--json', '--no-typecheck', '--workers', '2']);
    expect(rest.code, rest.stderr).toBe(0);
    const r = JSON.parse(rest.stdout);
    expect([r.result, r.distinctStates, r.depth, r.spec]).toEqual(['ok', 185_369, 25, 'specs/paxos.cfg']);
    expect(r.resumed.dir).toBe(dir);
    expect(r.resumed.distinctStates).toBeGreaterThan(0);
    expect(r.resumeDir).toBeNull();
  }, 300_000);

  it('a budget the run cannot keep: exit 6, MEMORY_BUDGET, the counts so far and resumeDir in --json', async () => {
    const r = await quorum(['check', 'specs/paxos-naive.cfg', '--json', '--no-typecheck', '--memory', '16M', '--out', OUT]);
    expect(r.code).toBe(6);
    const j = JSON.parse(r.stdout);
    expect(j.result).toBe('error');
    expect(j.error.code).toBe('MEMORY_BUDGET');
    expect(j.distinctStates).toBeGreaterThan(0);
    expect(j.memory.budgetBytes).toBe(16 * 2 ** 20);
    expect(j.memory.peakRssBytes).toBeGreaterThan(0);
    expect(j.resumeDir).toMatch(/runs/);
    const again = await quorum(['check', '--resume', j.resumeDir, '--json', '--no-typecheck']);
    const k = JSON.parse(again.stdout);
    expect([again.code, k.result, k.distinctStates, k.violation.name, k.violation.trace.length]).toEqual([1, 'violation', 41_805, 'Agreement', 13]);
  }, 300_000);

  it('bad flags and a folder without a checkpoint are usage errors (exit 2) naming the flag or the folder', async () => {
    const size = await quorum(['check', 'specs/paxos.cfg', '--memory', 'lots']);
    expect(size.code).toBe(2);
    expect(size.stderr).toMatch(/--memory.*takes a size/);
    const none = await quorum(['check', '--resume', OUT]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/CHECKPOINT_INVALID.*no checkpoint/);
  }, 120_000);
});
