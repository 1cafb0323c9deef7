// `npm run bench -- --history`: the history checker on Porcupine's data (../shared/histories/), through
// the real `quorum history` command, with 1 worker (the main thread) and N workers, partitioned by key
// and not. Per target: the sum of the per-file elapsedMs (reading, parsing, checking: what Porcupine's
// test times include), the whole command's wall time (start-up included), the slowest files, and
// Porcupine's own times on this machine (from the issue) beside. Verdicts are checked against
// expected.tsv on every run: a fast wrong answer is not a result.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SHARED = join(ROOT, '../shared/histories/');
const BIN = join(ROOT, 'src/cli/bin.mjs');

interface HistoryTarget {
  readonly name: string;
  readonly model: string;
  readonly files: readonly string[];
  readonly partition: boolean;
  /** Porcupine's test time for the same histories on this machine (from the issue). */
  readonly porcupine: string;
  readonly timeoutS?: number;
}

interface Run {
  readonly wallMs: number;
  readonly sumMs: number;
  readonly histories: { file: string; verdict?: string; elapsedMs: number; steps: number }[];
}

function targets(): HistoryTarget[] {
  const etcdDir = join(SHARED, 'porcupine/etcd');
  const kv = (f: string) => join(SHARED, 'porcupine/kv', f);
  const etcd = existsSync(etcdDir)
    ? readdirSync(etcdDir)
        .filter((f) => /^etcd_\d+\.log$/.test(f))
        .sort()
        .map((f) => join(etcdDir, f))
    : [];
  const t: HistoryTarget[] = [
    { name: `etcd logs (${etcd.length})`, model: 'etcd', files: etcd, partition: true, porcupine: '0.83-0.87 s for all 102; 0.93 s for these 50 (busier hour)' },
  ];
  for (const f of ['c10-ok.txt', 'c10-bad.txt', 'c50-ok.txt', 'c50-bad.txt']) {
    if (!existsSync(kv(f))) continue;
    const ref: Record<string, [string, string]> = {
      'c10-ok.txt': ['-', '4.7-4.8 s'],
      'c10-bad.txt': ['-', '5.1-5.5 s'],
      'c50-ok.txt': ['0.37-0.40 s', 'not run by Porcupine'],
      'c50-bad.txt': ['0.06-0.10 s', 'not run by Porcupine'],
    };
    t.push({ name: `kv ${f.replace('.txt', '')} by key`, model: 'kv', files: [kv(f)], partition: true, porcupine: ref[f]![0] });
    t.push({ name: `kv ${f.replace('.txt', '')} one map`, model: 'kv', files: [kv(f)], partition: false, porcupine: ref[f]![1], timeoutS: f.startsWith('c50') ? 30 : 120 });
  }
  return t.filter((x) => x.files.length > 0);
}

function expectedVerdicts(): Map<string, string> {
  const m = new Map<string, string>();
  const tsv = join(SHARED, 'expected.tsv');
  if (!existsSync(tsv)) return m;
  for (const line of readFileSync(tsv, 'utf8').trim().split('\n').slice(1)) {
    const [file, , verdict] = line.split('\t');
    m.set(join(SHARED, file!), verdict!);
  }
  return m;
}

function runCommand(t: HistoryTarget, workers: number): Promise<Run> {
  const args = ['--single-threaded-gc', BIN, 'history', '--model', t.model, '--json', '-w', String(workers), '--timeout', String(t.timeoutS ?? 60)];
  if (!t.partition) args.push('--no-partition');
  args.push(...t.files);
  return new Promise((done, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, CI: 'true' } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', () => {
      const wallMs = performance.now() - started;
      try {
        const j = JSON.parse(out) as { histories: Run['histories'] };
        done({ wallMs, sumMs: j.histories.reduce((s, h) => s + h.elapsedMs, 0), histories: j.histories });
      } catch (e) {
        reject(new Error(`${t.name}: no JSON from quorum history (${String(e)})`));
      }
    });
  });
}

const s = (ms: number): string => (ms / 1000).toFixed(ms < 10_000 ? 3 : 1) + ' s';

export async function runHistoryBench(workers: number, repeat: number): Promise<void> {
  if (!existsSync(SHARED)) {
    console.log(`history bench: skipped (${SHARED} is absent)`);
    return;
  }
  const expected = expectedVerdicts();
  console.log(`quorum history bench: 1 worker (main thread) vs ${workers} workers; times: sum of per-file elapsedMs | whole command wall; best of ${repeat}`);
  console.log('target                 | 1 worker: files, wall  | N workers: files, wall | verdicts                  | slowest files (1 worker)              | Porcupine (same files)');
  let total1 = 0;
  let totalN = 0;
  for (const t of targets()) {
    const ones: Run[] = [];
    const manys: Run[] = [];
    for (let k = 0; k < repeat; k++) {
      ones.push(await runCommand(t, 1));
      manys.push(await runCommand(t, workers));
    }
    for (const r of [...ones, ...manys])
      for (const h of r.histories) {
        const want = expected.get(h.file);
        // The one-map kv check may end unknown within its budget; any decided verdict must be right.
        if (want !== undefined && h.verdict !== want && !(h.verdict === 'unknown' && !t.partition))
          throw new Error(`${t.name}: ${h.file} gave ${h.verdict}, expected ${want}`);
      }
    const best = (rs: Run[]) => rs.reduce((a, b) => (b.sumMs < a.sumMs ? b : a));
    const one = best(ones);
    const many = best(manys);
    total1 += one.sumMs;
    totalN += many.sumMs;
    const counts = new Map<string, number>();
    for (const h of one.histories) counts.set(h.verdict ?? 'error', (counts.get(h.verdict ?? 'error') ?? 0) + 1);
    const verdicts = [...counts].map(([v, c]) => `${c} ${v}`).join(', ');
    const slowest = [...one.histories]
      .sort((a, b) => b.elapsedMs - a.elapsedMs)
      .slice(0, 2)
      .map((h) => `${h.file.split('/').pop()} ${s(h.elapsedMs)}`)
      .join(', ');
    console.log(
      `${t.name.padEnd(22)} | ${`${s(one.sumMs)}, ${s(one.wallMs)}`.padEnd(22)} | ${`${s(many.sumMs)}, ${s(many.wallMs)}`.padEnd(22)} | ${verdicts.padEnd(25)} | ${slowest.padEnd(37)} | ${t.porcupine}`,
    );
  }
  console.log(`total (sum of per-file times): 1 worker ${s(total1)}, ${workers} workers ${s(totalN)}; Porcupine's whole test suite: 11.4-11.7 s wall`);
}
