// Property tests: histories generated from a real sequential execution are linearizable; with one
// output corrupted, or made up at random, the verdict matches a brute-force reference checker.
import fc from 'fast-check';
import { List } from 'immutable';
import { describe, expect, it } from 'vitest';
import { checkOperations, searchableOps } from './check.js';
import type { JepsenInput } from './models/common.js';
import { casRegisterSpec, etcdSpec, registerSpec } from './index.js';
import type { Consistency, Operation, OpStatus, SequentialSpec } from './types.js';

type Op = Operation<JepsenInput, unknown>;
type Spec = SequentialSpec<unknown, JepsenInput, unknown>;
const definite = (o: Op): boolean => (o.status === 'ok' || o.status === 'fail') && Number.isFinite(o.ret);

/** Every order the consistency allows, tried exhaustively (no memo, no pruning). */
function bruteForce(spec: Spec, all: readonly Op[], consistency: Consistency): boolean {
  const ops = searchableOps(spec, all);
  const go = (remaining: readonly Op[], state: unknown): boolean => {
    if (!remaining.some(definite)) return true;
    return remaining.some((x) => {
      // An indefinite op may never take effect: drop it.
      if (!definite(x) && go(remaining.filter((y) => y !== x), state)) return true;
      const blocked = remaining.some((y) =>
        consistency === 'linearizable' ? y !== x && definite(y) && y.ret < x.call : y !== x && y.process === x.process && y.call < x.call,
      );
      if (blocked) return false;
      const rest = remaining.filter((y) => y !== x);
      return spec.step(state, x.input, x.output, x.status).some((s) => go(rest, s));
    });
  };
  return go(ops, spec.init());
}

interface Planned {
  input: JepsenInput;
  /** Linearization point, or undefined for an op that never took effect. */
  at?: number;
  lead: number;
  lag: number;
  status: OpStatus;
}

const value = fc.integer({ min: 0, max: 2 });
const input = fc.oneof(
  value.map((v): JepsenInput => ({ f: 'write', value: v })),
  fc.constant<JepsenInput>({ f: 'read', value: null }),
  fc.tuple(value, value).map(([a, b]): JepsenInput => ({ f: 'cas', value: List([a, b]) })),
);
const plan = fc.record({
  input,
  lead: fc.integer({ min: 0, max: 6 }),
  lag: fc.integer({ min: 0, max: 6 }),
  crashed: fc.integer({ min: 0, max: 9 }),
  happened: fc.boolean(),
});

/** Runs the ops in order on the spec (taking each op's first successor), then spreads them in time around their points. */
function execute(spec: Spec, plans: { input: JepsenInput; lead: number; lag: number; crashed: number; happened: boolean }[]): Op[] {
  let state = spec.init();
  const planned: (Planned & { output?: unknown })[] = [];
  plans.forEach((p, k) => {
    const at = 10 * k;
    // A crashed op (info) took effect or not; the others did, with the output the spec gives.
    const crashed = p.crashed === 0;
    if (crashed && !p.happened) {
      planned.push({ input: p.input, lead: p.lead, lag: 0, status: 'info' });
      return;
    }
    let output: unknown;
    let status: OpStatus = crashed ? 'info' : 'ok';
    if (p.input.f === 'read') output = state;
    if (p.input.f === 'cas') {
      const [from, to] = (p.input.value as List<number>).toArray();
      if (from !== state) status = crashed ? 'info' : 'fail';
      else state = to;
    } else if (p.input.f === 'write') state = p.input.value;
    planned.push({ input: p.input, at, lead: p.lead, lag: p.lag, status, ...(status === 'ok' ? { output: output ?? p.input.value } : {}) });
  });
  // Processes: an op goes to the first process free at its call (one open op per process).
  const free: number[] = [];
  return planned.map((p, id) => {
    const call = (p.at ?? 10 * id) - p.lead;
    const ret = p.status === 'info' ? Infinity : (p.at ?? 10 * id) + p.lag;
    let proc = free.findIndex((t) => t < call);
    if (proc < 0) proc = free.push(0) - 1;
    free[proc] = ret;
    return { id, process: proc, input: p.input, ...(p.output !== undefined ? { output: p.output } : {}), status: p.status, call, ret };
  });
}

