// What the dashboard shows, folded from the engine's progress reports: the latest numbers and a
// history of the rate of new distinct states, for the sparkline.
import type { ActionCoverage, Progress } from '../engine/explore.js';
import type { Checked } from '../cli/checked.js';

/** How many rate samples are kept for the chart. */
export const RATE_HISTORY = 120;

/** Rates are measured over this window, which smooths the bursts of level-by-level exploration. */
export const RATE_WINDOW_MS = 1000;

interface Sample {
  readonly t: number;
  readonly distinct: number;
  readonly generated: number;
}

export interface DashboardState {
  readonly progress: Progress | null;
  /** Distinct states per second at each report, oldest first. */
  readonly rates: readonly number[];
  /** States generated per second, now. */
  readonly generatedRate: number;
  /** The reports of the last RATE_WINDOW_MS (and the one before). */
  readonly recent: readonly Sample[];
}

export const initialDashboardState: DashboardState = { progress: null, rates: [], generatedRate: 0, recent: [] };

export function advance(state: DashboardState, p: Progress): DashboardState {
  const now: Sample = { t: p.elapsedMs, distinct: p.distinctStates, generated: p.statesGenerated };
  const prev = state.recent.at(-1);
  if (prev && now.t <= prev.t) return { ...state, progress: p };
  // Keep the samples inside the window, plus the last one before it as the base.
  let recent = [...state.recent, now];
  while (recent.length > 2 && recent[1]!.t <= now.t - RATE_WINDOW_MS) recent = recent.slice(1);
  const base: Sample = recent.length > 1 ? recent[0]! : { t: 0, distinct: 0, generated: 0 };
  const dt = (now.t - base.t) / 1000;
  const rate = dt > 0 ? Math.max(0, (now.distinct - base.distinct) / dt) : 0;
  const generatedRate = dt > 0 ? Math.max(0, (now.generated - base.generated) / dt) : 0;
  return { progress: p, rates: [...state.rates, rate].slice(-RATE_HISTORY), generatedRate, recent };
}

/** The final numbers of a run, as `quorum check` reports them (a RunReport fits). */
export interface DashboardSummary {
  /** 'ok' | 'violation' | 'error' | 'interrupted'; `result` is read when `status` is absent. */
  readonly status?: string;
  readonly result?: string;
  readonly distinctStates: number;
  readonly statesGenerated: number;
  readonly depth: number;
  readonly elapsedMs: number;
  readonly queue?: number;
  readonly workers?: number;
  readonly model?: string | null;
  readonly interrupted?: boolean;
  readonly coverage?: readonly ActionCoverage[];
  readonly violation?: { readonly kind: string; readonly name: string } | null;
  readonly error?: { readonly code: string; readonly message: string } | null;
  /** For a run stopped at a bound: the flag that set it (`--max-depth 4`). */
  readonly bound?: { readonly flag: string } | null;
  /** What the run checked (constants, properties, ...), shown under the title when known. */
  readonly checked?: Checked | null;
}

export function summaryStatus(s: DashboardSummary): string {
  if (s.interrupted || s.error?.code === 'INTERRUPTED') return 'interrupted';
  return s.status ?? s.result ?? 'ok';
}
