// The lease lock with and without fencing tokens against TLC 2.20's counts. From
// ../shared/reference/lease-locks.md part B (2 clients): with fencing 123 distinct / 237 generated /
// depth 11, Consistent2 holds; without, 69 / 143 / 9, and Consistent, Consistent2, Consistent3 fail with
// counterexamples of 4, 4 and 6 states. The 3- and 4-client counts came from TLC 2.20 (-workers 1) on the
// sources' modules.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkModel, checkSpec } from '../../src/engine/index.js';
import { referenceBfs } from '../../src/engine/test-models/reference-bfs.js';
import { resolveConstants } from '../../src/model/constants.js';
import { QuorumError } from '../../src/model/errors.js';
import { lockFencing, lockNoFencing, type BrokenState, type FencedState } from './lease-lock.js';

const spec = (name: string) => fileURLToPath(new URL(`../../specs/${name}.cfg`, import.meta.url));
const clients = (n: number) => ({ Client: Array.from({ length: n }, (_, i) => `c${i + 1}`) });

describe('lease lock with fencing tokens', () => {
  it('specs/lock-fencing.cfg (2 clients): 123 distinct, 237 generated, depth 11; TypeOK and Consistent2 hold', async () => {
    const r = await checkSpec(spec('lock-fencing'), { workers: 0 });
    expect(r.loaded.spec.expect).toEqual({ kind: 'ok' });
    expect(r.status).toBe('ok');
    expect([r.distinctStates, r.statesGenerated, r.depth]).toEqual([123, 237, 11]);
    for (const c of r.coverage) expect(c.fired, c.action).toBeGreaterThan(0);
    const ref = referenceBfs(lockFencing, clients(2), { invariants: ['TypeOK', 'Consistent2', 'Consistent3'] });
    expect(ref.violations).toEqual([]);
    expect([ref.distinct, ref.generated, ref.depth]).toEqual([123, 237, 11]);
  });

  it('3 clients: 1,867 distinct, 4,648 generated, depth 16; 4 clients: 36,553 / 111,245 / 21', async () => {
    for (const [n, counts] of [
      [3, [1_867, 4_648, 16]],
      [4, [36_553, 111_245, 21]],
    ] as const) {
      const r = await checkModel(lockFencing, { constants: clients(n), invariants: ['TypeOK', 'Consistent2'], checkDeadlock: false, workers: 0 });
      expect(r.status).toBe('ok');
      expect([r.distinctStates, r.statesGenerated, r.depth]).toEqual(counts);
    }
  });

  it('the token check rejects a client whose lease expired and whose successor already wrote', () => {
    const states = referenceBfs(lockFencing, clients(2)).levels.flat() as FencedState[];
    const rejected = states.filter((s) => s.clientState.includes('RejectWriting'));
    expect(rejected.length).toBeGreaterThan(0);
    for (const s of rejected) {
      for (const [c, st] of s.clientState) if (st === 'RejectWriting') expect(s.clientFencingToken.get(c)!).toBeLessThanOrEqual(s.storageLastToken);
    }
  });

  it('the deadlock check must be off: every client ends in a terminal state', async () => {
    const r = await checkModel(lockFencing, { constants: clients(2), workers: 0 });
    expect(r.violation?.kind).toBe('deadlock');
  });
});

describe('the same lease lock without fencing tokens', () => {
  it('2 clients: 69 distinct, 143 generated, depth 9; 3 clients: 533 / 1,504 / 13; 4 clients: 3,873 / 13,797 / 17', async () => {
    for (const [n, counts] of [
      [2, [69, 143, 9]],
      [3, [533, 1_504, 13]],
      [4, [3_873, 13_797, 17]],
    ] as const) {
      const r = await checkModel(lockNoFencing, { constants: clients(n), invariants: ['TypeOK'], checkDeadlock: false, workers: 0 });
      expect(r.status).toBe('ok');
      expect([r.distinctStates, r.statesGenerated, r.depth]).toEqual(counts);
    }
  });

  it('specs/lock-no-fencing.cfg: Consistent fails first (4 states): c1 writes after its lease expired', async () => {
    const r = await checkSpec(spec('lock-no-fencing'), { workers: 0 });
    expect(r.loaded.spec.expect).toMatchObject({ kind: 'violation', name: 'Consistent' });
    expect(r.violation?.name).toBe('Consistent');
    expect(r.violation!.trace.map((t) => t.action)).toEqual(['Init', 'ClientLocking(c1)', 'LockExpire', 'ClientWritingData(c1)']);
  });

  it('Consistent2 fails with 4 states (two holders after expiry), Consistent3 with 6 (a release of the next holder’s lease)', async () => {
    for (const [name, length] of [
      ['Consistent2', 4],
      ['Consistent3', 6],
    ] as const) {
      const r = await checkModel(lockNoFencing, { constants: clients(2), invariants: [name], checkDeadlock: false, workers: 0 });
      expect(r.violation?.name).toBe(name);
      expect(r.violation!.trace).toHaveLength(length);
    }
    const two = await checkModel(lockNoFencing, { constants: clients(2), invariants: ['Consistent2'], checkDeadlock: false, workers: 0 });
    const last = two.violation!.trace[3]!.state as BrokenState;
    expect(last.clientHeldLockState.toArray().map(([, h]) => h)).toEqual(['heldLock', 'heldLock']);
  });

  it('Client is a set of names (strings or model values); "noClient" cannot name one', () => {
    const where = 'x.cfg:1:1';
    const set = (...items: { kind: 'string'; value: string }[]) => new Map([['Client', { value: { kind: 'set' as const, items }, where }]]);
    expect(resolveConstants(lockNoFencing.constants, set({ kind: 'string', value: 'a' }), 'lock-no-fencing', where)).toEqual({ Client: ['a'] });
    expect(() => resolveConstants(lockNoFencing.constants, set({ kind: 'string', value: 'noClient' }), 'lock-no-fencing', where)).toThrow(QuorumError);
  });
});
