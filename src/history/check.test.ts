import { describe, expect, it } from 'vitest';
import { List, Map as IMap } from 'immutable';
import { HistoryBuilder } from './builder.js';
import { checkOperations } from './check.js';
import { kw } from './edn-value.js';
import type { JepsenInput } from './models/common.js';
import { casRegisterSpec, counterSpec, etcdSpec, kvSpec, multiRegisterSpec, mutexSpec, registerSpec } from './index.js';
import type { Operation, SequentialSpec } from './types.js';

type Op = Operation<JepsenInput, unknown>;
const W = (value: unknown): JepsenInput => ({ f: 'write', value });
const R: JepsenInput = { f: 'read', value: null };

describe('checkOperations on a register', () => {
  it('an empty history is linearizable', () => {
    expect(checkOperations(registerSpec(0), []).verdict).toBe('linearizable');
  });

  it('a sequential history is judged by the spec alone', () => {
    const h = new HistoryBuilder<JepsenInput>();
    h.invoke(1, W(1));
    h.complete(1, 'ok');
    h.invoke(1, R);
    h.complete(1, 'ok', 1);
    expect(checkOperations(registerSpec(0), h.build()).verdict).toBe('linearizable');
    h.invoke(1, R);
    h.complete(1, 'ok', 0);
    const v = checkOperations(registerSpec(0), h.build());
    expect(v.verdict).toBe('not-linearizable');
    expect(v.explanation?.prefix).toEqual([0, 1]);
    expect(v.explanation?.offending).toBe(2);
    expect(v.explanation?.state).toBe('1');
    expect(v.explanation?.needs).toBe('value = 0');
    expect(v.explanation?.candidates).toEqual([{ id: 2, legal: false }]);
  });

  it('concurrent ops may take effect in either order', () => {
    const h = new HistoryBuilder<JepsenInput>();
    h.invoke('a', W(1));
    h.invoke('b', R);
    h.complete('b', 'ok', 1); // the write took effect before the read
    h.invoke('c', R);
    h.complete('c', 'ok', 1);
    h.complete('a', 'ok');
    expect(checkOperations(registerSpec(0), h.build()).verdict).toBe('linearizable');
  });

  it('real-time order separates linearizability from sequential consistency', () => {
    const h = new HistoryBuilder<JepsenInput>();
    h.invoke('a', W(1));
    h.complete('a', 'ok');
    h.invoke('b', R);
    h.complete('b', 'ok', 0); // stale: the write completed before the read began
    const ops = h.build();
    expect(checkOperations(registerSpec(0), ops).verdict).toBe('not-linearizable');
    expect(checkOperations(registerSpec(0), ops, { consistency: 'sequential' }).verdict).toBe('linearizable');
  });

  it('program order still binds sequential consistency', () => {
    const h = new HistoryBuilder<JepsenInput>();
    h.invoke('a', W(1));
    h.complete('a', 'ok');
    h.invoke('b', R);
    h.complete('b', 'ok', 1);
    h.invoke('b', R);
    h.complete('b', 'ok', 0); // b saw 1 then 0: no order of a's single write explains it
    expect(checkOperations(registerSpec(0), h.build(), { consistency: 'sequential' }).verdict).toBe('not-linearizable');
  });

  it('an info op may take effect any time after its invocation, or never', () => {
    const base = (): HistoryBuilder<JepsenInput> => {
      const h = new HistoryBuilder<JepsenInput>();
      h.invoke('a', W(1));
      h.complete('a', 'info');
      return h;
    };
    for (const reads of [[0], [1], [0, 1], [0, 0, 1, 1]]) {
      const h = base();
      for (const r of reads) {
        h.invoke('b', R);
        h.complete('b', 'ok', r);
      }
      expect(checkOperations(registerSpec(0), h.build()).verdict).toBe('linearizable');
    }
    const h = base();
    h.invoke('b', R);
    h.complete('b', 'ok', 1);
    h.invoke('b', R);
    h.complete('b', 'ok', 0); // once written, it stays written
    expect(checkOperations(registerSpec(0), h.build()).verdict).toBe('not-linearizable');
  });

  it('a never-completed op is pending, with the meaning of info', () => {
    const h = new HistoryBuilder<JepsenInput>();
    h.invoke('b', R);
    h.complete('b', 'ok', 0);
    h.invoke('a', W(1));
    h.invoke('b', R);
    h.complete('b', 'ok', 1);
    const ops = h.build();
    expect(ops.find((o) => o.id === 1)?.status).toBe('pending');
    expect(checkOperations(registerSpec(0), ops).verdict).toBe('linearizable');
    // ...but not before its invocation.
    const g = new HistoryBuilder<JepsenInput>();
    g.invoke('b', R);
    g.complete('b', 'ok', 1);
    g.invoke('a', W(1));
    expect(checkOperations(registerSpec(0), g.build()).verdict).toBe('not-linearizable');
  });
});

