// simulate, merge and replay as scripts see them, in processes of their own: the seed-range example of
// the docs run locally (three processes, each a range of seeds, merged), checked against one process.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(fileURLToPath(import.meta.url), '../../..');
const BIN = join(ROOT, 'src/cli/bin.mjs');

function quorum(args: string[], cwd = ROOT): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, CI: 'true', NO_COLOR: '1' } });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', rej);
    child.on('exit', (code) => res({ code, stdout, stderr }));
  });
}

const dir = mkdtempSync(join(tmpdir(), 'quorum-simcli-'));
const spec = join(dir, 'counters.cfg');
writeFileSync(spec, `MODEL ${join(ROOT, 'src/simulate/test-models/counters.ts')}\nCONSTANTS Limit = 6\nINVARIANT XBelowLimit\nEXPECT VIOLATION XBelowLimit\n`);
const common = ['--depth', '30', '--walks', '2', '-w', '0', '--no-trace-file'];

describe('quorum simulate (CLI)', () => {
  it('prints the shrunk trace, the seed and path, and --json fields; --seed/--path replays it', async () => {
    const r = await quorum(['simulate', spec, '--seed', '3', ...common, '--json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ result: 'violation', model: 'counters', violation: { kind: 'invariant', name: 'XBelowLimit' }, exitCode: 1 });
    expect(j.violation.trace.length).toBe(7);
    expect(j.simulation).toMatchObject({ shrunkLength: 7, settings: { depth: 30, walks: 2, swarm: true, balance: 'action' } });
    expect(j.simulation.removedByShrinking).toBe(j.simulation.originalLength - 7);
    const again = await quorum(['simulate', spec, ...common, '--seed', String(j.simulation.seed), '--path', j.simulation.path]);
    expect(again.code).toBe(1);
    expect(again.stdout).toMatch(/A shrunk counterexample has 7 states/);
    expect(again.stdout).toContain(`--seed ${j.simulation.seed} --path ${j.simulation.path}`);
    const expected = await quorum(['simulate', spec, '--seed', '3', ...common, '--expect']);
    expect(expected.code).toBe(0);
  }, 60_000);

  it('bad flags are one-line usage errors', async () => {
    const r = await quorum(['simulate', spec, '--seeds', '5..2']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^quorum: --seeds: error\[USAGE\]/);
    const finish = await quorum(['simulate', spec, '--finish']);
    expect(finish.code).toBe(2);
    expect(finish.stderr.trim()).toMatch(/^quorum: --finish: error\[USAGE\].*--explore/);
    const by = await quorum(['simulate', spec, '--width-by', 'x']);
    expect(by.code).toBe(2);
    expect(by.stderr.trim()).toMatch(/^quorum: --width-by: error\[USAGE\].*--width/);
    const unknown = await quorum(['simulate', spec, '--width', '2', '--width-by', 'z', '-w', '0']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim()).toMatch(/^quorum: --width-by: error\[USAGE\]: the state has no variable 'z' \(its variables: x, y\)$/m);
  }, 60_000);

  it('seed ranges run in separate processes and merged give the single run over the whole range', async () => {
    const ranges = ['0..3', '4..7', '8..11'];
    const runs = await Promise.all(ranges.map((s, i) => quorum(['simulate', spec, '--seeds', s, ...common, '--result', join(dir, `r${i}.json`), '--json'])));
    for (const r of runs) expect([0, 1]).toContain(r.code);
    const merged = await quorum(['merge', ...ranges.map((_, i) => join(dir, `r${i}.json`)), '--json']);
    const whole = await quorum(['simulate', spec, '--seeds', '0..11', ...common, '--json']);
    const m = JSON.parse(merged.stdout);
    const w = JSON.parse(whole.stdout);
    expect(m.result).toBe('violation');
    // The single run stops at its lowest violating seed; each range at its own: the merge keeps the shortest.
    const shortest = Math.min(...runs.map((r) => JSON.parse(r.stdout)).filter((r) => r.result === 'violation').map((r) => r.simulation.shrunkLength));
    expect(m.simulation.shrunkLength).toBe(shortest);
    expect(m.simulation.shrunkLength).toBeLessThanOrEqual(w.simulation.shrunkLength);
    expect(merged.code).toBe(1);
    const rec = JSON.parse(readFileSync(join(dir, 'r0.json'), 'utf8'));
    expect(rec.format).toBe('quorum-simulation/1');
  }, 60_000);
});
