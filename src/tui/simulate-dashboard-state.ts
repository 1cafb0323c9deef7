// What the `quorum simulate` dashboard shows, folded from the simulation's progress reports: the
// latest numbers (finished seeds plus the live counts of the seeds running) and a history of the
// steps per second, for the sparkline.
import type { SimulateProgress } from '../simulate/index.js';
import { RATE_HISTORY, RATE_WINDOW_MS } from './dashboard-state.js';

interface Sample {
  readonly t: number;
  readonly steps: number;
}

export interface SimulateDashboardState {
  readonly progress: SimulateProgress | null;
  /** Steps per second at each report, oldest first. */
  readonly rates: readonly number[];
  readonly recent: readonly Sample[];
  /** Ctrl-C was pressed: the run stops once the seeds in flight are dealt with. */
  readonly stopping: boolean;
}

export const initialSimulateDashboardState: SimulateDashboardState = { progress: null, rates: [], recent: [], stopping: false };

/** Walks, steps and the deepest walk so far: the finished seeds' counts plus those of the seeds running. */
export function liveTotals(p: SimulateProgress): { walks: number; steps: number; deepest: number } {
  let { walks, steps, deepest } = p;
  for (const r of p.running ?? []) {
    walks += r.walks;
    steps += r.steps;
    if (r.deepest > deepest) deepest = r.deepest;
  }
  return { walks, steps, deepest };
}

export function advanceSimulate(state: SimulateDashboardState, p: SimulateProgress): SimulateDashboardState {
  const now: Sample = { t: p.elapsedMs, steps: liveTotals(p).steps };
  const prev = state.recent.at(-1);
  if (prev && now.t <= prev.t) return { ...state, progress: p };
  let recent = [...state.recent, now];
  while (recent.length > 2 && recent[1]!.t <= now.t - RATE_WINDOW_MS) recent = recent.slice(1);
  const base: Sample = recent.length > 1 ? recent[0]! : { t: 0, steps: 0 };
  const dt = (now.t - base.t) / 1000;
  // A seed's live counts stop while it shrinks and jump to its final ones when it ends: never negative.
  const rate = dt > 0 ? Math.max(0, (now.steps - base.steps) / dt) : 0;
  return { ...state, progress: p, rates: [...state.rates, rate].slice(-RATE_HISTORY), recent };
}

export function stopping(state: SimulateDashboardState): SimulateDashboardState {
  return { ...state, stopping: true };
}
