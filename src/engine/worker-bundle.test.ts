// Workers run the worker code bundled with the model: every bundled model bundles, a bundle is reused
// only while its sources are unchanged, and a bundled model sees itself as it would unbundled.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { checkModel } from './index.js';
import { buildWorkerBundle, extendedConfigs, workerBundle } from './worker-bundle.js';
import { loadModel, resolveModelPath } from '../spec/load.js';

const scratch = mkdtempSync(join(tmpdir(), 'quorum-bundle-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const modelTs = fileURLToPath(new URL('../model/model.ts', import.meta.url));

writeFileSync(join(scratch, 'package.json'), '{ "type": "module" }');

/**
 * A counter model in a file of its own. It counts by 1 when import.meta.url names that file, by 1000
 * when not; successors are computed on the workers, so a worker that sees another URL breaks the invariant.
 */
let modelsWritten = 0;
function writeModel(name: string, limit: number): string {
  const file = join(scratch, `${name}.ts`);
  writeFileSync(
    file,
    `import { defineModel } from ${JSON.stringify(modelTs)};
const by: number = import.meta.url === ${JSON.stringify(pathToFileURL(file).href)} ? 1 : 1000;
export default defineModel({
  name: ${JSON.stringify(name)},
  constants: {},
  build() {
    return {
      init: [0],
      actions: { Inc: { step: (x: number) => (x < ${limit} ? x + by : undefined) } },
      invariants: { SeesItsOwnFile: (x: number) => x < 1000 },
    };
  },
});
`,
  );
  // Written a while ago, as sources are: one written while its bundle is built is not trusted to be in it.
  const t = new Date(Date.now() - 60_000 - 1000 * ++modelsWritten);
  utimesSync(file, t, t);
  return file;
}

describe('worker bundles', () => {
  it('bundles every bundled model with the worker code', async () => {
    const cache = join(scratch, 'all');
    for (const name of ['paxos', 'raft', 'two-phase-commit', 'paxos-naive', 'raft-vote-any-log']) {
      const url = await buildWorkerBundle(resolveModelPath(name), cache);
      expect(url).toMatch(/^file:.*worker-[0-9a-f]+\.mjs$/);
      const code = readFileSync(fileURLToPath(url), 'utf8');
      // Packages are imported from where the sources would find them, not copied in.
      expect(code).toMatch(/from "file:\/\/[^"]*\/node_modules\/immutable\//);
      expect(code).not.toMatch(/function isImmutable\(/);
    }
  });

  it('reuses a bundle while its sources are unchanged, and rebuilds when one changes', async () => {
    const cache = join(scratch, 'reuse');
    const file = writeModel('counter', 3);
    const first = await buildWorkerBundle(file, cache);
    const manifest = readdirSync(cache).find((f) => f.startsWith('manifest-'))!;
    const written = statSync(join(cache, manifest)).mtimeMs;
    expect(await buildWorkerBundle(file, cache)).toBe(first);
    expect(statSync(join(cache, manifest)).mtimeMs).toBe(written); // not built again
    writeModel('counter', 4);
    const second = await buildWorkerBundle(file, cache);
    expect(second).not.toBe(first);
    expect(existsSync(fileURLToPath(second))).toBe(true);
  });

  it('rebuilds when the tsconfig.json that applies to a source changes, or a nearer one appears', async () => {
    const dir = join(scratch, 'configured');
    mkdirSync(join(dir, 'inner'), { recursive: true });
    const cache = join(scratch, 'configured-cache');
    const config = join(dir, 'tsconfig.json');
    writeFileSync(config, '{ "compilerOptions": { "useDefineForClassFields": true } }');
    const ago = new Date(Date.now() - 120_000);
    utimesSync(config, ago, ago);
    const file = join(dir, 'inner', 'counter.ts');
    writeFileSync(file, readFileSync(writeModel('configured', 2), 'utf8'));
    utimesSync(file, ago, ago);
    const manifestOf = () => readdirSync(cache).find((f) => f.startsWith('manifest-'))!;
    const first = await buildWorkerBundle(file, cache);
    const built = () => statSync(join(cache, manifestOf())).mtimeMs;
    const t1 = built();
    expect(await buildWorkerBundle(file, cache)).toBe(first);
    expect(built()).toBe(t1); // reused
    // An edited config: built again.
    writeFileSync(config, '{ "compilerOptions": { "useDefineForClassFields": false } }');
    utimesSync(config, ago, new Date(Date.now() - 60_000));
    await buildWorkerBundle(file, cache);
    const t2 = built();
    expect(t2).not.toBe(t1);
    // A nearer config appears: built again.
    const nearer = join(dir, 'inner', 'tsconfig.json');
    writeFileSync(nearer, '{}');
    utimesSync(nearer, ago, new Date(Date.now() - 30_000));
    await buildWorkerBundle(file, cache);
    expect(built()).not.toBe(t2);
  });

  it('rebuilds when a config that the applying tsconfig.json extends changes', async () => {
    const dir = join(scratch, 'extended');
    mkdirSync(join(dir, 'base'), { recursive: true });
    const cache = join(scratch, 'extended-cache');
    const ago = new Date(Date.now() - 120_000);
    const base = join(dir, 'base', 'strict.json');
    writeFileSync(base, '{ "compilerOptions": { "useDefineForClassFields": true } }');
    utimesSync(base, ago, ago);
    const config = join(dir, 'tsconfig.json');
    // JSON with comments and a trailing comma, as tsconfig.json allows; the base named without ".json".
    writeFileSync(config, '{\n  // shared options\n  "extends": "./base/strict", /* here */\n  "compilerOptions": {},\n}\n');
    utimesSync(config, ago, ago);
    expect(extendedConfigs(config)).toEqual([base]);
    const file = join(dir, 'counter.ts');
    writeFileSync(file, readFileSync(writeModel('extended', 2), 'utf8'));
    utimesSync(file, ago, ago);
    const manifest = () => join(cache, readdirSync(cache).find((f) => f.startsWith('manifest-'))!);
    await buildWorkerBundle(file, cache);
    const t1 = statSync(manifest()).mtimeMs;
    await buildWorkerBundle(file, cache);
    expect(statSync(manifest()).mtimeMs).toBe(t1); // reused
    writeFileSync(base, '{ "compilerOptions": { "useDefineForClassFields": false } }');
    utimesSync(base, ago, new Date(Date.now() - 60_000));
    await buildWorkerBundle(file, cache);
    expect(statSync(manifest()).mtimeMs).not.toBe(t1);
    // A package's config, named as a file or as the package (its tsconfig.json, not its JavaScript
    // entry); one that is not installed is not tracked.
    const pkg = join(dir, 'node_modules', '@acme', 'tsconfig');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, 'tsconfig.json'), '{}');
    writeFileSync(join(pkg, 'base.json'), '{}');
    writeFileSync(join(pkg, 'index.js'), '');
    writeFileSync(join(pkg, 'package.json'), '{ "name": "@acme/tsconfig", "main": "index.js" }');
    writeFileSync(config, '{ "extends": ["@acme/tsconfig/base.json", "@acme/tsconfig", "@acme/missing"] }');
    expect(extendedConfigs(config)).toEqual([join(pkg, 'base.json'), join(pkg, 'tsconfig.json')]);
  });

  it('removes bundles not written for a week when it writes one', async () => {
    const cache = join(scratch, 'prune');
    mkdirSync(cache, { recursive: true });
    const old = join(cache, 'worker-0000.mjs');
    const recent = join(cache, 'worker-1111.mjs');
    const other = join(cache, 'notes.txt');
    for (const f of [old, recent, other]) writeFileSync(f, '');
    const eightDaysAgo = new Date(Date.now() - 8 * 24 * 3600 * 1000);
    utimesSync(old, eightDaysAgo, eightDaysAgo);
    utimesSync(other, eightDaysAgo, eightDaysAgo);
    await buildWorkerBundle(writeModel('pruned', 2), cache);
    expect([existsSync(old), existsSync(recent), existsSync(other)]).toEqual([false, true, true]);
  });

  it('a model that reads import.meta.url sees its own file, on workers as in-process', async () => {
    const file = writeModel('meta', 5);
    const definition = await loadModel(file);
    for (const workers of [0, 1]) {
      const r = await checkModel(definition, { constants: {}, workers, modelPath: file, invariants: ['SeesItsOwnFile'], checkDeadlock: false });
      expect([r.status, r.distinctStates]).toEqual(['ok', 6]);
    }
  });

  it('a model that cannot be bundled leaves workers on the TypeScript loader', async () => {
    await expect(buildWorkerBundle(join(scratch, 'missing.ts'), join(scratch, 'missing'))).rejects.toThrow();
    expect(await workerBundle(join(scratch, 'missing.ts'))).toBeUndefined();
  });
});
