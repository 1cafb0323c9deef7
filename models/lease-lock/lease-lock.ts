// A lease lock with fencing tokens, and the same lock without them, as in two learner's TLA+ models
// (Stool233/tla-plus-learn: DistributedLockWithFencing.tla and BrokenDistributedLock2.tla), restated in
// ../shared/reference/lease-locks.md part B. One lock server grants a lease that may expire at any
// moment without the holder being told. With fencing, the lock server hands out increasing tokens and
// the storage rejects a write whose token is not newer than the last it accepted.
import { Map as IMap, Record, Set as ISet } from 'immutable';
import { showCfgValue, type ConstantType } from '../../src/model/constants.js';
import { defineModel } from '../../src/model/model.js';

export const NO_CLIENT = 'noClient';

/** The Client constant: a set of strings, as the sources write it ({"c1", "c2"}), or of model values. */
export function clientSet(): ConstantType<readonly string[]> {
  return {
    describe: 'a set of client names, like {"c1", "c2"}',
    optional: false,
    convert(v) {
      if (v.kind !== 'set') return `expected a set of client names like {"c1", "c2"}, got ${showCfgValue(v)}`;
      const names: string[] = [];
      for (const item of v.items) {
        const name = item.kind === 'string' ? item.value : item.kind === 'modelValue' ? item.name : undefined;
        if (name === undefined) return `expected a set of client names like {"c1", "c2"}, got ${showCfgValue(item)} in it`;
        if (name === NO_CLIENT) return `"${NO_CLIENT}" stands for no holder and cannot name a client`;
        if (!names.includes(name)) names.push(name);
      }
      if (names.length === 0) return 'expected at least one client';
      return names;
    },
  };
}

type Held = 'notHeldLock' | 'heldLock';
type Lease = 'unlock' | 'locked';

// ---------------------------------------------------------------- with fencing tokens
export type FencedClientState =
  | 'init'
  | 'successAcquireLock'
  | 'failAcquireLock'
  | 'PrepareWritingData'
  | 'WritingData'
  | 'RejectWriting'
  | 'ReleasingLock'
  | 'ReleasedLock';

export const FencedState = Record<{
  clientState: IMap<string, FencedClientState>;
  /** What each client believes: does it hold the lock? */
  clientHeldLockState: IMap<string, Held>;
  /** The lease as the lock server sees it. */
  lockLeaseState: Lease;
  /** The client the lock server granted the lease to, or "noClient". */
  lockClientRef: string;
  storageState: 'notwrite' | 'writing';
  lockLastToken: number;
  storageLastToken: number;
  clientFencingToken: IMap<string, number>;
  usedTokens: ISet<number>;
}>(
  {
    clientState: IMap(),
    clientHeldLockState: IMap(),
    lockLeaseState: 'unlock',
    lockClientRef: NO_CLIENT,
    storageState: 'notwrite',
    lockLastToken: 0,
    storageLastToken: 0,
    clientFencingToken: IMap(),
    usedTokens: ISet(),
  },
  'LockWithFencing',
);
export type FencedState = ReturnType<typeof FencedState>;

const FENCED_CLIENT_STATES: readonly FencedClientState[] = [
  'init',
  'successAcquireLock',
  'failAcquireLock',
  'PrepareWritingData',
  'WritingData',
  'RejectWriting',
  'ReleasingLock',
  'ReleasedLock',
];
const isNat = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 0;