describe('fail semantics', () => {
  // A cas that failed, then a read showing the value the cas would have written.
  const history = (): Op[] => {
    const h = new HistoryBuilder<JepsenInput>();
    h.invoke('a', { f: 'cas', value: List([0, 5]) });
    h.complete('a', 'fail', List([0, 5]));
    h.invoke('b', R);
    h.complete('b', 'ok', 0);
    return h.build();
  };
  it("Knossos: a failed op did not happen, whatever it says", () => {
    expect(checkOperations(casRegisterSpec(0), history()).verdict).toBe('linearizable');
  });
  it("etcd: a failed cas observed that the register did not hold `from`", () => {
    // The register held 0 throughout, so "cas 0→5 returned false" is impossible.
    const v = checkOperations(etcdSpec(0), history());
    expect(v.verdict).toBe('not-linearizable');
    expect(v.explanation?.needs).toBe('value ≠ 0');
    expect(checkOperations(etcdSpec(1), [history()[0]!]).verdict).toBe('linearizable');
  });
  it('Knossos: a nil read always passes', () => {
    const h = new HistoryBuilder<JepsenInput>();
    h.invoke('a', R);
    h.complete('a', 'ok', null);
    expect(checkOperations(casRegisterSpec(3), h.build()).verdict).toBe('linearizable');
    expect(checkOperations(etcdSpec(3), h.build()).verdict).toBe('not-linearizable');
  });
});

describe('the other built-in specs', () => {
  it('counter: a read sees every increment linearized before it', () => {
    const h = new HistoryBuilder<JepsenInput>();
    h.invoke('a', { f: 'increment' });
    h.invoke('b', { f: 'increment' });
    h.complete('a', 'ok');
    h.complete('b', 'ok');
    h.invoke('a', R);
    h.complete('a', 'ok', 1); // a lost update
    expect(checkOperations(counterSpec(0), h.build()).verdict).toBe('not-linearizable');
    const g = new HistoryBuilder<JepsenInput>();
    g.invoke('a', { f: 'increment' });
    g.invoke('b', R);
    g.complete('b', 'ok', 0);
    g.complete('a', 'ok');
    g.invoke('b', { f: 'set', value: 7 });
    g.complete('b', 'ok');
    g.invoke('b', R);
    g.complete('b', 'ok', 7);
    expect(checkOperations(counterSpec(0), g.build()).verdict).toBe('linearizable');
  });

  it('mutex: two holders at once are not linearizable', () => {
    const h = new HistoryBuilder<JepsenInput>();
    h.invoke(1, { f: 'acquire' });
    h.complete(1, 'ok');
    h.invoke(2, { f: 'acquire' });
    h.complete(2, 'ok');
    expect(checkOperations(mutexSpec(), h.build()).verdict).toBe('not-linearizable');
    const g = new HistoryBuilder<JepsenInput>();
    g.invoke(1, { f: 'acquire' });
    g.invoke(2, { f: 'acquire' });
    g.complete(2, 'ok');
    g.invoke(2, { f: 'release' });
    g.complete(2, 'ok');
    g.complete(1, 'ok');
    expect(checkOperations(mutexSpec(), g.build()).verdict).toBe('linearizable');
  });

  it('multi-register: a txn is one atomic step', () => {
    const txn = (...m: unknown[][]): JepsenInput => ({ f: 'txn', value: List(m.map((x) => List(x))) });
    const init = IMap([[kw('x'), 0], [kw('y'), 0]]);
    const h = new HistoryBuilder<JepsenInput>();
    h.invoke(1, txn([kw('write'), kw('x'), 1], [kw('write'), kw('y'), 1]));
    h.invoke(2, txn([kw('read'), kw('x'), null], [kw('read'), kw('y'), null]));
    h.complete(2, 'ok', List([List([kw('read'), kw('x'), 1]), List([kw('read'), kw('y'), 0])])); // torn
    h.complete(1, 'ok', List([List([kw('write'), kw('x'), 1]), List([kw('write'), kw('y'), 1])]));
    expect(checkOperations(multiRegisterSpec(init), h.build()).verdict).toBe('not-linearizable');
  });

  it('kv: partitioned by key, with the same verdicts either way', () => {
    const h = new HistoryBuilder<JepsenInput>();
    h.invoke(1, { f: 'put', key: 'a', value: 'x' });
    h.invoke(2, { f: 'append', key: 'b', value: 'y' });
    h.complete(1, 'ok');
    h.complete(2, 'ok');
    h.invoke(1, { f: 'get', key: 'a', value: null });
    h.complete(1, 'ok', 'x');
    h.invoke(2, { f: 'get', key: 'b', value: null });
    h.complete(2, 'ok', 'y');
    const ok = h.build();
    expect(checkOperations(kvSpec(), ok)).toMatchObject({ verdict: 'linearizable', partitions: 2 });
    expect(checkOperations(kvSpec(), ok, { partition: false })).toMatchObject({ verdict: 'linearizable', partitions: 1 });
    h.invoke(2, { f: 'get', key: 'b', value: null });
    h.complete(2, 'ok', '');
    const bad = h.build();
    const v = checkOperations(kvSpec(), bad);
    expect(v).toMatchObject({ verdict: 'not-linearizable', partitions: 2 });
    expect(v.explanation?.partition).toBe(1);
    expect(checkOperations(kvSpec(), bad, { partition: false }).verdict).toBe('not-linearizable');
  });
});

