// Mergeable simulation results: each run of a seed range writes one file; `quorum merge` combines them
// (seed ranges joined, counts added, the shortest counterexample kept, the lowest seed on a tie).
import { readFileSync, writeFileSync } from 'node:fs';
import { QuorumError } from '../model/errors.js';
import type { TraceFile } from '../trace/trace-file.js';
import type { WalkSettings } from './search.js';

export const RESULT_FORMAT = 'quorum-simulation/1';

/** What a simulation reports besides check's fields (the --json `simulation` object). */
export interface SimulationInfo {
  firstSeed: number;
  lastSeed: number | null;
  /** Seeds that ran to the end, from the first: [first, last], or null if none. */
  seedsDone: readonly [number, number] | null;
  settings: WalkSettings;
  walks: number;
  steps: number;
  deepest: number;
  seed: number | null;
  path: string | null;
  originalLength: number | null;
  shrunkLength: number | null;
  removedByShrinking: number | null;
  shrinks: number | null;
  replay: string | null;
}

export interface SimulationRecord {
  readonly format: typeof RESULT_FORMAT;
  readonly spec: string;
  readonly model: string | null;
  readonly constants?: Record<string, unknown>;
  /** Seed ranges that ran to the end (sorted, disjoint, adjacent ones joined). */
  readonly seedRanges: [number, number][];
  readonly simulation: SimulationInfo;
  /** Sum over the runs of the states each saw (a state seen by two runs counts twice). */
  readonly distinctStatesSum: number;
  readonly elapsedMsSum: number;
  readonly result: 'ok' | 'violation' | 'error' | 'bounded';
  readonly error: null | { code: string; message: string; where?: string };
  /** The counterexample's trace file, when there is one. */
  readonly trace: TraceFile | null;
}

interface ReportLike {
  spec: string;
  model: string | null;
  result: 'ok' | 'violation' | 'error' | 'bounded';
  error: null | { code: string; message: string; where?: string };
  distinctStates: number;
  elapsedMs: number;
  simulation: SimulationInfo;
}

export function resultRecord(r: ReportLike, trace: TraceFile | undefined): SimulationRecord {
  return {
    format: RESULT_FORMAT,
    spec: r.spec,
    model: r.model,
    constants: trace?.constants,
    seedRanges: r.simulation.seedsDone ? [[r.simulation.seedsDone[0], r.simulation.seedsDone[1]]] : [],
    simulation: r.simulation,
    distinctStatesSum: r.distinctStates,
    elapsedMsSum: r.elapsedMs,
    result: r.result,
    error: r.error,
    trace: trace ?? null,
  };
}

export function writeResultFile(file: string, rec: SimulationRecord): void {
  writeFileSync(file, JSON.stringify(rec) + '\n');
}

export function readResultFile(file: string): SimulationRecord {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new QuorumError('FILE_NOT_FOUND', 'no such result file', file);
  }
  let data: SimulationRecord;
  try {
    data = JSON.parse(text) as SimulationRecord;
  } catch (e) {
    throw new QuorumError('CFG_SYNTAX', `not valid JSON: ${e instanceof Error ? e.message : String(e)}`, file);
  }
  if (data?.format !== RESULT_FORMAT || !Array.isArray(data.seedRanges) || typeof data.simulation !== 'object') {
    throw new QuorumError('CFG_INVALID', `not a simulation result (expected "format": "${RESULT_FORMAT}"; write one with simulate --result)`, file);
  }
  return data;
}

function joinRanges(ranges: [number, number][]): [number, number][] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** A counterexample ranks by its length, then by its seed. */
function better(a: SimulationRecord, b: SimulationRecord): boolean {
  const la = a.simulation.shrunkLength ?? Infinity, lb = b.simulation.shrunkLength ?? Infinity;
  return la < lb || (la === lb && (a.simulation.seed ?? Infinity) < (b.simulation.seed ?? Infinity));
}

/** Merges results of the same spec, model, constants and walk settings; `names` name them in errors. */
export function mergeResults(recs: readonly SimulationRecord[], names: readonly string[] = []): SimulationRecord {
  if (recs.length === 0) throw new QuorumError('USAGE', 'merge needs at least one result file', 'merge');
  const first = recs[0]!;
  const key = (r: SimulationRecord) => JSON.stringify([r.model, r.simulation.settings, r.constants ?? null]);
  for (const [i, r] of recs.entries()) {
    if (r.trace === null && r.result === 'violation') throw new QuorumError('CFG_INVALID', 'a violation without its trace', names[i]);
    if (r.model !== first.model || JSON.stringify(r.simulation.settings) !== JSON.stringify(first.simulation.settings)) {
      throw new QuorumError('CFG_INVALID', `a result of another model or other walk settings than ${names[0] ?? 'the first'} (${key(r)} vs ${key(first)})`, names[i]);
    }
  }
  const errors = recs.filter((r) => r.result === 'error');
  const found = recs.filter((r) => r.result === 'violation');
  let best: SimulationRecord | undefined;
  for (const r of found) if (!best || better(r, best)) best = r;
  const seedRanges = joinRanges(recs.flatMap((r) => r.seedRanges.map(([a, b]) => [a, b] as [number, number])));
  const sum = (f: (r: SimulationRecord) => number) => recs.reduce((s, r) => s + f(r), 0);
  const pick = best ?? first;
  const sim: SimulationInfo = {
    ...pick.simulation,
    firstSeed: Math.min(...recs.map((r) => r.simulation.firstSeed)),
    lastSeed: recs.every((r) => r.simulation.lastSeed !== null) ? Math.max(...recs.map((r) => r.simulation.lastSeed!)) : null,
    seedsDone: seedRanges.length === 1 ? seedRanges[0]! : null,
    walks: sum((r) => r.simulation.walks),
    steps: sum((r) => r.simulation.steps),
    deepest: Math.max(...recs.map((r) => r.simulation.deepest)),
  };
  if (!best) Object.assign(sim, { seed: null, path: null, originalLength: null, shrunkLength: null, removedByShrinking: null, shrinks: null, replay: null });
  return {
    format: RESULT_FORMAT,
    spec: pick.spec,
    model: first.model,
    constants: first.constants,
    seedRanges,
    simulation: sim,
    distinctStatesSum: sum((r) => r.distinctStatesSum),
    elapsedMsSum: sum((r) => r.elapsedMsSum),
    result: best ? 'violation' : errors.length > 0 ? 'error' : 'ok',
    error: best ? null : (errors[0]?.error ?? null),
    trace: best?.trace ?? null,
  };
}
