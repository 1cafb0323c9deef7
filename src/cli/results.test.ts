// Results that explain themselves, as scripts and CI see them: runs stopped at a bound (exit 5,
// result "bounded"), what was checked (the `checked` field and the summary), the deadlock hint and
// terminal states, the violating state in full, and the usage text. The real command, in a process.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EXIT } from './exit-codes.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '../../..');
const BIN = join(ROOT, 'src/cli/bin.mjs');
const LOST_UPDATE = join(ROOT, 'src/engine/test-models/lost-update.ts');

function quorum(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, ['--single-threaded-gc', BIN, ...args], { cwd: ROOT, env: { ...process.env, CI: 'true', NO_COLOR: '1' } });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => done({ code, stdout, stderr }));
  });
}

function tempSpec(name: string, text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'quorum-results-')), name);
  writeFileSync(file, text);
  return file;
}

describe('bounds', () => {
  it('--max-depth: a "stopped at a bound" summary, exit 5, result "bounded" with the bound', async () => {
    const text = await quorum(['check', '-w', '0', '--max-depth', '4', '--const', 'RM={r1,r2,r3}', 'specs/two-phase-commit.cfg']);
    expect(text.code).toBe(EXIT.STOPPED_AT_BOUND);
    expect(text.code).toBe(5);
    expect(text.stdout).toMatch(/^Stopped at a bound \(--max-depth 4\): no error in the first 4 levels; [\d,]+ states were left unexplored\. The check is not complete\./m);
    expect(text.stdout).not.toContain('No error has been found');
    const json = JSON.parse((await quorum(['check', '-w', '0', '--max-depth', '4', '--json', '--const', 'RM={r1,r2,r3}', 'specs/two-phase-commit.cfg'])).stdout);
    expect([json.result, json.exitCode, json.depth, json.bound]).toEqual(['bounded', 5, 4, { kind: 'depth', limit: 4, flag: '--max-depth 4' }]);
    expect(json.queue).toBeGreaterThan(0);
  }, 60_000);

  it('--max-states and --timeout, and bad values', async () => {
    const states = JSON.parse((await quorum(['check', '-w', '0', '--max-states', '100', '--json', '--const', 'RM={r1,r2,r3}', 'specs/two-phase-commit.cfg'])).stdout);
    expect([states.result, states.bound.kind, states.bound.limit]).toEqual(['bounded', 'states', 100]);
    expect(states.distinctStates).toBeGreaterThanOrEqual(100);
    const time = await quorum(['check', '-w', '0', '--timeout', '0', '--const', 'RM={r1,r2,r3}', 'specs/two-phase-commit.cfg']);
    expect(time.code).toBe(5);
    expect(time.stdout).toMatch(/^Stopped at a bound \(--timeout 0\)/m);
    const bad = await quorum(['check', '--max-depth', '0', '--const', 'RM={r1,r2,r3}', 'specs/two-phase-commit.cfg']);
    expect([bad.code, bad.stderr.trim()]).toEqual([EXIT.BAD_INPUT, "quorum: --max-depth: error[USAGE]: --max-depth takes a whole number of at least 1, got '0'"]);
  }, 60_000);

  it('a bound the run does not reach changes nothing; with --expect, a bounded run is not as expected', async () => {
    const r = JSON.parse((await quorum(['check', '-w', '0', '--max-depth', '1000', '--json', '--const', 'RM={r1,r2,r3}', 'specs/two-phase-commit.cfg'])).stdout);
    expect([r.result, r.exitCode, r.bound]).toEqual(['ok', 0, null]);
    const e = await quorum(['check', '-w', '0', '--max-depth', '3', '--expect', '--json', '--const', 'RM={r1,r2,r3}', 'specs/two-phase-commit.cfg']);
    expect([e.code, JSON.parse(e.stdout).asExpected]).toEqual([5, false]);
  }, 60_000);
});

