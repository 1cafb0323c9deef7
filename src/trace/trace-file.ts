// The machine-readable trace written to out/ for every violation, and read back by `quorum trace`.
// It carries everything the viewer shows (displays, changes, per-node and message views), so a saved
// trace can be reopened without the model.
import { readFileSync } from 'node:fs';
import * as Immutable from 'immutable';
// Untyped guards: these modules read Immutable's internals, where the typed guards narrow too far.
const isMap = Immutable.isMap as (v: unknown) => boolean;
const isRecord = Immutable.isRecord as (v: unknown) => boolean;
import type { CompiledModel } from '../engine/compiled-model.js';
import type { TraceStep } from '../engine/trace.js';
import { QuorumError } from '../model/errors.js';
import { diffStates, type Change } from './diff.js';
import { toPlain } from './show.js';
import { variablesRead } from './reads.js';

export const TRACE_FORMAT = 'quorum-trace/1';

export interface TraceMessage {
  readonly from: string;
  readonly to?: string;
  readonly label: string;
}

export interface TraceFileStep {
  /** 1-based, as TLC numbers states. */
  readonly index: number;
  readonly action: string;
  readonly actionName: string;
  readonly args: Record<string, unknown>;
  /** The state as plain JSON (sets as sorted arrays, maps and records as objects). */
  readonly state: unknown;
  /** Each top-level variable as it reads in the text trace. */
  readonly vars: Record<string, string>;
  /** What this step changed (empty for the initial state). */
  readonly changes: Change[];
  /** Per node (when the model declares nodes): variable → display. */
  readonly nodes?: Record<string, Record<string, string>>;
  /** Messages in flight (when the model declares where its messages live). */
  readonly messages?: TraceMessage[];
  /** Messages that appeared / disappeared in this step. */
  readonly sent?: TraceMessage[];
  readonly received?: TraceMessage[];
  /** True for a step the ACTION_CONSTRAINT discards (only ever the last one: its state is still checked). */
  readonly discarded?: boolean;
}

export interface TraceFile {
  readonly format: typeof TRACE_FORMAT;
  readonly model: string;
  readonly spec?: string;
  readonly constants?: Record<string, unknown>;
  readonly violation: {
    readonly kind: string;
    readonly name: string;
    /** Lassos (liveness): index in trace of the state the cycle returns to. */
    readonly loopStart?: number;
    readonly loopAction?: string;
    readonly stuttering?: boolean;
    /** The top-level variables the violated property reads in the last state, when known. */
    readonly reads?: string[];
  };
  readonly nodes?: string[];
  readonly trace: TraceFileStep[];
}

function topLevel(state: unknown, show: (v: unknown) => string): Record<string, string> {
  const s = state as any;
  const out: Record<string, string> = {};
  if (isRecord(s)) for (const k of s._keys as string[]) out[k] = show(s.get(k));
  else if (isMap(s)) s.forEach((v: unknown, k: unknown) => (out[typeof k === 'string' ? k : show(k)] = show(v)));
  else out.state = show(s);
  return out;
}

function messageList(model: CompiledModel<unknown>, s: unknown): { key: string; m: TraceMessage }[] | undefined {
  const mv = model.instance.messageView;
  if (!mv) return undefined;
  const out: { key: string; m: TraceMessage }[] = [];
  for (const raw of mv.messages(s)) {
    const d = mv.describe(raw);
    out.push({ key: model.showValue(raw), m: { from: d.from, to: d.to, label: d.label } });
  }
  return out;
}

export function buildTraceFile(
  model: CompiledModel<unknown>,
  violation: { kind: string; name: string; loopStart?: number; loopAction?: string; stuttering?: boolean },
  trace: readonly TraceStep[],
  meta: { spec?: string; constants?: Record<string, unknown> } = {},
): TraceFile {
  const show = (v: unknown) => model.showValue(v);
  const nv = model.instance.nodeView;
  const steps: TraceFileStep[] = [];
  let prevMsgs: { key: string; m: TraceMessage }[] | undefined;
  trace.forEach((step, i) => {
    const msgs = messageList(model, step.state);
    let sent: TraceMessage[] | undefined, received: TraceMessage[] | undefined;
    if (msgs) {
      const before = new Map<string, number>();
      for (const x of prevMsgs ?? []) before.set(x.key, (before.get(x.key) ?? 0) + 1);
      const after = new Map<string, number>();
      for (const x of msgs) after.set(x.key, (after.get(x.key) ?? 0) + 1);
      sent = msgs.filter((x) => (after.get(x.key) ?? 0) > (before.get(x.key) ?? 0)).map((x) => x.m);
      received = (prevMsgs ?? []).filter((x) => (before.get(x.key) ?? 0) > (after.get(x.key) ?? 0)).map((x) => x.m);
      sent = dedupe(sent);
      received = dedupe(received);
    }
    steps.push({
      index: i + 1,
      action: step.action,
      actionName: step.actionName,
      // Each argument made plain (toPlain of the plain args object itself would give "[object Object]").
      args: Object.fromEntries(Object.entries(step.args).map(([k, v]) => [k, toPlain(v)])),
      state: toPlain(step.state),
      vars: topLevel(step.state, show),
      changes: i === 0 ? [] : diffStates(trace[i - 1]!.state, step.state, show),
      nodes: nv ? Object.fromEntries(nv.nodes.map((n) => [n, Object.fromEntries(Object.entries(nv.view(step.state, n)).map(([k, v]) => [k, show(v)]))])) : undefined,
      messages: msgs?.map((x) => x.m),
      sent,
      received,
      ...(step.discarded ? { discarded: true } : {}),
    });
    prevMsgs = msgs;
  });
  return {
    format: TRACE_FORMAT,
    model: model.definition.name,
    spec: meta.spec,
    constants: meta.constants,
    violation: Object.fromEntries(
      Object.entries({ ...violation, reads: variablesRead(model, violation, trace.map((t) => t.state)) }).filter(([, x]) => x !== undefined),
    ) as TraceFile['violation'],
    nodes: nv ? [...nv.nodes] : undefined,
    trace: steps,
  };
}

function dedupe(ms: TraceMessage[]): TraceMessage[] {
  const seen = new Set<string>();
  return ms.filter((m) => {
    const k = `${m.from}|${m.to}|${m.label}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export function readTraceFile(path: string): TraceFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new QuorumError('FILE_NOT_FOUND', 'no such trace file', path);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new QuorumError('CFG_SYNTAX', `not valid JSON: ${e instanceof Error ? e.message : String(e)}`, path);
  }
  const t = data as TraceFile;
  if (!t || typeof t !== 'object' || t.format !== TRACE_FORMAT || !Array.isArray(t.trace) || !t.violation) {
    throw new QuorumError('CFG_INVALID', `not a quorum trace file (expected "format": "${TRACE_FORMAT}")`, path);
  }
  for (const [i, s] of t.trace.entries()) {
    if (typeof s?.action !== 'string' || typeof s.vars !== 'object' || !Array.isArray(s.changes)) {
      throw new QuorumError('CFG_INVALID', `trace step ${i + 1} is malformed (needs action, vars, changes)`, path);
    }
  }
  return t;
}
