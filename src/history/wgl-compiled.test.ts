// The compiled search must be the generic search on integers: on random kv histories (one key, with
// indefinite ops) both give the same verdict, step count, witness order and dead end, and the
// verdict is a brute-force checker's.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JepsenInput } from './models/common.js';
import { kvSpec } from './models/kv.js';
import type { Operation, OpStatus, SequentialSpec } from './types.js';
import { isDefinite, searchGeneric, searchLinearizable } from './wgl.js';

type Op = Operation<JepsenInput, unknown>;
const NO_LIMITS = { deadline: Infinity, maxMemoryBytes: Infinity };

/** Every order linearizability allows, tried exhaustively (no memo, no pruning). */
function bruteForce(spec: SequentialSpec<number, JepsenInput, unknown>, ops: readonly Op[]): boolean {
  const go = (remaining: readonly Op[], state: number): boolean => {
    if (!remaining.some(isDefinite)) return true;
    return remaining.some((x) => {
      if (!isDefinite(x) && go(remaining.filter((y) => y !== x), state)) return true;
      if (remaining.some((y) => y !== x && isDefinite(y) && y.ret < x.call)) return false;
      const rest = remaining.filter((y) => y !== x);
      return spec.step(state, x.input, x.output, x.status).some((s) => go(rest, s));
    });
  };
  return go(ops, spec.init());
}

const text = fc.constantFrom('', 'a', 'b', 'ab', 'ba', 'aa');
const opArb = fc.record({
  f: fc.constantFrom('get', 'put', 'append'),
  value: fc.constantFrom('a', 'b'),
  read: text,
  call: fc.integer({ min: 0, max: 30 }),
  length: fc.integer({ min: 0, max: 12 }),
  status: fc.constantFrom<OpStatus>('ok', 'ok', 'ok', 'info'),
});

type Plan = typeof opArb extends fc.Arbitrary<infer T> ? T : never;

function history(plans: Plan[]): Op[] {
  return plans.map((p, id) => ({
    id,
    process: id,
    input: { f: p.f, key: 'k', value: p.f === 'get' ? null : p.value },
    ...(p.status === 'ok' ? { output: p.f === 'get' ? p.read : p.value } : {}),
    status: p.status,
    call: 2 * p.call,
    ret: p.status === 'ok' ? 2 * (p.call + p.length) + 1 : Infinity,
  }));
}

describe('searchCompiled', () => {
  it('takes the generic search’s steps to the same verdicts, witnesses and dead ends', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 7 }), (plans) => {
        const ops = history(plans);
        const spec = kvSpec().partitionSpec!(ops) as SequentialSpec<number, JepsenInput, unknown>;
        expect(spec.compile).toBeDefined();
        const generic = searchGeneric(spec, ops, NO_LIMITS);
        const compiled = searchLinearizable(spec, ops, NO_LIMITS);
        expect(compiled).toEqual(generic);
        expect(compiled.verdict === 'linearizable').toBe(bruteForce(spec, ops));
      }),
      { numRuns: 400, seed: 15 },
    );
  });
});
