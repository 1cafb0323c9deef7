// The pre-built CLI bundle: reused while its inputs are unchanged, rebuilt otherwise; only for the
// commands that load no model.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain JavaScript module (it runs before any TypeScript loader)
import { buildBundle, bundleFits, freshBundle } from './cli-bundle.mjs';

const dir = mkdtempSync(join(tmpdir(), 'quorum-cli-bundle-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Manifest = { bundle: string; inputs: [string, number, number][]; packages: string[] };
const manifestPath = (): string => join(dir, readdirSync(dir).find((f) => f.startsWith('manifest-'))!);
const editManifest = (edit: (m: Manifest) => void): void => {
  const m = JSON.parse(readFileSync(manifestPath(), 'utf8')) as Manifest;
  edit(m);
  writeFileSync(manifestPath(), JSON.stringify(m));
};

describe('the CLI bundle', () => {
  it('runs only the commands that load no model', () => {
    for (const args of [['history', '-m', 'kv', 'f'], ['models'], ['--help'], ['-h'], ['--version'], [], ['check', '--help']]) expect(bundleFits(args)).toBe(true);
    for (const args of [['check', 'specs'], ['simulate', 'x.cfg'], ['explore', 'x.cfg'], ['replay', 'a', 'b'], ['trace', 't.json'], ['graph', 'x.cfg']]) expect(bundleFits(args)).toBe(false);
  });

  it('is reused while its inputs are unchanged and not once one changed, a package went or a nearer tsconfig.json appeared', async () => {
    const url = (await buildBundle(dir)) as string;
    expect(freshBundle(dir)).toBe(url);
    const m = JSON.parse(readFileSync(manifestPath(), 'utf8')) as Manifest;
    expect(m.inputs.some(([p]) => p.endsWith(join('src', 'history', 'wgl-compiled.ts')))).toBe(true);
    expect(m.inputs.some(([p, , size]) => p.endsWith('tsconfig.json') && size > 0)).toBe(true);
    const original = JSON.stringify(m);

    editManifest((x) => (x.inputs[0]![1] -= 1)); // as if the source was edited since
    expect(freshBundle(dir)).toBeUndefined();
    writeFileSync(manifestPath(), original);
    editManifest((x) => x.packages.push(join(dir, 'no-such-package.js')));
    expect(freshBundle(dir)).toBeUndefined();
    writeFileSync(manifestPath(), original);
    editManifest((x) => x.inputs.push([manifestPath(), -1, -1])); // a file that must not exist exists
    expect(freshBundle(dir)).toBeUndefined();
    writeFileSync(manifestPath(), original);
    expect(freshBundle(dir)).toBe(url);

    // The same sources give the same bundle folder; it runs.
    expect(await buildBundle(dir)).toBe(url);
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', `const { main } = await import(${JSON.stringify(url)}); process.exitCode = await main(['--version']);`], { encoding: 'utf8' });
    expect(r.stdout.trim()).toBe('0.1.0');
    expect(r.status).toBe(0);
    expect(fileURLToPath(url).startsWith(dir)).toBe(true);
  });
});
