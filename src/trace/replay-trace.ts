// Is a trace a behaviour of a model? The trace (quorum's format, or ITF from another tool or from a
// log of the real system) is followed through the model: its first state must be an initial state and
// each next one a successor of the one before. The first that is not is reported with the successor
// closest to it (the same action when the trace names one) and what differs, variable by variable.
import { readFileSync } from 'node:fs';
import type { CompiledModel } from '../engine/compiled-model.js';
import type { TraceStep } from '../engine/trace.js';
import { QuorumError } from '../model/errors.js';
import { canonical, stateVariables, toItfValue, validateItf } from './itf.js';
import { toPlain } from './show.js';
import { TRACE_FORMAT, type TraceFile } from './trace-file.js';

export interface TraceToReplay {
  readonly format: 'quorum' | 'itf';
  /** Per state: the action that led to it (when the trace says), and each variable's value in canonical text. */
  readonly states: { readonly action?: string; readonly vars: ReadonlyMap<string, string> }[];
}

export interface VariableDifference {
  readonly variable: string;
  /** The model's value (in the trace's notation) or undefined if the model has no such variable. */
  readonly expected?: string;
  readonly found?: string;
}

export interface ReplayOutcome {
  readonly ok: boolean;
  /** The model's states along the trace, as far as it is a behaviour. */
  readonly steps: TraceStep[];
  /** 1-based index of the first state that is not an initial state / a successor. */
  readonly failedAt?: number;
  /** The closest initial state or successor, and how it differs from the trace's state. */
  readonly closest?: { readonly action: string; readonly differences: VariableDifference[] };
  /** Successors the failing state was compared with. */
  readonly candidates?: number;
}

/** Reads a trace file: quorum's own format or ITF. */
export function readTraceForReplay(path: string): TraceToReplay {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') throw new QuorumError('FILE_NOT_FOUND', 'no such trace file', path);
    throw new QuorumError('CFG_SYNTAX', `not valid JSON: ${e instanceof Error ? e.message : String(e)}`, path);
  }
  return traceToReplay(data, path);
}

export function traceToReplay(data: unknown, where = 'trace'): TraceToReplay {
  const o = data as Record<string, unknown>;
  if (o && typeof o === 'object' && o.format === TRACE_FORMAT) {
    const t = o as unknown as TraceFile;
    if (!Array.isArray(t.trace)) throw new QuorumError('CFG_INVALID', 'a quorum trace file without its "trace"', where);
    return {
      format: 'quorum',
      states: t.trace.map((s) => ({ action: s.index === 1 ? undefined : s.action, vars: plainVars(s.state) })),
    };
  }
  if (o && typeof o === 'object' && Array.isArray(o.states)) {
    const t = validateItf(o, where);
    return {
      format: 'itf',
      states: t.states.map((s) => ({
        action: typeof s['#meta']?.action === 'string' && s['#meta'].index !== 0 ? s['#meta'].action : undefined,
        vars: new Map(t.vars.map((v) => [v, canonical(s[v])])),
      })),
    };
  }
  throw new QuorumError('CFG_INVALID', `neither a quorum trace ("format": "${TRACE_FORMAT}") nor an ITF trace ("vars", "states")`, where);
}

/** A trace file's plain state, per variable as the model's states name them. */
function plainVars(state: unknown): Map<string, string> {
  if (state && typeof state === 'object' && !Array.isArray(state)) return new Map(Object.entries(state).map(([k, v]) => [k, canonical(v)]));
  return new Map([['state', canonical(state)]]);
}

function modelVars(s: unknown, format: TraceToReplay['format']): Map<string, string> {
  const vars = stateVariables(s);
  if (format === 'itf') return new Map(vars.map(([k, v]) => [k, canonical(toItfValue(v))]));
  if (vars.length === 1 && vars[0]![0] === 'state') return new Map([['state', canonical(toPlain(s))]]);
  return new Map(vars.map(([k, v]) => [k, canonical(toPlain(v))]));
}

function differences(model: Map<string, string>, found: ReadonlyMap<string, string>): VariableDifference[] {
  const out: VariableDifference[] = [];
  for (const [k, v] of model) if (found.get(k) !== v) out.push({ variable: k, expected: v, found: found.get(k) });
  for (const [k, v] of found) if (!model.has(k)) out.push({ variable: k, found: v });
  return out;
}

/** Follows `trace` through the model. */
export function replayTrace(model: CompiledModel<unknown>, trace: TraceToReplay): ReplayOutcome {
  const steps: TraceStep[] = [];
  if (trace.states.length === 0) return { ok: true, steps };
  const first = trace.states[0]!;
  const initFound = model.init.find((s) => differences(modelVars(s, trace.format), first.vars).length === 0);
  if (initFound === undefined) {
    const ranked = model.init.map((s) => differences(modelVars(s, trace.format), first.vars)).sort((a, b) => a.length - b.length);
    return { ok: false, steps, failedAt: 1, closest: ranked[0] ? { action: 'Init', differences: ranked[0] } : undefined, candidates: model.init.length };
  }
  steps.push({ action: 'Init', actionName: 'Init', args: {}, state: initFound });
  for (let i = 1; i < trace.states.length; i++) {
    const want = trace.states[i]!;
    const prev = steps[steps.length - 1]!.state;
    let match: TraceStep | undefined;
    let best: { action: string; differences: VariableDifference[]; sameAction: boolean } | undefined;
    let candidates = 0;
    model.successors(prev, (action, args, t) => {
      candidates++;
      const label = model.showAction(action, args);
      const diff = differences(modelVars(t, trace.format), want.vars);
      const sameAction = want.action !== undefined && want.action === label;
      if (diff.length === 0) {
        // A matching step with the trace's action wins over another matching step.
        if (match === undefined || (sameAction && match.action !== want.action)) match = { action: label, actionName: action.name, args, state: t };
        return;
      }
      if (!best || (sameAction && !best.sameAction) || (sameAction === best.sameAction && diff.length < best.differences.length)) best = { action: label, differences: diff, sameAction };
    });
    if (match === undefined) return { ok: false, steps, failedAt: i + 1, closest: best ? { action: best.action, differences: best.differences } : undefined, candidates };
    steps.push(match);
  }
  return { ok: true, steps };
}