export const lockFencing = defineModel({
  name: 'lock-fencing',
  description: 'A lease lock whose storage checks fencing tokens (DistributedLockWithFencing)',
  constants: { Client: clientSet() },
  build({ Client }) {
    const fn = <V>(v: V) => IMap(Client.map((c) => [c, v] as const));
    const inState = (s: FencedState, c: string, st: FencedClientState) => s.clientState.get(c) === st;
    const setClient = (s: FencedState, c: string, st: FencedClientState) => s.set('clientState', s.clientState.set(c, st));
    return {
      init: [
        FencedState({
          clientState: fn('init' as FencedClientState),
          clientHeldLockState: fn('notHeldLock' as Held),
          clientFencingToken: fn(0),
        }),
      ],
      actions: {
        /** The lease expires; its holder is not told. */
        LockExpire: {
          step: (s: FencedState) => (s.lockLeaseState === 'locked' ? s.set('lockLeaseState', 'unlock').set('lockClientRef', NO_CLIENT) : undefined),
        },
        /** c asks once for the lock: granted with the next token if the lease is free, else c gives up. */
        ClientLocking: {
          params: { c: Client },
          step: (s: FencedState, { c }: { c: string }) => {
            if (!inState(s, c, 'init')) return undefined;
            if (s.lockLeaseState !== 'unlock') return setClient(s, c, 'failAcquireLock');
            const token = s.lockLastToken + 1;
            return setClient(s, c, 'successAcquireLock')
              .set('lockLeaseState', 'locked')
              .set('clientHeldLockState', s.clientHeldLockState.set(c, 'heldLock'))
              .set('lockLastToken', token)
              .set('clientFencingToken', s.clientFencingToken.set(c, token))
              .set('lockClientRef', c);
          },
        },
        ClientPrepareWritingData: {
          params: { c: Client },
          step: (s: FencedState, { c }: { c: string }) => (inState(s, c, 'successAcquireLock') ? setClient(s, c, 'PrepareWritingData') : undefined),
        },
        /** The storage admits one writer at a time, and only with a token newer than the last it accepted. */
        ClientWritingData: {
          params: { c: Client },
          step: (s: FencedState, { c }: { c: string }) => {
            if (!inState(s, c, 'PrepareWritingData') || s.storageState !== 'notwrite') return undefined;
            const token = s.clientFencingToken.get(c)!;
            if (!(token > s.storageLastToken)) return setClient(s, c, 'RejectWriting');
            return setClient(s, c, 'WritingData').set('storageLastToken', token).set('storageState', 'writing').set('usedTokens', s.usedTokens.add(token));
          },
        },
        ClientWroteData: {
          params: { c: Client },
          step: (s: FencedState, { c }: { c: string }) => (inState(s, c, 'WritingData') ? setClient(s, c, 'ReleasingLock').set('storageState', 'notwrite') : undefined),
        },
        /** Releases the lease unconditionally, even when it now belongs to another client. */
        ClientReleaseLock: {
          params: { c: Client },
          step: (s: FencedState, { c }: { c: string }) =>
            inState(s, c, 'ReleasingLock')
              ? setClient(s, c, 'ReleasedLock')
                  .set('clientHeldLockState', s.clientHeldLockState.set(c, 'notHeldLock'))
                  .set('lockLeaseState', 'unlock')
                  .set('lockClientRef', NO_CLIENT)
              : undefined,
        },
      },
      invariants: {
        TypeOK: (s: FencedState) =>
          Client.every((c) => FENCED_CLIENT_STATES.includes(s.clientState.get(c)!)) &&
          s.clientState.size === Client.length &&
          Client.every((c) => ['notHeldLock', 'heldLock'].includes(s.clientHeldLockState.get(c)!)) &&
          s.clientHeldLockState.size === Client.length &&
          ['unlock', 'locked'].includes(s.lockLeaseState) &&
          ['notwrite', 'writing'].includes(s.storageState) &&
          (Client.includes(s.lockClientRef) || s.lockClientRef === NO_CLIENT) &&
          isNat(s.lockLastToken) &&
          isNat(s.storageLastToken) &&
          Client.every((c) => isNat(s.clientFencingToken.get(c))) &&
          s.clientFencingToken.size === Client.length &&
          s.usedTokens.every(isNat),
        /** At most one client is writing. */
        Consistent2: (s: FencedState) => s.clientState.count((st) => st === 'WritingData') <= 1,
        /** The source's copy of Consistent2. */
        Consistent3: (s: FencedState) => s.clientState.count((st) => st === 'WritingData') <= 1,
      },
      records: [FencedState],
      nodeView: {
        nodes: ['lock server', 'storage', ...Client],
        view: (s: FencedState, n: string) =>
          n === 'lock server'
            ? { lease: s.lockLeaseState, holder: s.lockClientRef, lastToken: s.lockLastToken }
            : n === 'storage'
              ? { storage: s.storageState, lastToken: s.storageLastToken, usedTokens: s.usedTokens }
              : { state: s.clientState.get(n), believes: s.clientHeldLockState.get(n), token: s.clientFencingToken.get(n) },
      },
    };
  },
});

// ---------------------------------------------------------------- without fencing tokens (nor storage)
export type BrokenClientState = 'init' | 'successAcquireLock' | 'failAcquireLock' | 'WritingData' | 'ReleasingLock' | 'ReleasedLock';

