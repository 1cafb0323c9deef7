// `quorum history` as scripts see it: exit codes, the --json shape, one-line errors with file:line.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(fileURLToPath(import.meta.url), '../../..');
const BIN = join(ROOT, 'src/cli/bin.mjs');

function quorum(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, CI: 'true', NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => done({ code, stdout, stderr }));
  });
}

const dir = mkdtempSync(join(tmpdir(), 'quorum-history-'));
function file(name: string, text: string): string {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
}
const ev = (p: number, type: string, f: string, v: string) => `{:process ${p}, :type :${type}, :f :${f}, :value ${v}}`;
const good = file('good.edn', `[${ev(0, 'invoke', 'write', '1')} ${ev(0, 'ok', 'write', '1')} ${ev(1, 'invoke', 'read', 'nil')} ${ev(1, 'ok', 'read', '1')}]`);
const bad = file('bad.edn', `[${ev(0, 'invoke', 'write', '1')}\n${ev(0, 'ok', 'write', '1')}\n${ev(1, 'invoke', 'read', 'nil')}\n${ev(1, 'ok', 'read', '2')}]`);
const broken = file('broken.edn', `[${ev(0, 'invoke', 'write', '1')}\n{:process 0 :type :ok :f :write :value 1]`);
// 14 concurrent writes and a read of a value none wrote: the search visits every subset.
const hard = file(
  'hard.edn',
  `[${[...Array(14).keys()].map((p) => ev(p, 'invoke', 'write', String(p + 1))).join(' ')} ${[...Array(14).keys()]
    .map((p) => ev(p, 'ok', 'write', String(p + 1)))
    .join(' ')} ${ev(99, 'invoke', 'read', 'nil')} ${ev(99, 'ok', 'read', '100')}]`,
);
const kv = file(
  'kv.txt',
  [
    '{:process 0, :type :invoke, :f :put, :key "a", :value "x"}',
    '{:process 1, :type :invoke, :f :append, :key "b", :value "y"}',
    '{:process 0, :type :ok, :f :put, :key "a", :value "x"}',
    '{:process 1, :type :ok, :f :append, :key "b", :value "y"}',
    '{:process 0, :type :invoke, :f :get, :key "b", :value nil}',
    '{:process 0, :type :ok, :f :get, :key "b", :value "y"}',
  ].join('\n'),
);