function corrupt(ops: Op[], which: number, delta: number): Op[] | undefined {
  const reads = ops.filter((o) => o.status === 'ok' && o.input.f === 'read');
  if (reads.length === 0) return undefined;
  const r = reads[which % reads.length]!;
  return ops.map((o) => (o === r ? { ...o, output: ((o.output as number) + delta) % 3 } : o));
}

// The etcd spec judges a failed cas; the cas-register drops it. The register's reads are strict.
const specs: [string, () => Spec][] = [
  ['cas-register', () => casRegisterSpec(0)],
  ['etcd', () => etcdSpec(0)],
  ['register', () => registerSpec(0)],
];

describe('property: histories from a sequential execution are linearizable', () => {
  for (const [name, make] of specs) {
    it(name, () => {
      fc.assert(
        fc.property(fc.array(plan, { maxLength: 40 }), (plans) => {
          const ops = execute(make(), name === 'register' ? plans.filter((p) => p.input.f !== 'cas') : plans);
          expect(checkOperations(make(), ops).verdict).toBe('linearizable');
          expect(checkOperations(make(), ops, { consistency: 'sequential' }).verdict).toBe('linearizable');
        }),
        { numRuns: 150 },
      );
    });
  }
});

describe('property: with one read corrupted, the verdict is the brute-force verdict', () => {
  for (const [name, make] of specs) {
    it(name, () => {
      let violations = 0;
      fc.assert(
        fc.property(fc.array(plan, { minLength: 1, maxLength: 7 }), fc.nat(), fc.integer({ min: 1, max: 2 }), (plans, which, delta) => {
          const ops = corrupt(execute(make(), name === 'register' ? plans.filter((p) => p.input.f !== 'cas') : plans), which, delta);
          if (ops === undefined) return;
          for (const consistency of ['linearizable', 'sequential'] as const) {
            const expected = bruteForce(make(), ops, consistency);
            if (!expected && consistency === 'linearizable') violations++;
            expect(checkOperations(make(), ops, { consistency }).verdict).toBe(expected ? 'linearizable' : 'not-linearizable');
          }
        }),
        { numRuns: 400 },
      );
      // Both verdicts are exercised.
      expect(violations).toBeGreaterThan(20);
    });
  }
});

describe('property: random small histories agree with the brute force', () => {
  const randomOp = fc.record({
    input,
    output: value,
    process: fc.integer({ min: 0, max: 3 }),
    call: fc.integer({ min: 0, max: 20 }),
    len: fc.integer({ min: 0, max: 8 }),
    status: fc.constantFrom<OpStatus>('ok', 'ok', 'ok', 'fail', 'info', 'pending'),
  });
  for (const [name, make] of specs) {
    it(name, () => {
      fc.assert(
        fc.property(fc.array(randomOp, { maxLength: 7 }), (raw) => {
          const ops: Op[] = raw.map((r, id) => ({
            id,
            process: r.process, // (ops of one process may overlap here; only sequential consistency reads processes)
            input: r.input,
            ...(r.status === 'ok' ? { output: r.input.f === 'read' ? r.output : r.input.value } : {}),
            status: r.status,
            call: r.call * 10 + id, // distinct: program order is then one order
            ret: r.status === 'info' || r.status === 'pending' ? Infinity : r.call * 10 + id + r.len * 10 + 5,
          }));
          for (const consistency of ['linearizable', 'sequential'] as const)
            expect(checkOperations(make(), ops, { consistency }).verdict).toBe(bruteForce(make(), ops, consistency) ? 'linearizable' : 'not-linearizable');
        }),
        { numRuns: 300 },
      );
    });
  }
});
