// `npm run bench -- --spill`: the memory budget's cost. One check in memory, then the same check with
// --memory set to a quarter, a half and three quarters of the in-memory run's peak RSS, each in a process of its own
// (the quorum command, --json): peak RSS per distinct state, time, and the time ratio to the in-memory run.
// A budget the run cannot keep (the seen set and the process itself do not fit) ends with exit 6 and
// a resume point: the bench says so and shows how far it got.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Run {
  exitCode: number;
  result: string;
  distinctStates: number;
  elapsedMs: number;
  memory: { peakRssBytes?: number; peakRssBytesPerState?: number; budgetBytes?: number; spilledBytes?: number; spilled?: boolean };
  error: { code: string; message: string } | null;
  resumeDir: string | null;
}

const BIN = fileURLToPath(new URL('../cli/bin.mjs', import.meta.url));
const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;

function check(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--single-threaded-gc', BIN, 'check', '--json', '--no-typecheck', '--no-trace-file', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', () => {
      try {
        resolve(JSON.parse(out) as Run);
      } catch {
        reject(new Error(`quorum check ${args.join(' ')} printed ${out.slice(0, 300)}`));
      }
    });
  });
}

export async function runSpillBench(opts: { rms: number; expectDistinct: number }): Promise<void> {
  const rm = `RM={${Array.from({ length: opts.rms }, (_, i) => `r${i + 1}`).join(',')}}`;
  const base = ['specs/two-phase-commit.cfg', '--const', rm];
  console.log(`spill bench: 2PC ${opts.rms} RMs (${opts.expectDistinct.toLocaleString('en-US')} distinct states), load average ${loadavg().map((x) => x.toFixed(2)).join(', ')} (${new Date().toISOString()})`);
  const mem = await check(base);
  if (mem.distinctStates !== opts.expectDistinct || mem.result !== 'ok') throw new Error(`in memory: ${mem.result}, ${mem.distinctStates} distinct states (the reference says ${opts.expectDistinct})`);
  const peak = mem.memory.peakRssBytes!;
  console.log(`  in memory:        ${(mem.elapsedMs / 1000).toFixed(1)} s, peak RSS ${mib(peak)} (${mem.memory.peakRssBytesPerState} B per distinct state)`);
  for (const [label, share] of [['a quarter', 0.25], ['a half', 0.5], ['three quarters', 0.75]] as const) {
    const budget = Math.floor(peak * share);
    // A run stopped for memory leaves a resume point: in a folder of its own, removed after the run.
    const runDir = mkdtempSync(join(tmpdir(), 'quorum-spill-bench-'));
    const r = await check([...base, '--memory', String(budget), '--run-dir', join(runDir, 'run')]).finally(() => rmSync(runDir, { recursive: true, force: true }));
    const p = r.memory.peakRssBytes ?? 0;
    const head = `  budget ${label} (${mib(budget)}):`.padEnd(40);
    if (r.result === 'ok') {
      if (r.distinctStates !== opts.expectDistinct) throw new Error(`with --memory ${budget}: ${r.distinctStates} distinct states`);
      console.log(
        `${head}${(r.elapsedMs / 1000).toFixed(1)} s (${(r.elapsedMs / mem.elapsedMs).toFixed(2)}x the in-memory time), peak RSS ${mib(p)} (${r.memory.peakRssBytesPerState} B per state, ${p <= budget ? 'under' : 'OVER'} the budget), ${mib(r.memory.spilledBytes ?? 0)} spilled`,
      );
    } else {
      console.log(
        `${head}exit ${r.exitCode} ${r.error?.code ?? r.result} after ${(r.elapsedMs / 1000).toFixed(1)} s at ${r.distinctStates.toLocaleString('en-US')} distinct states, peak RSS ${mib(p)} (${p <= budget ? 'under' : 'OVER'} the budget): ${r.error?.message ?? ''}`,
      );
    }
  }
}
