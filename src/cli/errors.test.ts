// Errors that name the place: each bad model or spec is reported at its file:line:col or its action,
// with what is known about where it happened, once, and without losing a counterexample.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCheck } from './check.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '../../..');
// Inside the repository (out/ is ignored by git), so the models find immutable.
mkdirSync(join(ROOT, 'out'), { recursive: true });
const DIR = mkdtempSync(join(ROOT, 'out', '.errors-test-'));
afterAll(() => rmSync(DIR, { recursive: true, force: true }));
const rel = (f: string) => relative(process.cwd(), f);

const HEADER = `import { Map as IMap, Record } from 'immutable';
import { constant } from ${JSON.stringify(join(ROOT, 'src/model/constants.ts'))};
import { defineModel, instance } from ${JSON.stringify(join(ROOT, 'src/model/model.ts'))};
import { eventually } from ${JSON.stringify(join(ROOT, 'src/model/properties.ts'))};
const State = Record({ counter: 0, local: IMap<string, unknown>() }, 'State');
`;

/** A lost-update counter whose Read and Write steps (and params) are given; line 6 is `export default`. */
function model(name: string, opts: { read?: string; write?: string; params?: string; cfg?: string }): string {
  const file = join(DIR, `${name}.ts`);
  writeFileSync(
    file,
    `${HEADER}export default defineModel({
  name: ${JSON.stringify(name)},
  constants: { Client: constant.modelValues() },
  build({ Client }) {
    return instance({
      init: [State()],
      actions: {
        Read: { params: ${opts.params ?? '{ c: Client }'} as never, step: ${opts.read ?? "(s, { c }: { c: string }) => (s.local.has(c) ? undefined : s.setIn(['local', c], s.counter))"} },
        Write: { params: { c: Client }, step: ${opts.write ?? "(s, { c }) => (s.local.get(c) === undefined || s.local.get(c) === -1 ? undefined : s.set('counter', (s.local.get(c) as number) + 1).setIn(['local', c], -1))"} },
      },
      invariants: { NoLostUpdate: (s) => !(s.local.size === Client.length && s.local.every((v) => v === -1)) || s.counter === Client.length },
      properties: { Done: eventually((s: ReturnType<typeof State>) => s.counter === Client.length) },
      records: [State],
    });
  },
});
`,
  );
  const spec = join(DIR, `${name}.cfg`);
  writeFileSync(spec, `MODEL ./${name}.ts\nCONSTANTS Client = {c1, c2}\nINVARIANT NoLostUpdate\nCHECK_DEADLOCK FALSE\n${opts.cfg ?? ''}`);
  return spec;
}

function quorumCli(args: string[]) {
  const env = { ...process.env, CI: 'true', NO_COLOR: '1' };
  return spawnSync(process.execPath, [join(ROOT, 'src/cli/bin.mjs'), ...args], { cwd: ROOT, env, encoding: 'utf8', timeout: 120_000 });
}

const check = (spec: string, outDir = join(DIR, 'traces')) => runCheck(spec, { workers: 0, overrides: [], outDir, writeTrace: true, typecheck: false });

