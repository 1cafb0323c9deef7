// TLC 2.20 side by side with quorum: the bench runs TLC on the same configuration, in the same run,
// alternating with quorum, because on a shared machine a figure from another hour is no comparison.
// The jar and the TLA+ specifications live in ../shared/tlc/ (beside the repository); where Java or
// the jar is missing, the bench says so and prints quorum's figures alone.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A TLA+ specification in ../shared/tlc/: its folder, root module and configuration file. */
export interface TlcSpec {
  readonly dir: string;
  readonly module: string;
  readonly cfg: string;
}

export interface TlcRun {
  /** Wall-clock time of the java process, JVM start-up and parsing included. */
  readonly wallMs: number;
  readonly distinct: number;
  readonly generated: number;
  /** Peak resident set size of the java process (VmHWM), bytes; 0 if it could not be read. */
  readonly peakRss: number;
}

export const TLC_ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)), '../shared/tlc');
const JAR = join(TLC_ROOT, 'tla2tools.jar');

/** Why TLC cannot run here, or undefined when it can. */
export function tlcUnavailable(): string | undefined {
  if (!existsSync(JAR)) return `no TLC jar at ../shared/tlc/tla2tools.jar`;
  const java = spawnSync('java', ['-version'], { stdio: 'ignore', timeout: 30_000 });
  if (java.error || java.status !== 0) return `no working java on the PATH (${java.error?.message ?? `exit ${java.status}`})`;
  return undefined;
}

/** The counts of TLC's final summary ("N states generated, M distinct states found, 0 states left on queue."). */
export function parseTlcSummary(out: string): { distinct: number; generated: number } | undefined {
  const m = /([\d,]+) states generated, ([\d,]+) distinct states found, 0 states left on queue/.exec(out);
  if (!m) return undefined;
  const n = (s: string) => Number(s.replaceAll(',', ''));
  return { generated: n(m[1]!), distinct: n(m[2]!) };
}

function vmHwm(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Runs TLC with `workers` workers on a temporary copy of the spec's folder (TLC writes states/ where it runs). */
export async function runTlc(spec: TlcSpec, workers: number): Promise<TlcRun> {
  const work = mkdtempSync(join(tmpdir(), 'quorum-tlc-'));
  try {
    cpSync(join(TLC_ROOT, spec.dir), work, { recursive: true });
    const args = ['-XX:+UseParallelGC', '-cp', JAR, 'tlc2.TLC', '-workers', String(workers), '-config', spec.cfg, spec.module];
    const t0 = performance.now();
    const child = spawn('java', args, { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    let peakRss = 0;
    const timer = setInterval(() => (peakRss = Math.max(peakRss, vmHwm(child.pid!))), 200);
    const code = await new Promise<number | null>((res, rej) => {
      child.on('error', rej);
      child.on('exit', (c) => res(c));
    });
    clearInterval(timer);
    const wallMs = performance.now() - t0;
    const summary = parseTlcSummary(out);
    if (code !== 0 || !summary) throw new Error(`TLC on ${spec.dir}/${spec.cfg} exited with ${code}: ${out.trim().split('\n').slice(-5).join(' | ')}`);
    return { wallMs, ...summary, peakRss };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
