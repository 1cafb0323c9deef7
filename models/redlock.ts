// Redlock with client pauses, as in the TLA+ twin of the Specl showcase (danwt/specl,
// specl/examples/showcase/redlock.tla), restated in ../shared/reference/lease-locks.md part A.
// Antirez's algorithm with the flaw Kleppmann analysed: a client checks the validity of its locks
// against its own clock while the locks expire in real time, so a client whose clock lags (a paused
// client) believes it still holds locks that expired and were granted to another client.
import { Map as IMap, Record, Set as ISet } from 'immutable';
import { constant } from '../src/model/constants.js';
import { defineModel } from '../src/model/model.js';

/** 0 idle, 1 acquiring, 2 holding, 3 released (terminal). */
export type ClientState = 0 | 1 | 2 | 3;
const STATE_NAMES = ['idle', 'acquiring', 'holding', 'released'] as const;

export const RedlockState = Record<{
  globalTime: number;
  localClock: IMap<number, number>;
  clientState: IMap<number, ClientState>;
  clientLocks: IMap<number, ISet<number>>;
  acquireTime: IMap<number, number>;
  nextInstance: IMap<number, number>;
  /** The client holding the instance, or -1. */
  instanceLock: IMap<number, number>;
  /** The real time at which the instance's lock expires. */
  instanceExpiry: IMap<number, number>;
}>(
  {
    globalTime: 0,
    localClock: IMap(),
    clientState: IMap(),
    clientLocks: IMap(),
    acquireTime: IMap(),
    nextInstance: IMap(),
    instanceLock: IMap(),
    instanceExpiry: IMap(),
  },
  'Redlock',
);
export type RedlockState = ReturnType<typeof RedlockState>;

