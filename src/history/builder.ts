// Builds a history event by event, in real-time order (what parsers and recorded models do).
import type { Operation, OpStatus } from './types.js';
import { QuorumError } from '../model/errors.js';

interface Open<I> {
  id: number;
  process: string | number;
  input: I;
  call: number;
  source?: string;
}

export class HistoryBuilder<I = unknown, O = unknown> {
  private time = 0;
  private readonly open = new Map<string | number, Open<I>>();
  private readonly done: Operation<I, O>[] = [];
  private nextId = 0;

  /** Starts an op on a process; throws if the process already has an open op. */
  invoke(process: string | number, input: I, source?: string): number {
    if (this.open.has(process))
      throw new QuorumError('HISTORY_INVALID', `process ${String(process)} invokes while its previous op is still open`, source);
    const id = this.nextId++;
    const call = this.time++;
    this.open.set(process, source !== undefined ? { id, process, input, call, source } : { id, process, input, call });
    return id;
  }

  /** Whether the process has an open op. */
  isOpen(process: string | number): boolean {
    return this.open.has(process);
  }

  /** The open op's input (for completions that need it). */
  openInput(process: string | number): I | undefined {
    return this.open.get(process)?.input;
  }

  /** Completes the process's open op. `info` keeps it open forever (it may take effect later, or never). */
  complete(process: string | number, status: Exclude<OpStatus, 'pending'>, output?: O, input?: I): void {
    const o = this.open.get(process);
    if (o === undefined) throw new QuorumError('HISTORY_INVALID', `process ${String(process)} completes an op it never invoked`);
    this.open.delete(process);
    const t = this.time++;
    const ret = status === 'info' ? Infinity : t;
    // (No object spreads: parsers call this once per op of a history.)
    const op: { -readonly [K in keyof Operation<I, O>]: Operation<I, O>[K] } = { id: o.id, process: o.process, input: input ?? o.input, status, call: o.call, ret };
    if (status !== 'info' && output !== undefined) op.output = output;
    if (o.source !== undefined) op.source = o.source;
    this.done.push(op);
  }

  /** The history: ops by id; ops still open are `pending`. */
  build(): Operation<I, O>[] {
    const ops = [...this.done];
    for (const o of this.open.values())
      ops.push({ id: o.id, process: o.process, input: o.input, status: 'pending', call: o.call, ret: Infinity, ...(o.source !== undefined ? { source: o.source } : {}) });
    return ops.sort((a, b) => a.id - b.id);
  }
}
