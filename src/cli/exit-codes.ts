// The CLI's exit codes: a public interface (scripts and CI depend on them). Extend, never renumber.
import { isBadInput, type ErrorCode } from '../model/errors.js';

export const EXIT = {
  /** Every check passed (with --expect: every spec had its expected outcome). */
  OK: 0,
  /** A violation was found (with --expect: some spec's outcome was not the expected one). */
  VIOLATION: 1,
  /** Bad input: usage, a missing or malformed file, an unknown model or name, a bad constant, a model that throws. */
  BAD_INPUT: 2,
  /** An internal error: a worker died, or a bug in quorum. */
  INTERNAL: 3,
  /** `quorum history`: some history is undecided (the time or memory budget ran out); none is known non-linearizable. */
  UNKNOWN: 4,
  /** Stopped at a bound (--max-depth, --max-states, --timeout) with no error found: not a complete check. */
  STOPPED_AT_BOUND: 5,
  /** Stopped before going over the memory budget (--memory); what was explored is reported, with a resume point. */
  STOPPED_FOR_MEMORY: 6,
  /** Interrupted (Ctrl-C); what was explored so far is reported. */
  INTERRUPTED: 130,
} as const;

export function exitCodeForError(code: string): number {
  if (code === 'INTERRUPTED') return EXIT.INTERRUPTED;
  if (code === 'MEMORY_BUDGET') return EXIT.STOPPED_FOR_MEMORY;
  return isBadInput(code as ErrorCode) ? EXIT.BAD_INPUT : EXIT.INTERNAL;
}