export const BrokenState = Record<{
  clientState: IMap<string, BrokenClientState>;
  clientHeldLockState: IMap<string, Held>;
  lockLeaseState: Lease;
  lockClientRef: string;
}>({ clientState: IMap(), clientHeldLockState: IMap(), lockLeaseState: 'unlock', lockClientRef: NO_CLIENT }, 'LockWithoutFencing');
export type BrokenState = ReturnType<typeof BrokenState>;

const BROKEN_CLIENT_STATES: readonly BrokenClientState[] = ['init', 'successAcquireLock', 'failAcquireLock', 'WritingData', 'ReleasingLock', 'ReleasedLock'];

export const lockNoFencing = defineModel({
  name: 'lock-no-fencing',
  description: 'The same lease lock without fencing tokens (BrokenDistributedLock2)',
  constants: { Client: clientSet() },
  build({ Client }) {
    const fn = <V>(v: V) => IMap(Client.map((c) => [c, v] as const));
    const inState = (s: BrokenState, c: string, st: BrokenClientState) => s.clientState.get(c) === st;
    const setClient = (s: BrokenState, c: string, st: BrokenClientState) => s.set('clientState', s.clientState.set(c, st));
    return {
      init: [BrokenState({ clientState: fn('init' as BrokenClientState), clientHeldLockState: fn('notHeldLock' as Held) })],
      actions: {
        LockExpire: {
          step: (s: BrokenState) => (s.lockLeaseState === 'locked' ? s.set('lockLeaseState', 'unlock').set('lockClientRef', NO_CLIENT) : undefined),
        },
        ClientLocking: {
          params: { c: Client },
          step: (s: BrokenState, { c }: { c: string }) => {
            if (!inState(s, c, 'init')) return undefined;
            if (s.lockLeaseState !== 'unlock') return setClient(s, c, 'failAcquireLock');
            return setClient(s, c, 'successAcquireLock').set('lockLeaseState', 'locked').set('clientHeldLockState', s.clientHeldLockState.set(c, 'heldLock')).set('lockClientRef', c);
          },
        },
        ClientWritingData: {
          params: { c: Client },
          step: (s: BrokenState, { c }: { c: string }) => (inState(s, c, 'successAcquireLock') ? setClient(s, c, 'WritingData') : undefined),
        },
        ClientWroteData: {
          params: { c: Client },
          step: (s: BrokenState, { c }: { c: string }) => (inState(s, c, 'WritingData') ? setClient(s, c, 'ReleasingLock') : undefined),
        },
        ClientReleaseLock: {
          params: { c: Client },
          step: (s: BrokenState, { c }: { c: string }) =>
            inState(s, c, 'ReleasingLock')
              ? setClient(s, c, 'ReleasedLock').set('clientHeldLockState', s.clientHeldLockState.set(c, 'notHeldLock')).set('lockLeaseState', 'unlock').set('lockClientRef', NO_CLIENT)
              : undefined,
        },
      },
      invariants: {
        TypeOK: (s: BrokenState) =>
          Client.every((c) => BROKEN_CLIENT_STATES.includes(s.clientState.get(c)!)) &&
          s.clientState.size === Client.length &&
          Client.every((c) => ['notHeldLock', 'heldLock'].includes(s.clientHeldLockState.get(c)!)) &&
          s.clientHeldLockState.size === Client.length &&
          ['unlock', 'locked'].includes(s.lockLeaseState) &&
          (Client.includes(s.lockClientRef) || s.lockClientRef === NO_CLIENT),
        /** No client writes while the lease is not locked. */
        Consistent: (s: BrokenState) => Client.every((c) => !(inState(s, c, 'WritingData') && s.lockLeaseState !== 'locked')),
        /** At most one client believes it holds the lock. */
        Consistent2: (s: BrokenState) => s.clientHeldLockState.count((h) => h === 'heldLock') <= 1,
        /** No client releases while the lease is held by another client. */
        Consistent3: (s: BrokenState) =>
          Client.every((c) => !(inState(s, c, 'ReleasingLock') && s.lockClientRef !== c && s.lockClientRef !== NO_CLIENT)),
      },
      records: [BrokenState],
      nodeView: {
        nodes: ['lock server', ...Client],
        view: (s: BrokenState, n: string) =>
          n === 'lock server' ? { lease: s.lockLeaseState, holder: s.lockClientRef } : { state: s.clientState.get(n), believes: s.clientHeldLockState.get(n) },
      },
    };
  },
});
