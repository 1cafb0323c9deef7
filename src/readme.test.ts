// Every ```ts block of README.md compiles: imports from 'quorum' (and its subpaths, through package.json's
// exports) or from '../src/...' resolve to this repository's sources. A block that is not meant to
// compile on its own is written ```ts fragment (or in another language).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { typecheckFiles } from './spec/typecheck.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '../..');
mkdirSync(join(ROOT, 'out'), { recursive: true });
const DIR = mkdtempSync(join(ROOT, 'out', '.readme-test-'));
afterAll(() => rmSync(DIR, { recursive: true, force: true }));

interface Block {
  readonly line: number;
  readonly code: string;
}

/** The ```ts (or ```typescript) blocks of a markdown text, with the line each starts on. */
export function tsBlocks(markdown: string): Block[] {
  const out: Block[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*(ts|typescript)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const fence = open[2]!;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !lines[j]!.trimStart().startsWith(fence); j++) body.push(lines[j]!.slice(Math.min(open[1]!.length, lines[j]!.length - lines[j]!.trimStart().length)));
    out.push({ line: i + 2, code: body.join('\n') });
    i = j;
  }
  return out;
}

const EXPORTS = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, string> }).exports;

/** Rewrites a block's module specifiers to files of this repository. */
export function resolveImports(code: string): string {
  return code.replace(/(\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)(['"])([^'"]+)\2/g, (whole, lead: string, q: string, spec: string) => {
    let target: string | undefined;
    if (spec === 'quorum' || spec.startsWith('quorum/')) {
      const sub = EXPORTS[spec === 'quorum' ? '.' : `./${spec.slice('quorum/'.length)}`];
      if (sub) target = join(ROOT, sub);
    } else {
      const m = /^(?:\.\.?\/)+(src|models)\/(.*)$/.exec(spec);
      if (m) target = join(ROOT, m[1]!, m[2]!);
    }
    return target ? `${lead}${q}${target}${q}` : whole;
  });
}

describe('README.md', () => {
  it('the block extraction finds fenced ts blocks and resolves both import styles', () => {
    const md = ['text', '```ts', "import { defineModel } from 'quorum';", "import { constant } from '../src/model/constants.js';", '```', '```ts fragment', 'x', '```', '```text', 'y', '```'].join('\n');
    const blocks = tsBlocks(md);
    expect(blocks.map((b) => b.line)).toEqual([3]);
    expect(resolveImports(blocks[0]!.code)).toBe(
      `import { defineModel } from '${join(ROOT, 'src/index.ts')}';\nimport { constant } from '${join(ROOT, 'src/model/constants.js')}';`,
    );
  });

  // One program for the README's blocks and the fixture below: a program costs seconds.
  let checked: Promise<{ readme: string[]; fixture: string[] }> | undefined;
  const typecheckAll = () =>
    (checked ??= (async () => {
      const blocks = tsBlocks(readFileSync(join(ROOT, 'README.md'), 'utf8'));
      const sources = [...blocks.map((b) => ({ name: `readme-line-${b.line}.ts`, code: b.code })), { name: 'writing-a-model.ts', code: WRITING_A_MODEL }];
      const files = sources.map((b) => {
        const file = join(DIR, b.name);
        // `export {}` keeps a block without imports a module of its own.
        writeFileSync(file, `${resolveImports(b.code)}\nexport {};\n`);
        return file;
      });
      const diagnostics = await typecheckFiles(files);
      const shown = (d: (typeof diagnostics)[number]) => {
        const block = /readme-line-(\d+)\.ts$/.exec(d.file);
        return block ? `README.md:${Number(block[1]) + d.line - 1}:${d.col}: ${d.message} (TS${d.tsCode})` : `${basename(d.file)}:${d.line}:${d.col}: ${d.message} (TS${d.tsCode})`;
      };
      return {
        readme: diagnostics.filter((d) => /readme-line-\d+\.ts$/.test(d.file)).map(shown),
        fixture: diagnostics.filter((d) => !/readme-line-\d+\.ts$/.test(d.file)).map(shown),
      };
    })());

  it("the 'Writing a model' example with instance() compiles with no annotations", async () => {
    expect((await typecheckAll()).fixture).toEqual([]);
  });

  it('every TypeScript example in README.md compiles', async () => {
    expect(tsBlocks(readFileSync(join(ROOT, 'README.md'), 'utf8')).length).toBeGreaterThan(0);
    expect((await typecheckAll()).readme).toEqual([]);
  });
});

// The README's two-phase-commit example as a user writes it: no annotation anywhere. The state type
// comes from init, each action's argument type from its params (a static domain or a function of the
// state), and a typo in either is a compile error (see typecheck.test.ts).
const WRITING_A_MODEL = `import { Map as IMap, Record, Set as ISet } from 'immutable';
import { always, constant, defineModel, eventually, instance } from 'quorum';

const Msg = Record({ type: 'Commit' as 'Prepared' | 'Commit' | 'Abort', rm: null as string | null }, 'Msg');
const State = Record({ rmState: IMap<string, string>(), tmState: 'init', tmPrepared: ISet<string>(), msgs: ISet<ReturnType<typeof Msg>>() }, 'TwoPhase');

export default defineModel({
  name: 'two-phase-commit',
  constants: { RM: constant.modelValues() },
  build({ RM }) {
    return instance({
      init: [State({ rmState: IMap(RM.map((rm) => [rm, 'working'])) })],
      actions: {
        RMPrepare: {
          params: { rm: RM },
          step: (s, { rm }) => s.rmState.get(rm) === 'working'
            ? s.setIn(['rmState', rm], 'prepared').update('msgs', (m) => m.add(Msg({ type: 'Prepared', rm })))
            : undefined,
        },
        TMRcvPrepared: {
          params: (s) => s.msgs.filter((m) => m.type === 'Prepared').toArray().map((m) => ({ rm: m.rm! })),
          step: (s, { rm }) => (s.tmState === 'init' ? s.update('tmPrepared', (p) => p.add(rm)) : undefined),
          format: ({ rm }) => \`TMRcvPrepared(\${rm})\`,
        },
        TMAbort: { step: (s) => (s.tmState === 'init' ? s.set('tmState', 'aborted') : undefined) },
      },
      invariants: {
        Consistent: (s) => !(s.rmState.includes('committed') && s.rmState.includes('aborted')),
      },
      properties: {
        Decided: eventually((s) => s.tmState !== 'init'),
        StaysDecided: always.step((s, t) => s.tmState === 'init' || t.tmState === s.tmState),
      },
      nodeView: { nodes: ['TM', ...RM], view: (s, n) => (n === 'TM' ? { tmState: s.tmState } : { rmState: s.rmState.get(n) }) },
      records: [State, Msg],
    });
  },
});
`;
