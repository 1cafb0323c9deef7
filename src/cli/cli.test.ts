// The CLI as scripts and CI pipelines see it: exit codes, one-line errors on stderr, and the --json
// summary's fields. Each test runs the real `quorum` command in a process of its own.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(fileURLToPath(import.meta.url), '../../..');
const BIN = join(ROOT, 'src/cli/bin.mjs');
const TEST_MODELS = join(ROOT, 'src/engine/test-models');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs quorum; `onOutput` (stdout and stderr so far) may act on the process while it runs (e.g. send it SIGINT). */
function quorum(args: string[], onOutput?: (sofar: string, kill: (sig: NodeJS.Signals) => void) => void): Promise<Run> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--single-threaded-gc', BIN, ...args], { cwd: ROOT, env: { ...process.env, CI: 'true', NO_COLOR: '1' } });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      onOutput?.(stdout + stderr, (sig) => child.kill(sig));
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      onOutput?.(stdout + stderr, (sig) => child.kill(sig));
    });
    child.on('error', reject);
    child.on('exit', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

function tempSpec(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'quorum-cli-'));
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** The error line on stderr (progress lines go there too): errors are one line, naming the file/line or the action. */
const firstErrorLine = (r: Run) => r.stderr.split('\n').find((l) => l.includes('error[')) ?? '';

// Every field of the documented --json summary (RunReport): scripts depend on all of them.
const REPORT_FIELDS = [
  'result', 'spec', 'model', 'distinctStates', 'statesGenerated', 'depth', 'queue', 'elapsedMs', 'collisionProbability', 'workers',
  'distinctStatesPerSecond', 'violation', 'reachability', 'error', 'interrupted', 'traceFile', 'coverage', 'memory', 'expect', 'asExpected', 'exitCode',
];

describe('quorum CLI: usage', () => {
  it('--help prints the usage and exits 0, also after a command', async () => {
    for (const args of [['--help'], ['check', '--help'], ['trace', '-h']]) {
      const r = await quorum(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout).toContain('Usage:');
      expect(r.stdout).toContain('Exit codes: 0 no violation, 1 violation found, 2 bad input, 3 internal error, 130 interrupted.');
    }
  });

  it('no command or an unknown one is bad input (exit 2, one line)', async () => {
    expect((await quorum([])).code).toBe(2);
    const r = await quorum(['chek', 'specs/paxos.cfg']);
    expect(r.code).toBe(2);
    expect(firstErrorLine(r)).toMatch(/^quorum: error\[USAGE\]: unknown command 'chek'/);
  });
});

describe('quorum CLI: bad input exits 2 with one line naming the problem', () => {
  it('a missing spec file', async () => {
    const r = await quorum(['check', 'specs/nope.cfg']);
    expect(r.code).toBe(2);
    expect(firstErrorLine(r)).toContain('specs/nope.cfg');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('a .cfg syntax error, with file:line:col', async () => {
    const spec = tempSpec('broken.cfg', 'MODEL two-phase-commit\nCONSTANTS\n  RM = {r1, r2\nINVARIANT TCConsistent\n');
    const r = await quorum(['check', spec]);
    expect(r.code).toBe(2);
    expect(firstErrorLine(r)).toMatch(/broken\.cfg:\d+:\d+/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('an unknown model lists the bundled ones', async () => {
    const spec = tempSpec('unknown.cfg', 'MODEL pax0s\nINVARIANT Agreement\n');
    const r = await quorum(['check', spec, '--json']);
    expect(r.code).toBe(2);
    const report = JSON.parse(r.stdout);
    expect(report.error.code).toBe('UNKNOWN_MODEL');
    expect(report.error.message).toContain('paxos');
    expect(report.exitCode).toBe(2);
  });

  it('a model that throws names the action, its arguments and the state, and still reports what was explored', async () => {
    const spec = tempSpec('throwing.cfg', `MODEL ${join(TEST_MODELS, 'throwing.ts')}\nCONSTANTS\n  At = 2\nINVARIANT Fine\n`);
    const r = await quorum(['check', spec, '--workers', '2']);
    expect(r.code).toBe(2);
    expect(r.stderr + r.stdout).toMatch(/action Boom\(3\): error\[MODEL_THREW\]: threw Error: boom at x = 2/);
    expect(r.stdout).toMatch(/distinct states/);
  });
});

describe('quorum CLI: failures inside the run', () => {
  it('a worker that dies: exit 3, one line, and the partial summary', async () => {
    const spec = tempSpec('killer.cfg', `MODEL ${join(TEST_MODELS, 'worker-killer.ts')}\n`);
    const r = await quorum(['check', spec, '--workers', '2', '--json']);
    expect(r.code).toBe(3);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ result: 'error', exitCode: 3, workers: 2 });
    expect(report.error.code).toBe('WORKER_DIED');
    expect(report.distinctStates).toBeGreaterThanOrEqual(5); // x = 0..5 were found before the worker died
  });
});

describe('quorum CLI: results', () => {
  it('no violation: exit 0 and the whole --json summary', async () => {
    const r = await quorum(['check', 'specs/two-phase-commit.cfg', '--const', 'RM={r1,r2,r3}', '--workers', '1', '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    for (const f of REPORT_FIELDS) expect(report, f).toHaveProperty(f);
    expect(report).toMatchObject({ result: 'ok', model: 'two-phase-commit', distinctStates: 288, depth: 11, workers: 1, violation: null, error: null, interrupted: false, exitCode: 0 });
  });

  it('a violation: exit 1, a shortest trace in the summary and a trace file', async () => {
    const out = mkdtempSync(join(tmpdir(), 'quorum-out-'));
    const r = await quorum(['check', 'specs/paxos-naive.cfg', '--json', '--out', out]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.result).toBe('violation');
    expect(report.violation).toMatchObject({ kind: 'invariant', name: 'Agreement' });
    expect(report.violation.trace).toHaveLength(13);
    expect(report.traceFile).toMatch(/\.json$/);
    const shown = await quorum(['trace', report.traceFile, '--plain']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('Agreement');
  });

  it('Ctrl-C stops the run, prints what was explored so far and exits 130', async () => {
    let sent = false;
    const r = await quorum(['check', 'specs/long/raft-larger.cfg', '--plain', '--progress', '1', '--workers', '2'], (sofar, kill) => {
      // Interrupt once the run has reported progress: states have been explored by then.
      if (!sent && /Progress\(/.test(sofar)) {
        sent = true;
        kill('SIGINT');
      }
    });
    expect(sent).toBe(true);
    expect(r.code).toBe(130);
    expect(r.stdout + r.stderr).toMatch(/interrupted/i);
    // The summary after the interruption: what was explored so far.
    const all = r.stderr + r.stdout;
    const distinct = /([\d,]+) distinct states/.exec(all.slice(all.search(/interrupted/i)));
    expect(distinct).not.toBeNull();
    expect(Number(distinct![1]!.replace(/,/g, ''))).toBeGreaterThan(0);
  });
});
