// TEMPORARY (deleted when branch hist's src/history/ is merged): the contract's types and a brute-force
// checkOperations, so the actor layer can be built before the history checker lands.
import { is } from 'immutable';
export interface Operation<I = unknown, O = unknown> {
  readonly id: number;
  readonly process: string | number;
  readonly input: I;
  readonly output?: O;
  readonly status: 'ok' | 'fail' | 'info' | 'pending';
  readonly call: number;
  readonly ret: number;
}
export interface SequentialSpec<S = unknown, I = unknown, O = unknown> {
  readonly name: string;
  init(): S;
  step(state: S, input: I, output: O | undefined, status: Operation['status']): readonly S[];
}
export type Consistency = 'linearizable' | 'sequential';
export interface HistoryVerdict {
  readonly verdict: 'linearizable' | 'not-linearizable' | 'unknown';
  readonly partitions: number;
}
export function checkOperations<S, I, O>(spec: SequentialSpec<S, I, O>, ops: readonly Operation<I, O>[], opts: { consistency?: Consistency } = {}): HistoryVerdict {
  const real = (opts.consistency ?? 'linearizable') === 'linearizable';
  const done = new Array<boolean>(ops.length).fill(false);
  const mustPlace = ops.filter((o) => o.status === 'ok').length;
  const search = (state: S, placed: number): boolean => {
    if (placed === mustPlace) return true;
    for (let i = 0; i < ops.length; i++) {
      const o = ops[i]!;
      if (done[i]) continue;
      // Every unplaced op that must precede o (real time, or program order) blocks it.
      const blocked = ops.some((p, j) => !done[j] && j !== i && p.status === 'ok' && (real ? p.ret < o.call : p.process === o.process && p.call < o.call));
      if (blocked) continue;
      if (!real && ops.some((p, j) => !done[j] && j !== i && p.process === o.process && p.call < o.call)) continue;
      for (const next of spec.step(state, o.input, o.output, o.status)) {
        done[i] = true;
        const ok = search(next, placed + (o.status === 'ok' ? 1 : 0));
        done[i] = false;
        if (ok) return true;
      }
    }
    return false;
  };
  return { verdict: search(spec.init(), 0) ? 'linearizable' : 'not-linearizable', partitions: 1 };
}
export function registerSpec<V>(init: V): SequentialSpec<V, { type: 'write' | 'read'; value?: V }, V | undefined> {
  return {
    name: 'register',
    init: () => init,
    step: (s, input, output, status) => {
      if (input.type === 'write') return [input.value as V];
      if (status !== 'ok') return [s];
      return is(output, s) ? [s] : [];
    },
  };
}