describe('quorum history', () => {
  it('exit 0 and the --json shape when every history is linearizable', async () => {
    const r = await quorum(['history', '--model', 'cas-register', '--json', good]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ result: 'linearizable', exitCode: 0 });
    expect(j.histories).toHaveLength(1);
    expect(j.histories[0]).toMatchObject({ file: good, model: 'cas-register', verdict: 'linearizable', operations: 2, partitions: 1 });
    expect(typeof j.histories[0].elapsedMs).toBe('number');
  });

  it('exit 1 with the counterexample: prefix, offending op, what it needs', async () => {
    const r = await quorum(['history', '--model', 'cas-register', '--json', good, bad]);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.result).toBe('not-linearizable');
    const h = j.histories[1];
    expect(h.verdict).toBe('not-linearizable');
    expect(h.explanation).toMatchObject({ prefix: [0], offending: 1, state: '1', needs: 'value = 2' });
    const text = await quorum(['history', '--model', 'cas-register', bad]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('must take effect, but cannot: it needs value = 2');
    expect(text.stdout).toContain(`${bad}:3`);
  });

  it('partitions (kv by key) unless --no-partition', async () => {
    const p = JSON.parse((await quorum(['history', '--model', 'kv', '--json', '-w', '0', kv])).stdout);
    expect(p.histories[0]).toMatchObject({ verdict: 'linearizable', partitions: 2 });
    const one = JSON.parse((await quorum(['history', '--model', 'kv', '--json', '--no-partition', kv])).stdout);
    expect(one.histories[0]).toMatchObject({ verdict: 'linearizable', partitions: 1 });
    // 1,200 ops: large enough for the pool; the last get of key 3 is stale.
    const lines: string[] = [];
    for (let i = 0; i < 600; i++) {
      const k = i % 4;
      const v = k === 3 && i === 599 ? 'stale' : `v${i}`;
      lines.push(`{:process ${k}, :type :invoke, :f :put, :key "${k}", :value "v${i}"}`, `{:process ${k}, :type :ok, :f :put, :key "${k}", :value "v${i}"}`);
      lines.push(`{:process ${k}, :type :invoke, :f :get, :key "${k}", :value nil}`, `{:process ${k}, :type :ok, :f :get, :key "${k}", :value "${v}"}`);
    }
    const big = file('big.txt', lines.join('\n'));
    // --pool-after 0: every partition on the 2 workers at once.
    const pooled = JSON.parse((await quorum(['history', '--model', 'kv', '--json', '-w', '2', '--pool-after', '0', big])).stdout);
    expect(pooled.histories[0]).toMatchObject({ verdict: 'not-linearizable', operations: 1200, partitions: 4, workers: 2 });
    expect(pooled.histories[0].explanation).toMatchObject({ partition: 3, needs: '"3" = "stale"' });
    // A check done before --pool-after never starts the pool.
    const quick = JSON.parse((await quorum(['history', '--model', 'kv', '--json', '-w', '2', '--pool-after', '600000', big])).stdout);
    expect(quick.histories[0]).toMatchObject({ verdict: 'not-linearizable', partitions: 4, workers: 0 });
    expect(quick.histories[0].explanation).toMatchObject({ partition: 3 });
    // The pool joining the main thread at once: the same answer, whichever thread checked partition 3.
    const joined = JSON.parse((await quorum(['history', '--model', 'kv', '--json', '-w', '2', '--pool-after', '0.001', big])).stdout);
    expect(joined.histories[0]).toMatchObject({ verdict: 'not-linearizable', partitions: 4 });
    expect(joined.histories[0].explanation).toMatchObject({ partition: 3, needs: '"3" = "stale"' });
  });

  it('--html FILE writes the timeline page of every non-linearizable partition; --json then lists them all', async () => {
    // Keys 1 and 3 each end with a stale get: two of the four partitions are not linearizable.
    const lines: string[] = [];
    for (let i = 0; i < 600; i++) {
      const k = i % 4;
      const v = (k === 3 || k === 1) && i >= 596 ? 'stale' : `v${i}`;
      lines.push(`{:process ${k}, :type :invoke, :f :put, :key "${k}", :value "v${i}"}`, `{:process ${k}, :type :ok, :f :put, :key "${k}", :value "v${i}"}`);
      lines.push(`{:process ${k}, :type :invoke, :f :get, :key "${k}", :value nil}`, `{:process ${k}, :type :ok, :f :get, :key "${k}", :value "${v}"}`);
    }
    const two = file('two-bad.txt', lines.join('\n'));
    const plain = JSON.parse((await quorum(['history', '--model', 'kv', '--json', '-w', '0', two])).stdout);
    expect(plain.histories[0].explanation).toMatchObject({ partition: 1 });
    expect(plain.histories[0].explanations).toBeUndefined(); // stops at the first, as before
    expect(plain.html).toBeUndefined();
    for (const w of ['0', '2']) {
      const page = join(dir, `two-bad-${w}.html`);
      const r = await quorum(['history', '--model', 'kv', '--json', '-w', w, '--html', page, two]);
      expect(r.code).toBe(1);
      const j = JSON.parse(r.stdout);
      expect(j.html).toBe(page);
      const h = j.histories[0];
      expect(h.explanation).toEqual(plain.histories[0].explanation);
      expect(h.explanations.map((e: { partition: number; needs: string }) => [e.partition, e.needs])).toEqual([
        [1, '"1" = "stale"'],
        [3, '"3" = "stale"'],
      ]);
      const html = readFileSync(page, 'utf8');
      expect(html.match(/<section class="partition"/g)).toHaveLength(2);
      expect(html).toContain('partition 2 of 4 (300 ops)');
      expect(html).toContain('partition 4 of 4 (300 ops)');
    }
    const text = await quorum(['history', '--model', 'kv', '-w', '0', '--html', join(dir, 'two-bad.html'), two]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('2 of the 4 partitions are not linearizable: 2, 4 (the first is shown).');
    expect(text.stdout).toContain(`Timeline page written to ${join(dir, 'two-bad.html')} (2 non-linearizable partitions).`);
  });

  it('--html into a folder that does not exist is bad input, before any check', async () => {
    const page = join(dir, 'no-such-folder', 'page.html');
    const r = await quorum(['history', '--model', 'cas-register', '--html', page, bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${page}: error[USAGE]: --html: the folder ${join(dir, 'no-such-folder')} does not exist`);
    expect(existsSync(page)).toBe(false);
  });

  it('exit 4 (unknown) when the time budget runs out', async () => {
    const r = await quorum(['history', '--model', 'cas-register', '--json', '--timeout', '0.001', hard]);
    expect(r.code).toBe(4);
    expect(JSON.parse(r.stdout).histories[0]).toMatchObject({ verdict: 'unknown', reason: 'timeout' });
  });

  it('exit 2 for a parse error (file:line), keeping the other results', async () => {
    const r = await quorum(['history', '--model', 'cas-register', '--json', good, broken]);
    expect(r.code).toBe(2);
    const j = JSON.parse(r.stdout);
    expect(j.histories[0].verdict).toBe('linearizable');
    expect(j.histories[1].error).toMatchObject({ code: 'HISTORY_SYNTAX', where: `${broken}:2` });
    const text = await quorum(['history', '--model', 'cas-register', broken]);
    expect(text.stdout.trim()).toBe(`${broken}:2: error[HISTORY_SYNTAX]: unexpected ']'`);
  });

  it('exit 2 for an unknown model or a bad --init', async () => {
    const m = await quorum(['history', '--model', 'queue', good]);
    expect(m.code).toBe(2);
    expect(m.stderr).toContain("error[UNKNOWN_MODEL]: unknown history model 'queue'");
    const i = await quorum(['history', '--model', 'multi-register', '--init', '3', good]);
    expect(i.code).toBe(2);
    expect(i.stderr).toContain('--init');
  });
});
