// Operations as they cross to a worker thread: inputs and outputs as EDN text (Immutable values and
// keywords do not survive a structured clone), read back on the other side.
import { readEdn } from './edn.js';
import { printEdn } from './edn-value.js';
import type { JepsenInput } from './models/common.js';
import type { Operation, OpStatus } from './types.js';

export interface WireOp {
  readonly id: number;
  readonly process: string | number;
  readonly f: string;
  readonly value: string;
  readonly key?: string;
  readonly output?: string;
  readonly status: OpStatus;
  readonly call: number;
  readonly ret: number | null;
  readonly source?: string;
}

export function toWire(op: Operation<JepsenInput, unknown>): WireOp {
  return {
    id: op.id,
    process: op.process,
    f: op.input.f,
    value: printEdn(op.input.value),
    ...(op.input.key !== undefined ? { key: printEdn(op.input.key) } : {}),
    ...(op.output !== undefined ? { output: printEdn(op.output) } : {}),
    status: op.status,
    call: op.call,
    ret: Number.isFinite(op.ret) ? op.ret : null,
    ...(op.source !== undefined ? { source: op.source } : {}),
  };
}

export function fromWire(w: WireOp): Operation<JepsenInput, unknown> {
  const input: JepsenInput = { f: w.f, value: readEdn(w.value), ...(w.key !== undefined ? { key: readEdn(w.key) } : {}) };
  return {
    id: w.id,
    process: w.process,
    input,
    ...(w.output !== undefined ? { output: readEdn(w.output) } : {}),
    status: w.status,
    call: w.call,
    ret: w.ret ?? Infinity,
    ...(w.source !== undefined ? { source: w.source } : {}),
  };
}
