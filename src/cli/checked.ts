// What a run checked (constants, properties, bounds, ...) and how a run stopped at a bound reads:
// shared by the text summary, the dashboard and --json.
import type { SpecCheckResult } from '../engine/index.js';
import type { Bounds, BoundReached } from '../engine/explore.js';
import { showCfgValue, type CfgValue } from '../model/constants.js';
import { n } from './format.js';

/** The `checked` field of the --json summary: a public interface (add fields, never rename). */
export interface Checked {
  /** Every constant as the model sees it (after --const overrides and defaults). */
  constants: Record<string, unknown>;
  /** The --const overrides, in .cfg syntax. */
  overrides: Record<string, string>;
  invariants: string[];
  properties: string[];
  constraints: string[];
  actionConstraints: string[];
  /** The model-value constants whose permutations are symmetries. */
  symmetry: string[];
  /** WF/SF assumptions as written, e.g. "WF(Phase1a(1))". */
  fairness: string[];
  view: string | null;
  checkDeadlock: boolean;
  /** The model declares terminal states (not deadlocks). */
  terminal: boolean;
  bounds: { maxDepth: number | null; maxStates: number | null; timeoutSeconds: number | null };
}

export function checkedOf(result: SpecCheckResult, overrides: readonly { name: string; value: CfgValue }[], bounds: Bounds): Checked {
  const { spec, constants } = result.loaded;
  return {
    constants,
    overrides: Object.fromEntries(overrides.map((o) => [o.name, showCfgValue(o.value)])),
    invariants: spec.invariants.map((x) => x.name),
    properties: spec.properties.map((x) => x.name),
    constraints: spec.constraints.map((x) => x.name),
    actionConstraints: spec.actionConstraints.map((x) => x.name),
    symmetry: spec.symmetry.map((x) => x.name),
    fairness: spec.fairness.map((f) => f.text),
    view: spec.view?.name ?? null,
    checkDeadlock: spec.checkDeadlock,
    terminal: typeof result.compiled.instance.terminal === 'function',
    bounds: {
      maxDepth: bounds.maxDepth ?? null,
      maxStates: bounds.maxStates ?? null,
      timeoutSeconds: bounds.timeoutMs === undefined ? null : bounds.timeoutMs / 1000,
    },
  };
}

/** A constant's value as a .cfg file writes it: sets in braces, TRUE/FALSE. */
export function showConstant(v: unknown): string {
  if (Array.isArray(v)) return `{${v.map(showConstant).join(', ')}}`;
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v === null || v === undefined) return String(v);
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** `Acceptor = {a1, a2, a3}, MaxBallot = 1 (--const)` */
export function constantsLine(c: Checked): string {
  const parts = Object.entries(c.constants).map(([k, v]) => `${k} = ${showConstant(v)}${k in c.overrides ? ' (--const)' : ''}`);
  return parts.length ? parts.join(', ') : '(none)';
}

/** `invariants Agreement, TypeOK · deadlock · symmetry Acceptor` */
export function propertiesLine(c: Checked): string {
  const parts: string[] = [];
  const list = (label: string, xs: readonly string[]) => {
    if (xs.length) parts.push(`${label} ${xs.join(', ')}`);
  };
  list(c.invariants.length === 1 ? 'invariant' : 'invariants', c.invariants);
  list(c.properties.length === 1 ? 'property' : 'properties', c.properties);
  if (c.checkDeadlock) parts.push(c.terminal ? 'deadlock (terminal states excepted)' : 'deadlock');
  list('constraint', c.constraints);
  list('action constraint', c.actionConstraints);
  list('symmetry', c.symmetry);
  list('fairness', c.fairness);
  if (c.view) parts.push(`view ${c.view}`);
  const b = c.bounds;
  if (b.maxDepth !== null) parts.push(`--max-depth ${b.maxDepth}`);
  if (b.maxStates !== null) parts.push(`--max-states ${b.maxStates}`);
  if (b.timeoutSeconds !== null) parts.push(`--timeout ${b.timeoutSeconds}`);
  return parts.length ? parts.join(' · ') : 'nothing (no invariant, property or deadlock check)';
}

/** The flag that sets a bound, with its value: `--max-depth 4`. */
export function boundFlag(b: BoundReached): string {
  switch (b.kind) {
    case 'depth':
      return `--max-depth ${b.limit}`;
    case 'states':
      return `--max-states ${b.limit}`;
    case 'time':
      return `--timeout ${b.limit / 1000}`;
  }
}

/** The summary's first line for a run that stopped at a bound: it found no error, but is not complete. */
export function boundedSentence(b: BoundReached, r: { distinctStates: number; depth: number; queue: number }): string {
  const where =
    b.kind === 'depth'
      ? `no error in the first ${b.limit} level${b.limit === 1 ? '' : 's'}`
      : b.kind === 'states'
        ? `no error in the ${n(r.distinctStates)} distinct states found`
        : `no error in what ${b.limit / 1000} s explored (depth ${r.depth})`;
  return `Stopped at a bound (${boundFlag(b)}): ${where}; ${n(r.queue)} state${r.queue === 1 ? ' was' : 's were'} left unexplored. The check is not complete.`;
}
