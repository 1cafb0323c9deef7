// The README's example outputs are the tool's: each block marked `<!-- output: NAME -->` (in README.md
// or in the screens' walk-through, src/tui/README.md) is compared
// with what quorum prints or draws now (timings and file names aside), so the examples cannot drift.
// A line `…` in a block stands for any number of lines left out. With README_OUTPUTS=DIR set, the
// current outputs are also written there, one file per block, to paste into the README.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { render } from 'ink-testing-library';
import { createElement } from 'react';
import { beforeAll, describe, expect, it } from 'vitest';
import { readTraceFile, type TraceFile } from '../trace/trace-file.js';
import { TraceViewer } from '../tui/TraceViewer.js';
import { Explorer } from '../tui/Explorer.js';
import { KEYS, paxosNaiveModel, twoPhaseModel, waitFor } from '../tui/test-support.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// The documents whose marked blocks are checked: the README and the screens' walk-through.
const DOCS = ['README.md', 'src/tui/README.md'].map((f) => readFileSync(join(ROOT, f), 'utf8'));

/** The blocks marked `<!-- output: NAME -->`, by name. */
function markedBlocks(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /<!-- output: ([\w-]+) -->\n```\w*\n([\s\S]*?)\n```/g;
  for (const m of text.matchAll(re)) out.set(m[1]!, m[2]!);
  return out;
}

// On the main thread (-w 0) the counterexample is always the same one; with workers, which of several
// shortest ones is found can vary with scheduling.
/** What varies from run to run: durations, rates, worker counts, memory, trace file names. */
function normalize(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trimEnd())
    .map((l) => l.replace(/Finished in .*$/, 'Finished in …'))
    .map((l) => l.replace(/Peak memory .*$/, 'Peak memory …'))
    .map((l) => l.replace(/Trace written to .*$/, 'Trace written to …'));
}

/** The README's lines match the actual ones, a `…` line standing for any run of lines. */
function expectSameOutput(name: string, documented: string, actual: string): void {
  const want = normalize(documented);
  const got = normalize(actual);
  const dump = process.env.README_OUTPUTS;
  if (dump) writeFileSync(join(dump, `${name}.txt`), actual.split('\n').map((l) => l.trimEnd()).join('\n') + '\n');
  const segments: string[][] = [[]];
  for (const l of want) {
    if (l.trim() === '…') segments.push([]);
    else segments.at(-1)!.push(l);
  }
  let at = 0;
  segments.forEach((seg, i) => {
    if (i === 0) {
      expect(got.slice(0, seg.length), `${name}: the start`).toEqual(seg);
      at = seg.length;
      return;
    }
    if (i === segments.length - 1) {
      expect(got.slice(got.length - seg.length), `${name}: the end`).toEqual(seg);
      return;
    }
    let found = -1;
    for (let k = at; k + seg.length <= got.length && found < 0; k++) if (seg.every((l, j) => got[k + j] === l)) found = k;
    expect(found, `${name}: lines after a … not found in order:\n${seg.join('\n')}`).toBeGreaterThanOrEqual(0);
    at = found + seg.length;
  });
}

const blocks = new Map(DOCS.flatMap((text) => [...markedBlocks(text)]));
let naiveText = '';
let naive: TraceFile;

beforeAll(() => {
  const out = mkdtempSync(join(tmpdir(), 'quorum-readme-'));
  const r = spawnSync(process.execPath, ['--single-threaded-gc', 'src/cli/bin.mjs', 'check', '--plain', '-w', '0', '--out', out, 'specs/paxos-naive.cfg'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true', NO_COLOR: '1' },
  });
  if (r.status !== 1) throw new Error(`quorum check specs/paxos-naive.cfg exited ${r.status}: ${r.stderr}`);
  naiveText = r.stdout;
  naive = readTraceFile(join(out, readdirSync(out)[0]!));
}, 120_000);

function frame(el: Parameters<typeof render>[0]): string {
  return render(el).lastFrame() ?? '';
}

const SIZE = { columns: 100, rows: 30 };

describe('the README shows what quorum prints', () => {
  it('marks the blocks this test checks', () => {
    expect([...blocks.keys()].sort()).toEqual(
      ['explorer-2pc', 'explorer-search', 'paxos-naive-text', 'viewer-default', 'viewer-full', 'viewer-messages', 'viewer-nodes'].sort(),
    );
  });

  it('quorum check specs/paxos-naive.cfg (the text trace and the summary)', () => {
    expectSameOutput('paxos-naive-text', blocks.get('paxos-naive-text')!, naiveText.trimEnd());
  });

  it('the counterexample viewer: its default, full states, nodes and messages', () => {
    const quit = () => {};
    const step10 = 9;
    expectSameOutput('viewer-default', blocks.get('viewer-default')!, frame(createElement(TraceViewer, { trace: naive, onQuit: quit, exitCode: 1, ...SIZE })));
    expectSameOutput('viewer-full', blocks.get('viewer-full')!, frame(createElement(TraceViewer, { trace: naive, onQuit: quit, exitCode: 1, initialFull: true, initialStep: step10, ...SIZE })));
    expectSameOutput('viewer-nodes', blocks.get('viewer-nodes')!, frame(createElement(TraceViewer, { trace: naive, onQuit: quit, exitCode: 1, initialView: 'nodes', initialStep: step10, ...SIZE })));
    expectSameOutput('viewer-messages', blocks.get('viewer-messages')!, frame(createElement(TraceViewer, { trace: naive, onQuit: quit, exitCode: 1, initialView: 'messages', initialStep: step10, ...SIZE })));
  });

  it('the explorer: the first screen, and a search', async () => {
    expectSameOutput('explorer-2pc', blocks.get('explorer-2pc')!, frame(createElement(Explorer, { model: twoPhaseModel(), specName: 'specs/two-phase-commit.cfg', onQuit: () => {}, ...SIZE })));
    const r = render(createElement(Explorer, { model: paxosNaiveModel(1), specName: 'specs/paxos-naive.cfg', onQuit: () => {}, ...SIZE }));
    const f = () => r.lastFrame() ?? '';
    await waitFor(() => f().includes('Enabled actions'), 'the explorer');
    r.stdin.write('/');
    await waitFor(() => f().includes('Search for:'), 'the prompt');
    r.stdin.write(KEYS.enter);
    await waitFor(() => f().includes('Found a state violating Agreement'), () => `the search; last frame:\n${f()}`, 60_000);
    expectSameOutput('explorer-search', blocks.get('explorer-search')!, f());
  }, 90_000);
});