describe('errors that name the place', () => {
  it('a syntax error in a model: its file:line:col and the message', () => {
    // Through the CLI: models are loaded by tsx there (vitest loads them its own way).
    const r = quorumCli(['check', '--no-typecheck', '-w', '0', model('syntax', { write: '(s) => s +* 1' })]);
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n').filter((l) => l.includes('error['))).toEqual([`quorum: ${rel(join(DIR, 'syntax.ts'))}:14:56: error[MODEL_LOAD]: syntax error: Unexpected "*"`]);
  });

  it('a model that throws: its own source line and a shortest trace to the state', async () => {
    const spec = model('throws', { write: "(s, { c }) => { if (s.local.size === 2) throw new RangeError('no room for ' + c); return undefined; }" });
    const { report, failureTrace } = await check(spec);
    expect(report.error?.code).toBe('MODEL_THREW');
    expect(report.error?.where).toBe('action Write(c1)');
    expect(report.error?.location).toBe(`${rel(join(DIR, 'throws.ts'))}:14:93`);
    expect(report.error?.trace?.map((t) => t.action)).toEqual(['Init', 'Read(c1)', 'Read(c2)']);
    expect(failureTrace?.trace.length).toBe(3);
  });

  it('a plain object in a state: the action, its arguments and the path inside the state', async () => {
    const spec = model('plain', { read: "(s, { c }: { c: string }) => (s.local.has(c) ? undefined : s.setIn(['local', c], { value: s.counter }))" });
    const { report } = await check(spec);
    expect(report.error).toMatchObject({
      code: 'STATE_NOT_IMMUTABLE',
      where: 'action Read(c1)',
      message: expect.stringMatching(/^action Read\(c1\) put a plain object in the state at local\.c1; states must be built from Immutable\.js values/),
    });
    expect(report.error?.trace?.map((t) => t.action)).toEqual(['Init']);
  });

  it('a plain object in an initial state: which one, and the path', async () => {
    const spec = model('plain-init', {});
    writeFileSync(join(DIR, 'plain-init.ts'), readFileSync(join(DIR, 'plain-init.ts'), 'utf8').replace('init: [State()]', "init: [State({ local: IMap({ c1: [1] }) })]"));
    const { report } = await check(spec);
    expect(report.error).toMatchObject({ code: 'STATE_NOT_IMMUTABLE', where: 'init', message: expect.stringMatching(/^initial state 1 has an array at local\.c1; /) });
  });

  it('a step that returns something that is not a state is rejected at the step', async () => {
    const spec = model('zero', { write: '(s, { c }) => (s.local.has(c) ? (0 as never) : undefined)' });
    const { report } = await check(spec);
    expect(report.error).toMatchObject({ code: 'STEP_RESULT', where: 'action Write(c1)', message: expect.stringMatching(/^action Write\(c1\) returned 0 \(a number\), not a state/) });
    expect(report.exitCode).toBe(2);
  });

  it("a parameter domain that is not an array (params: { c: 'c1' }) is rejected", async () => {
    const spec = model('domain', { params: "{ c: 'c1' }" });
    const { report } = await check(spec);
    expect(report.error).toMatchObject({ code: 'BAD_PARAMS', where: 'action Read', message: `action Read: the domain of parameter c must be an array of values, got the string "c1" (write c: ["c1"] for one value)` });
  });

  it('fairness of an action instance no instance has, and an EXPECT naming nothing checked: errors with "did you mean"', async () => {
    const wf = await check(model('wf', { cfg: 'PROPERTY Done\nWF Write(c9)\n' }));
    expect(wf.report.error).toEqual({
      code: 'UNKNOWN_NAME',
      where: `${join(DIR, 'wf.cfg')}:6:1`,
      message: 'WF(Write(c9)): no instance of Write has the arguments Write(c9) (did you mean Write(c1)?); its instances are Write(c1), Write(c2)',
    });
    const arity = await check(model('wf-arity', { cfg: 'PROPERTY Done\nWF Read(c1, 3)\n' }));
    expect(arity.report.error?.message).toBe('WF(Read(c1, 3)): Read(c1, 3) gives 2 arguments, but Read has 1');
    const exp = await check(model('expect', { cfg: 'EXPECT VIOLATION NoLostUpdat\n' }));
    expect(exp.report.error).toEqual({
      code: 'UNKNOWN_NAME',
      where: `${join(DIR, 'expect.cfg')}:5:18`,
      message: 'EXPECT VIOLATION NoLostUpdat: this spec checks no invariant or property named NoLostUpdat (did you mean NoLostUpdate?); it checks NoLostUpdate',
    });
  });

  it('a trace file that cannot be written: the violation keeps its report and exit code, the write failure is its own error', async () => {
    const spec = model('lost', {});
    const underFile = join(DIR, 'lost.cfg', 'traces');
    const locked = join(DIR, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o500);
    const root = process.getuid?.() === 0; // root writes anywhere: the unwritable folder case needs another user
    for (const outDir of [underFile, '/proc/nope', ...(root ? [] : [join(locked, 'traces')])]) {
      const { report, traceFile } = await check(spec, outDir);
      expect([report.result, report.violation?.name, report.exitCode, report.traceFile], outDir).toEqual(['violation', 'NoLostUpdate', 1, null]);
      expect(traceFile?.trace.length).toBe(5);
      expect(report.traceFileError).toMatchObject({ code: 'TRACE_WRITE', where: outDir, message: expect.stringContaining('cannot write the trace file') });
    }
    chmodSync(locked, 0o700);
  });

  it('on the command line: the counterexample first, each error once', () => {
    const lost = quorumCli(['check', '--no-typecheck', '-w', '0', '--out', '/proc/nope', model('lost-cli', {})]);
    expect(lost.status).toBe(1);
    expect(lost.stdout).toContain('Invariant NoLostUpdate is violated.');
    expect(lost.stdout).toContain('State 5: Write(c2)');
    expect(lost.stderr.split('\n').filter((l) => l.includes('error['))).toEqual([
      expect.stringMatching(/^quorum: \/proc\/nope: error\[TRACE_WRITE\]: cannot write the trace file \/proc\/nope\/lost-cli-invariant-.*\.json: /),
    ]);
    const threw = quorumCli(['check', '--no-typecheck', '-w', '0', model('throws-cli', { write: "(s) => { if (s.local.size === 2) throw new Error('boom'); return undefined; }" })]);
    expect(threw.status).toBe(2);
    const lines = (threw.stdout + threw.stderr).split('\n').filter((l) => l.includes('boom'));
    expect(lines).toEqual([expect.stringMatching(/^quorum: .*throws-cli\.ts:14:86: action Write\(c1\): error\[MODEL_THREW\]: threw Error: boom; in state /)]);
    expect(threw.stdout).toContain('A shortest trace to the state it failed in has 3 states:');
    expect(threw.stdout).toContain('Stopped by the error above (error[MODEL_THREW]).');
  });
});
