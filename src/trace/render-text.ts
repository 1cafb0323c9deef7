// The counterexample as plain text, TLC-style: numbered states, each with its action and (by default)
// only what changed, like TLC's -difftrace; `full` prints every variable of every state.
import type { TraceFile } from './trace-file.js';
import { showChange } from './diff.js';

export function describeViolation(t: Pick<TraceFile, 'violation'>): string {
  const v = t.violation;
  switch (v.kind) {
    case 'invariant':
      return `Invariant ${v.name} is violated.`;
    case 'deadlock':
      return 'Deadlock reached.';
    case 'action':
      return `Action property ${v.name} is violated by the last step.`;
    case 'reachability':
      return `Reachability property ${v.name} fails: no reachable state satisfies it.`;
    case 'liveness':
      return `Temporal property ${v.name} is violated${v.stuttering ? ' (by stuttering)' : ''}.`;
    case 'path':
      return 'A path saved from the explorer.';
    default:
      return `${v.kind[0]!.toUpperCase()}${v.kind.slice(1)} property ${v.name} is violated.`;
  }
}

/** What to do about a violation, when there is a usual next step (a deadlock that is a proper end). */
export function violationHint(t: Pick<TraceFile, 'violation'>): string | undefined {
  if (t.violation.kind !== 'deadlock') return undefined;
  return (
    'If the protocol may properly end in this state, declare its end states in the model: ' +
    '`terminal: (s) => …` beside `init` and `actions` (states it accepts are not deadlocks). ' +
    'CHECK_DEADLOCK FALSE turns the check off, which also hides real deadlocks.'
  );
}

/** The marker of the variables the violated property reads, in the violating state. */
export const READ_MARK = '»';

/** The sentence that introduces the violating state in full. */
export function finalStateTitle(t: Pick<TraceFile, 'violation' | 'trace'>): string {
  const reads = t.violation.reads;
  const mark = reads && reads.length > 0 ? ` (${READ_MARK} marks what ${t.violation.name} reads)` : '';
  return `The ${t.violation.kind === 'path' ? 'last' : 'violating'} state (state ${t.trace.length}) in full${mark}:`;
}

export function renderTraceText(t: TraceFile, opts: { full?: boolean } = {}): string {
  const lines: string[] = [];
  const n = t.trace.length;
  if (n === 0) return describeViolation(t);
  const what = t.violation.kind === 'liveness' ? 'A counterexample' : t.violation.kind === 'path' ? 'It' : 'A shortest counterexample';
  lines.push(`${describeViolation(t)} ${what} has ${n} state${n === 1 ? '' : 's'} (${n - 1} step${n === 2 ? '' : 's'})${t.violation.loopStart !== undefined ? ', then a cycle' : ''}:`);
  for (const step of t.trace) {
    lines.push('');
    const loop = t.violation.loopStart === step.index - 1 ? '   <- the cycle starts here' : '';
    const discarded = step.discarded ? '   <- a step the ACTION_CONSTRAINT discards; its state is still checked' : '';
    lines.push(`State ${step.index}: ${step.action}${loop}${discarded}`);
    const last = step.index === n;
    if (opts.full || step.index === 1) {
      const reads = last ? new Set(t.violation.reads ?? []) : new Set<string>();
      for (const [k, v] of Object.entries(step.vars)) lines.push(`${reads.has(k) ? `${READ_MARK} ` : '  '}${k} = ${v}`);
      if (last && reads.size > 0) lines.push(`  (${READ_MARK} marks what ${t.violation.name} reads)`);
    } else if (step.changes.length === 0) {
      lines.push('  (nothing changed)');
    } else {
      for (const c of step.changes) lines.push(`  ${showChange(c)}`);
    }
    // The decisive fact may be a value the last step did not change (a lost update writes 1 over 1).
    if (last && !opts.full && step.index !== 1) {
      const reads = new Set(t.violation.reads ?? []);
      lines.push('', finalStateTitle(t));
      for (const [k, v] of Object.entries(step.vars)) lines.push(`${reads.has(k) ? `${READ_MARK} ` : '  '}${k} = ${v}`);
    }
  }
  if (t.violation.stuttering) lines.push('', `Stuttering at state ${n} forever: no fair action is enabled there.`);
  else if (t.violation.loopStart !== undefined) {
    lines.push('', `Back to state ${t.violation.loopStart + 1}${t.violation.loopAction ? `: ${t.violation.loopAction}` : ''} (the cycle repeats forever).`);
  }
  const hint = violationHint(t);
  if (hint) lines.push('', hint);
  return lines.join('\n');
}