describe('what was checked', () => {
  it('--json records constants (with --const overrides), invariants, properties, symmetry, fairness', async () => {
    const r = JSON.parse((await quorum(['check', '-w', '0', '--json', '--const', 'Value={v2, v1}', 'specs/paxos-liveness.cfg'])).stdout);
    expect(r.checked).toEqual({
      // The override keeps both values: the spec's WF Phase2a(1, v2) must name an existing instance.
      constants: { Acceptor: ['a1', 'a2', 'a3'], Value: ['v2', 'v1'], MaxBallot: 1 },
      overrides: { Value: '{v2, v1}' },
      invariants: ['Agreement'],
      properties: ['EventuallyChosen', 'SomeValueChosen', 'MaxBalNeverDecreases', 'VotesAreNeverWithdrawn'],
      constraints: [],
      actionConstraints: [],
      symmetry: [],
      fairness: ['WF(Phase1a(1))', 'WF(Phase2a(1, v1))', 'WF(Phase2a(1, v2))', 'WF(Phase1b(a1) \\/ Phase2b(a1))', 'WF(Phase1b(a2) \\/ Phase2b(a2))'],
      view: null,
      checkDeadlock: true,
      terminal: false,
      bounds: { maxDepth: null, maxStates: null, timeoutSeconds: null },
    });
    const sym = JSON.parse((await quorum(['check', '-w', '0', '--json', '--const', 'MaxBallot=0', 'specs/paxos-symmetry.cfg'])).stdout);
    expect(sym.checked.symmetry).toEqual(['Acceptor', 'Value']);
  }, 60_000);

  it('the text summary says what was checked', async () => {
    const r = await quorum(['check', '-w', '0', '--const', 'MaxBallot=0', 'specs/paxos.cfg']);
    expect(r.stdout).toContain('  Checked: invariants Agreement, TypeOK · deadlock.\n');
    expect(r.stdout).toContain('  Constants: Acceptor = {a1, a2, a3}, Value = {v1, v2}, MaxBallot = 0 (--const).\n');
  }, 60_000);
});

describe('deadlocks and terminal states', () => {
  it('a protocol that finishes: a deadlock that says how to declare terminal states; declared, it is not a deadlock', async () => {
    const atomic = (terminal: boolean) => tempSpec('counter.cfg', `MODEL ${LOST_UPDATE}\nCONSTANTS\n  Client = {c1, c2}\n  Atomic = TRUE\n  Terminal = ${terminal ? 'TRUE' : 'FALSE'}\nINVARIANT AllCounted\n`);
    const dead = await quorum(['check', '-w', '0', '--no-trace-file', atomic(false)]);
    expect(dead.code).toBe(1);
    expect(dead.stdout).toContain('If the protocol may properly end in this state, declare its end states in the model: `terminal: (s) => …`');
    const json = JSON.parse((await quorum(['check', '-w', '0', '--no-trace-file', '--json', atomic(false)])).stdout);
    expect(json.violation.hint).toContain('terminal: (s) =>');
    const fine = JSON.parse((await quorum(['check', '-w', '0', '--json', atomic(true)])).stdout);
    expect([fine.result, fine.checked.terminal]).toEqual(['ok', true]);
  }, 60_000);

  it('a lost update: the text trace ends with the violating state in full, the count marked', async () => {
    const spec = tempSpec('lost.cfg', `MODEL ${LOST_UPDATE}\nCONSTANTS\n  Client = {c1, c2}\nINVARIANT AllCounted\n`);
    const r = await quorum(['check', '-w', '0', '--no-trace-file', spec]);
    expect(r.stdout).toContain('The violating state (state 5) in full (» marks what AllCounted reads):\n» count = 1\n');
    const json = JSON.parse((await quorum(['check', '-w', '0', '--no-trace-file', '--json', spec])).stdout);
    expect(json.violation.reads).toEqual(['count', 'pc']);
  }, 60_000);
});

describe('usage', () => {
  it('--help shows trace --plain and the bounds with their exit code', async () => {
    const r = await quorum(['--help']);
    expect(r.stdout).toContain('quorum trace [--full] [--plain] FILE.json');
    for (const flag of ['--max-depth N', '--max-states N', '--timeout SECONDS']) expect(r.stdout).toContain(flag);
    expect(r.stdout).toContain('Exit code 5: stopped at a bound');
  });
});
