// What the Jepsen-style formats give a model: the op's function, its value (and key, for kv), and
// the completion's value as output. Models written for these inputs work on every parsed format.
import { is } from 'immutable';
import { printEdn } from '../edn-value.js';
import type { OpStatus, Operation } from '../types.js';

export interface JepsenInput {
  /** The function, e.g. 'read', 'write', 'cas', 'txn', 'acquire' (a keyword's name). */
  readonly f: string;
  /** The invocation's value (nil → null). */
  readonly value?: unknown;
  /** The key, for per-key stores (Porcupine's kv lines). */
  readonly key?: unknown;
}

/** True when the op never completed (info or pending): any output is acceptable. */
export function indefinite(status: OpStatus): boolean {
  return status === 'info' || status === 'pending';
}

/** The value an op carries: the completion's for ok/fail ops (Knossos's `complete`), the invocation's otherwise. */
export function opValue(input: JepsenInput, output: unknown, status: OpStatus): unknown {
  return indefinite(status) || output === undefined ? input.value : output;
}

export function describeJepsen(input: JepsenInput, output: unknown, status: OpStatus): string {
  const key = input.key !== undefined ? ` ${printEdn(input.key)}` : '';
  const inv = input.value === undefined || input.value === null ? '' : ` ${printEdn(input.value)}`;
  if (indefinite(status)) return `${input.f}${key}${inv} (${status === 'info' ? 'info: no answer' : 'pending'})`;
  if (status === 'fail') return `${input.f}${key}${inv} → fail`;
  if (output === undefined || is(output, input.value)) return `${input.f}${key}${inv}`;
  return `${input.f}${key}${inv} → ${printEdn(output)}`;
}

/** Splits a history by one key of the input (P-compositionality), keeping first-seen key order. */
export function partitionBy<I, O>(ops: readonly Operation<I, O>[], keyOf: (input: I) => unknown): Operation<I, O>[][] {
  const parts = new Map<unknown, Operation<I, O>[]>();
  for (const op of ops) {
    const k = keyOf(op.input);
    // Keys are primitives in the formats; other values are grouped by their printed form.
    const id = k === null || typeof k !== 'object' ? k : printEdn(k);
    let p = parts.get(id);
    if (p === undefined) parts.set(id, (p = []));
    p.push(op);
  }
  return [...parts.values()];
}