export default defineModel({
  name: 'redlock',
  description: "Redlock with clients whose clocks lag (Kleppmann's counterexample)",
  constants: {
    /** Instances are 0..N. */
    N: constant.int({ min: 0 }),
    /** Clients are 0..M. */
    M: constant.int({ min: 0 }),
    /** Lock time-to-live, in ticks. */
    TTL: constant.int({ min: 0 }),
    /** Bound on the global clock. */
    MaxTime: constant.int({ min: 0 }),
  },
  build({ N, M, TTL, MaxTime }) {
    const Clients = Array.from({ length: M + 1 }, (_, c) => c);
    const Instances = Array.from({ length: N + 1 }, (_, i) => i);
    const Majority = Math.floor((N + 1) / 2) + 1;
    const fn = <V>(dom: readonly number[], v: V) => IMap(dom.map((x) => [x, v] as const));
    const releaseAll = (locks: IMap<number, number>, c: number) => locks.map((holder) => (holder === c ? -1 : holder));

    return {
      init: [
        RedlockState({
          globalTime: 0,
          localClock: fn(Clients, 0),
          clientState: fn(Clients, 0 as ClientState),
          clientLocks: fn(Clients, ISet<number>()),
          acquireTime: fn(Clients, 0),
          nextInstance: fn(Clients, 0),
          instanceLock: fn(Instances, -1),
          instanceExpiry: fn(Instances, 0),
        }),
      ],
      actions: {
        /** Real time advances. */
        Tick: {
          step: (s: RedlockState) => (s.globalTime < MaxTime ? s.set('globalTime', s.globalTime + 1) : undefined),
        },
        /** c's clock catches up by one tick; a client that does not advance is paused. */
        ClockAdvance: {
          params: { c: Clients },
          step: (s: RedlockState, { c }: { c: number }) =>
            s.localClock.get(c)! < s.globalTime ? s.set('localClock', s.localClock.set(c, s.localClock.get(c)! + 1)) : undefined,
        },
        /** An instance's lock expires in real time (its expiry time stays). */
        ExpireLock: {
          params: { i: Instances },
          step: (s: RedlockState, { i }: { i: number }) =>
            s.instanceLock.get(i) !== -1 && s.globalTime >= s.instanceExpiry.get(i)! ? s.set('instanceLock', s.instanceLock.set(i, -1)) : undefined,
        },
        StartAcquire: {
          params: { c: Clients },
          step: (s: RedlockState, { c }: { c: number }) =>
            s.clientState.get(c) === 0
              ? s
                  .set('clientState', s.clientState.set(c, 1))
                  .set('acquireTime', s.acquireTime.set(c, s.localClock.get(c)!))
                  .set('clientLocks', s.clientLocks.set(c, ISet()))
                  .set('nextInstance', s.nextInstance.set(c, 0))
              : undefined,
        },
        /** SET NX on instance i succeeds. */
        TryLock: {
          params: { c: Clients, i: Instances },
          step: (s: RedlockState, { c, i }: { c: number; i: number }) =>
            s.clientState.get(c) === 1 && s.nextInstance.get(c) === i && s.instanceLock.get(i) === -1
              ? s
                  .set('instanceLock', s.instanceLock.set(i, c))
                  .set('instanceExpiry', s.instanceExpiry.set(i, s.globalTime + TTL))
                  .set('clientLocks', s.clientLocks.set(c, s.clientLocks.get(c)!.add(i)))
                  .set('nextInstance', s.nextInstance.set(c, i + 1))
              : undefined,
        },
        /** Instance i is held by another client. */
        FailLock: {
          params: { c: Clients, i: Instances },
          step: (s: RedlockState, { c, i }: { c: number; i: number }) => {
            const holder = s.instanceLock.get(i);
            return s.clientState.get(c) === 1 && s.nextInstance.get(c) === i && holder !== -1 && holder !== c
              ? s.set('nextInstance', s.nextInstance.set(c, i + 1))
              : undefined;
          },
        },
        /** A majority, and validity left by c's own clock: the flaw. */
        FinishAcquire: {
          params: { c: Clients },
          step: (s: RedlockState, { c }: { c: number }) =>
            s.clientState.get(c) === 1 &&
            s.nextInstance.get(c)! > N &&
            s.clientLocks.get(c)!.size >= Majority &&
            s.localClock.get(c)! - s.acquireTime.get(c)! < TTL
              ? s.set('clientState', s.clientState.set(c, 2))
              : undefined,
        },
        FailAcquire: {
          params: { c: Clients },
          step: (s: RedlockState, { c }: { c: number }) => {
            if (s.clientState.get(c) !== 1 || !(s.nextInstance.get(c)! > N)) return undefined;
            const tooFew = s.clientLocks.get(c)!.size < Majority;
            const tooLate = s.localClock.get(c)! - s.acquireTime.get(c)! >= TTL;
            if (!tooFew && !tooLate) return undefined;
            const t = s
              .set('clientState', s.clientState.set(c, 0))
              .set('clientLocks', s.clientLocks.set(c, ISet()))
              .set('instanceLock', releaseAll(s.instanceLock, c));
            // One successor per true disjunct, as TLC generates them.
            return tooFew && tooLate ? [t, t] : t;
          },
        },
        ReleaseLock: {
          params: { c: Clients },
          step: (s: RedlockState, { c }: { c: number }) =>
            s.clientState.get(c) === 2 ? s.set('clientState', s.clientState.set(c, 3)).set('instanceLock', releaseAll(s.instanceLock, c)) : undefined,
        },
      },
      invariants: {
        /** No two clients hold the lock at once. Expected to be violated. */
        MutualExclusion: (s: RedlockState) => s.clientState.count((st) => st === 2) <= 1,
      },
      records: [RedlockState],
      nodeView: {
        nodes: ['real time', ...Clients.map((c) => `client ${c}`), ...Instances.map((i) => `instance ${i}`)],
        view: (s: RedlockState, node: string) => {
          if (node === 'real time') return { globalTime: s.globalTime };
          const [kind, n] = node.split(' ') as [string, string];
          const x = Number(n);
          if (kind === 'client') {
            return {
              state: STATE_NAMES[s.clientState.get(x)!],
              localClock: s.localClock.get(x),
              acquireTime: s.acquireTime.get(x),
              locks: s.clientLocks.get(x),
              nextInstance: s.nextInstance.get(x),
            };
          }
          const holder = s.instanceLock.get(x)!;
          return { holder: holder === -1 ? 'none' : `client ${holder}`, expiry: s.instanceExpiry.get(x) };
        },
      },
    };
  },
});