describe('the search', () => {
  it('tries every successor of a nondeterministic spec', () => {
    // A coin: `flip` lands on either side; a read must see the side it landed on.
    const coin: SequentialSpec<string, JepsenInput, unknown> = {
      name: 'coin',
      init: () => 'none',
      step: (s, i, o, status) => (i.f === 'flip' ? ['heads', 'tails'] : status !== 'ok' || o === s ? [s] : []),
    };
    for (const side of ['heads', 'tails']) {
      const h = new HistoryBuilder<JepsenInput>();
      h.invoke(1, { f: 'flip' });
      h.complete(1, 'ok');
      h.invoke(1, R);
      h.complete(1, 'ok', side);
      expect(checkOperations(coin, h.build()).verdict).toBe('linearizable');
      expect(checkOperations(coin, h.build(), { consistency: 'sequential' }).verdict).toBe('linearizable');
    }
    const h = new HistoryBuilder<JepsenInput>();
    h.invoke(1, { f: 'flip' });
    h.complete(1, 'ok');
    h.invoke(1, R);
    h.complete(1, 'ok', 'edge');
    expect(checkOperations(coin, h.build()).verdict).toBe('not-linearizable');
  });

  it('a spent budget ends with unknown, never a guess', () => {
    // Many concurrent writes and a read of a value nobody wrote: the search must visit every subset.
    const h = new HistoryBuilder<JepsenInput>();
    for (let p = 0; p < 14; p++) h.invoke(p, W(p + 1));
    for (let p = 0; p < 14; p++) h.complete(p, 'ok');
    h.invoke(99, R);
    h.complete(99, 'ok', 100);
    const ops = h.build();
    expect(checkOperations(registerSpec(0), ops, { timeoutMs: 0 })).toMatchObject({ verdict: 'unknown', reason: 'timeout' });
    expect(checkOperations(registerSpec(0), ops, { maxMemoryBytes: 1000 })).toMatchObject({ verdict: 'unknown', reason: 'memory' });
    expect(checkOperations(registerSpec(0), ops, { consistency: 'sequential', timeoutMs: 0 }).verdict).toBe('unknown');
  });

  it('memoization keeps a wide history cheap', () => {
    // 12 concurrent writes of one value then a read: without the memo this is 12! orders.
    const h = new HistoryBuilder<JepsenInput>();
    for (let p = 0; p < 12; p++) h.invoke(p, W(1));
    for (let p = 0; p < 12; p++) h.complete(p, 'ok');
    h.invoke(99, R);
    h.complete(99, 'ok', 2);
    const v = checkOperations(registerSpec(0), h.build());
    expect(v.verdict).toBe('not-linearizable');
    expect(v.steps).toBeLessThan(13 * 2 ** 13);
  });
});
