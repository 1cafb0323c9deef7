// Stateright's tester rules (invalidation, the per-thread entry on a bad return) and the call/return
// times that carry its real-time order to the history checker.
import { describe, expect, it } from 'vitest';
import { List } from 'immutable';
import { linearizabilityTester, onInvoke, onReturn, sequentialConsistencyTester, testerOperations, isLinearizable, isSequentiallyConsistent } from './consistency.js';
import { registerConsistency, RegisterOp, RegisterRet } from './register.js';

const W = (v: string) => RegisterOp({ type: 'write', value: v });
const R = RegisterOp({ type: 'read' });
const WOK = RegisterRet({ type: 'write-ok' });
const ROK = (v: string) => RegisterRet({ type: 'read-ok', value: v });

describe('consistency tester', () => {
  it('invalidates on a second invocation in flight, and on a return with none (creating the thread entry)', () => {
    const t = onInvoke(linearizabilityTester(), 1, W('A'));
    expect(onInvoke(t, 1, R).valid).toBe(false);
    const bad = onReturn(linearizabilityTester(), 2, WOK);
    expect(bad.valid).toBe(false);
    expect(bad.history.get(2)).toEqual(List());
    expect(isLinearizable(bad, registerConsistency)).toBe(false);
    // Once invalid, nothing changes.
    expect(onInvoke(bad, 3, R)).toBe(bad);
  });

  it('snapshots the other threads’ last completed op at invocation; the times realize exactly that order', () => {
    let t = linearizabilityTester();
    t = onInvoke(t, 1, W('A'));
    t = onInvoke(t, 2, W('B'));
    t = onReturn(t, 1, WOK); // A completes while B is in flight
    t = onInvoke(t, 1, R); // this read follows A, not B
    expect(t.inFlight.get(1)!.lc.toJS()).toEqual({});
    t = onReturn(t, 2, WOK);
    t = onInvoke(t, 3, R); // follows A and B
    expect(t.inFlight.get(3)!.lc.toJS()).toEqual({ 1: 0, 2: 0 });
    const ops = testerOperations(t, registerConsistency);
    const byKey = (p: number, i: number) => ops.filter((o) => o.process === p)[i]!;
    const before = (a: (typeof ops)[number], b: (typeof ops)[number]) => a.ret < b.call;
    expect(before(byKey(1, 0), byKey(1, 1))).toBe(true); // program order
    expect(before(byKey(2, 0), byKey(1, 1))).toBe(false); // B was in flight when the read began
    expect(before(byKey(1, 0), byKey(3, 0))).toBe(true);
    expect(before(byKey(2, 0), byKey(3, 0))).toBe(true);
    expect(byKey(3, 0).status).toBe('pending');
    expect(byKey(3, 0).ret).toBe(Infinity);
  });

  it('a read of the initial value after a completed write is not linearizable, but sequentially consistent for another thread', () => {
    let t = linearizabilityTester();
    t = onReturn(onInvoke(t, 1, W('A')), 1, WOK);
    t = onReturn(onInvoke(t, 2, R), 2, ROK('\0'));
    expect(isLinearizable(t, registerConsistency)).toBe(false);
    expect(isSequentiallyConsistent(t, registerConsistency)).toBe(true);
    let sc = sequentialConsistencyTester();
    sc = onReturn(onInvoke(sc, 1, W('A')), 1, WOK);
    sc = onReturn(onInvoke(sc, 1, R), 1, ROK('\0'));
    expect(sc.history.get(1)!.get(1)!.lc.size).toBe(0);
    expect(isSequentiallyConsistent(sc, registerConsistency)).toBe(false); // its own write, then '\0'
  });
});
