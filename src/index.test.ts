// quorum as a package: packed with `npm pack`, installed from the tarball into a project of its own
// (outside this repository, without "type": "module"), where a model imports from 'quorum' and is
// checked from the CLI (type-checked, on a worker) and from a vitest test through 'quorum/check'.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(fileURLToPath(import.meta.url), '../..');
const WORK = mkdtempSync(join(tmpdir(), 'quorum-package-'));
afterAll(() => rmSync(WORK, { recursive: true, force: true }));

const MODEL = `import { Map as IMap, Record } from 'immutable';
import { constant, defineModel, instance } from 'quorum';

// A lost update: each client reads the counter, then writes what it read plus one.
const State = Record({ counter: 0, local: IMap<string, number>(), pc: IMap<string, 'start' | 'read' | 'done'>() }, 'Counter');

export default defineModel({
  name: 'lost-update',
  constants: { Client: constant.modelValues() },
  build({ Client }) {
    return instance({
      init: [State({ pc: IMap(Client.map((c) => [c, 'start'])) })],
      actions: {
        Read: {
          params: { c: Client },
          step: (s, { c }) => (s.pc.get(c) === 'start' ? s.setIn(['local', c], s.counter).setIn(['pc', c], 'read') : undefined),
        },
        Write: {
          params: { c: Client },
          step: (s, { c }) => (s.pc.get(c) === 'read' ? s.set('counter', s.local.get(c, 0) + 1).setIn(['pc', c], 'done') : undefined),
        },
      },
      invariants: {
        NoLostUpdate: (s) => !s.pc.every((p) => p === 'done') || s.counter === Client.length,
      },
      records: [State],
    });
  },
});
`;
const SPEC = 'MODEL ./lost-update.ts\nCONSTANTS Client = {c1, c2}\nINVARIANT NoLostUpdate\nCHECK_DEADLOCK FALSE\n';
const TEST = `import { expect, it } from 'vitest';
import { checkSpec } from 'quorum/check';
import { fileURLToPath } from 'node:url';

it('finds the lost update', async () => {
  const r = await checkSpec(fileURLToPath(new URL('./lost-update.cfg', import.meta.url)));
  expect(r.violation?.name).toBe('NoLostUpdate');
  expect(r.violation?.trace.map((t) => t.action)).toEqual(['Init', 'Read(c1)', 'Read(c2)', 'Write(c1)', 'Write(c2)']);
});
`;

function run(cmd: string, args: string[], cwd: string) {
  return spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 600_000, env: { ...process.env, CI: 'true', NO_COLOR: '1' } });
}

describe('quorum as a package', () => {
  it('installs from its tarball into another project and checks a model there, from the CLI and from vitest', () => {
    const pack = run('npm', ['pack', '--pack-destination', WORK], ROOT);
    expect(pack.status, pack.stderr).toBe(0);
    const tarball = readdirSync(WORK).find((f) => f.endsWith('.tgz'))!;

    const project = join(WORK, 'project');
    mkdirSync(join(project, 'models'), { recursive: true });
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'lost-update', version: '1.0.0', private: true }));
    writeFileSync(join(project, 'models/lost-update.ts'), MODEL);
    writeFileSync(join(project, 'models/lost-update.cfg'), SPEC);
    writeFileSync(join(project, 'models/lost-update.test.ts'), TEST);
    const install = run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', join(WORK, tarball)], project);
    expect(install.status, install.stderr).toBe(0);
    expect(existsSync(join(project, 'node_modules/quorum/src/index.ts'))).toBe(true);

    const cli = run(process.execPath, ['node_modules/quorum/src/cli/bin.mjs', 'check', '--json', '--workers', '1', 'models/lost-update.cfg'], project);
    expect(cli.stderr).toBe('');
    const report = JSON.parse(cli.stdout);
    expect([cli.status, report.result, report.violation.name, report.violation.trace.length]).toEqual([1, 'violation', 'NoLostUpdate', 5]);

    // The project's tests use this repository's vitest (linked, not installed: it has many dependencies).
    symlinkSync(join(ROOT, 'node_modules/vitest'), join(project, 'node_modules/vitest'), 'dir');
    const vitest = run(process.execPath, ['node_modules/vitest/vitest.mjs', 'run'], project);
    expect(vitest.status, vitest.stdout + vitest.stderr).toBe(0);
    expect(vitest.stdout).toContain('1 passed');
  });
});
