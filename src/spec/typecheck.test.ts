// The model type check: TypeScript's errors in the model's own files, as file:line:col one-liners, and
// a clean result reused while no file it read changed.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { typecheckModel } from './typecheck.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '../../..');
// Inside the repository (out/ is ignored by git), so the model finds immutable and quorum's tsconfig.json.
mkdirSync(join(ROOT, 'out'), { recursive: true });
const DIR = mkdtempSync(join(ROOT, 'out', '.typecheck-test-'));
afterAll(() => rmSync(DIR, { recursive: true, force: true }));

const MODEL_TS = join(ROOT, 'src/model/model.ts');
const CONSTANTS_TS = join(ROOT, 'src/model/constants.ts');

function counterModel(body: string): string {
  return `import { Record } from 'immutable';
import { constant } from ${JSON.stringify(CONSTANTS_TS)};
import { defineModel, instance } from ${JSON.stringify(MODEL_TS)};
const State = Record({ count: 0 }, 'Counter');
export default defineModel({
  name: 'counter',
  constants: { C: constant.modelValues() },
  build({ C }) {
    return instance({
      init: [State()],
      actions: { Inc: { params: { c: C }, step: ${body} } },
      invariants: { Small: (s) => s.count < 3 },
      records: [State],
    });
  },
});
`;
}

describe('typecheckModel', () => {
  it('caches a clean result by content, and reports a typo in the state and in the arguments at its line and column', async () => {
    const cache = join(DIR, 'cache');
    const model = join(DIR, 'counter.ts');
    writeFileSync(model, counterModel(`(s, { c }) => (c.length > 0 ? s.set('count', s.count + 1) : undefined)`));
    expect(await typecheckModel(model, { cacheDir: cache })).toEqual({ diagnostics: [], cached: false });
    expect(await typecheckModel(model, { cacheDir: cache })).toEqual({ diagnostics: [], cached: true });
    // An edit invalidates it.
    writeFileSync(model, counterModel(`(s, { cc }) => s.set('count', s.countr + 1)`));
    const r = await typecheckModel(model, { cacheDir: cache });
    expect(r.cached).toBe(false);
    expect(r.diagnostics.map((d) => [d.line, d.col, d.tsCode])).toEqual([
      [11, 55, 2339],
      [11, 81, 2551],
    ]);
    expect(r.diagnostics[0]!.message).toBe("Property 'cc' does not exist on type '{ c: string; }'.");
    expect(r.diagnostics[1]!.message).toBe("Property 'countr' does not exist on type 'RecordOf<{ count: number; }>'. Did you mean 'count'?");
  });

  it('quorum check stops at a type error with exit code 2 and one line per error; --no-typecheck runs the model', () => {
    const model = join(DIR, 'typo-cli.ts');
    writeFileSync(model, counterModel(`(s) => s.set('count', s.countr + 1)`));
    const spec = join(DIR, 'typo.cfg');
    writeFileSync(spec, `MODEL ${model}\nCONSTANTS C = {c1}\nINVARIANT Small\n`);
    const bin = join(ROOT, 'src/cli/bin.mjs');
    const env = { ...process.env, CI: 'true', NO_COLOR: '1' };
    const r = spawnSync(process.execPath, [bin, 'check', '--workers', '0', spec], { cwd: ROOT, env, encoding: 'utf8', timeout: 300_000 });
    expect(r.status).toBe(2);
    const errors = r.stderr.split('\n').filter((l) => l.includes('error['));
    expect(errors).toEqual([
      `quorum: out/${DIR.split('/').pop()}/typo-cli.ts:11:73: error[TYPE_ERROR]: Property 'countr' does not exist on type 'RecordOf<{ count: number; }>'. Did you mean 'count'? (TS2551)`,
    ]);
    expect(r.stdout).not.toContain('error[');
    const json = spawnSync(process.execPath, [bin, 'check', '--json', '--workers', '0', spec], { cwd: ROOT, env, encoding: 'utf8', timeout: 300_000 });
    expect(JSON.parse(json.stdout).error).toMatchObject({ code: 'TYPE_ERROR', where: `out/${DIR.split('/').pop()}/typo-cli.ts:11:73`, diagnostics: [{ where: `out/${DIR.split('/').pop()}/typo-cli.ts:11:73` }] });
    // Without the check the model runs: s.countr is undefined, count becomes NaN, and Small is reported violated.
    const skipped = spawnSync(process.execPath, [bin, 'check', '--no-typecheck', '--workers', '0', spec], { cwd: ROOT, env, encoding: 'utf8', timeout: 300_000 });
    expect(skipped.status).toBe(1);
    expect(skipped.stdout).toContain('Invariant Small is violated');
  });
});
