// Plain-text output conventions, after TLC's: numbers with thousands separators, progress lines, summary.
import { styleText } from 'node:util';
import type { Progress } from '../engine/explore.js';

export const n = (x: number): string => x.toLocaleString('en-US');

export function colorEnabled(stream: NodeJS.WriteStream): boolean {
  return Boolean(stream.isTTY) && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
}

type Style = Parameters<typeof styleText>[0];
export function paint(stream: NodeJS.WriteStream, style: Style, text: string): string {
  return colorEnabled(stream) ? styleText(style, text) : text;
}

export function duration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  return `${m}min ${Math.round(s - m * 60)}s`;
}

function timestamp(d = new Date()): string {
  const p = (x: number) => String(x).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** `Progress(13) at 2026-11-23 17:27:45: 118,062 states generated (…/s), 24,890 distinct states found (…/s), 10,442 states left on queue.` */
export function progressLine(p: Progress, prev?: { elapsedMs: number; distinct: number; generated: number }): string {
  const dt = Math.max(1e-3, (p.elapsedMs - (prev?.elapsedMs ?? 0)) / 1000);
  const gRate = Math.round((p.statesGenerated - (prev?.generated ?? 0)) / dt);
  const dRate = Math.round((p.distinctStates - (prev?.distinct ?? 0)) / dt);
  return (
    `Progress(${p.depth}) at ${timestamp()}: ${n(p.statesGenerated)} states generated (${n(gRate)} s/s), ` +
    `${n(p.distinctStates)} distinct states found (${n(dRate)} ds/s), ${n(p.queue)} states left on queue.`
  );
}

export function probability(p: number): string {
  return p === 0 ? '0' : p.toExponential(1).toUpperCase().replace('E+', 'E');
}
