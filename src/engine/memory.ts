// The memory budget of a run: how big it may get, and what the process uses now and at most.
import { totalmem } from 'node:os';
import { QuorumError } from '../model/errors.js';

/** The default budget: three quarters of the machine's memory (or of the container's limit). */
export function defaultMemoryBudget(): number {
  const constrained = (process as { constrainedMemory?: () => number | undefined }).constrainedMemory?.();
  const total = totalmem();
  const limit = constrained && constrained > 0 && constrained < total ? constrained : total;
  return Math.floor(limit * 0.75);
}

const UNITS: Record<string, number> = { '': 1, b: 1, k: 2 ** 10, kb: 2 ** 10, kib: 2 ** 10, m: 2 ** 20, mb: 2 ** 20, mib: 2 ** 20, g: 2 ** 30, gb: 2 ** 30, gib: 2 ** 30, t: 2 ** 40, tb: 2 ** 40, tib: 2 ** 40 };

/** "2G", "512M", "1.5GiB", "1000000" (bytes): binary units, as the sizes memory is sold in. */
export function parseMemorySize(text: string, flag = '--memory'): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text);
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) throw new QuorumError('USAGE', `${flag} takes a size such as 2G, 512M or 1.5GiB, got '${text}'`, flag);
  const bytes = Math.floor(Number(m[1]) * unit);
  if (bytes < 16 * 2 ** 20) throw new QuorumError('USAGE', `${flag} must be at least 16M, got '${text}'`, flag);
  return bytes;
}

export function currentRss(): number {
  return process.memoryUsage.rss();
}

/** The process's peak resident set so far (all threads), in bytes. */
export function peakRss(): number {
  return process.resourceUsage().maxRSS * 1024;
}

export function showBytes(n: number): string {
  if (n >= 2 ** 30) return `${(n / 2 ** 30).toFixed(2)} GiB`;
  if (n >= 2 ** 20) return `${(n / 2 ** 20).toFixed(1)} MiB`;
  if (n >= 2 ** 10) return `${(n / 2 ** 10).toFixed(1)} KiB`;
  return `${n} B`;
}
