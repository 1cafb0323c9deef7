// A lease lock on the actor layer (after Kleppmann, "How to do distributed locking"): a lock server
// grants leases of LeaseTicks clock ticks with increasing tokens; the holder writes to a storage, then
// releases. The nemesis may pause a client (a GC pause, a stopped VM) while time goes on for the others.
// Time is explicit: the lock server keeps a global clock `now`, advanced by its `tick` timer up to
// MaxTime; a lease held until `expiry` is free again at that tick. The tick's guard (Actor.timerEnabled)
// is the synchrony assumption: the clock does not tick while a message to a running node is in flight
// (bounded delay) or while a running holder has not yet written before its lease ends (bounded
// processing). So only a pause lets a holder outlive its lease. Fenced = TRUE: the storage rejects a
// token below the highest it has seen.
import { List, Record } from 'immutable';
import { constant } from '../src/model/constants.js';
import { defineModel } from '../src/model/model.js';
import { actorConstants, actorModel, actorOptions, deliverableEnvelopes, type Actor, type ActorState } from '../src/actor/index.js';

export const LockServer = Record<{ now: number; holder: number; expiry: number; nextToken: number; waiting: List<number> }>(
  { now: 0, holder: -1, expiry: 0, nextToken: 1, waiting: List() }, 'LockServer');
export type LockServer = ReturnType<typeof LockServer>;
export const Storage = Record<{ accepted: List<number>; maxToken: number }>({ accepted: List(), maxToken: 0 }, 'Storage');
export type Storage = ReturnType<typeof Storage>;
export const LeaseClient = Record<{ phase: 'waiting' | 'working' | 'writing' | 'done'; token: number; expiry: number }>(
  { phase: 'waiting', token: 0, expiry: 0 }, 'LeaseClient');
export type LeaseClient = ReturnType<typeof LeaseClient>;

export const Acquire = Record({}, 'Acquire');
export const Grant = Record<{ token: number; expiry: number }>({ token: 0, expiry: 0 }, 'Grant');
export const Release = Record<{ token: number }>({ token: 0 }, 'Release');
export const Write = Record<{ token: number }>({ token: 0 }, 'Write');
export const WriteOk = Record<{ token: number }>({ token: 0 }, 'WriteOk');
export const Rejected = Record<{ token: number }>({ token: 0 }, 'Rejected');

const LOCK = 0;
const STORE = 1;

function lockServer(lease: number, maxTime: number): Actor<LockServer> {
  const grantNext = (s: LockServer, out: { send(d: number, m: unknown): void }): LockServer => {
    const next = s.waiting.first();
    if (next === undefined) return s.set('holder', -1);
    out.send(next, Grant({ token: s.nextToken, expiry: s.now + lease }));
    return s.merge({ holder: next, expiry: s.now + lease, nextToken: s.nextToken + 1, waiting: s.waiting.shift() });
  };
  return {
    onStart(_id, out) {
      if (maxTime > 0) out.setTimer('tick');
      return LockServer();
    },
    onMsg(_id, s, src, msg, out) {
      if (msg instanceof Acquire) {
        const queued = s.set('waiting', s.waiting.push(src));
        return s.holder === -1 ? grantNext(queued, out) : queued;
      }
      if (msg instanceof Release && s.holder === src && msg.token === s.nextToken - 1) return grantNext(s, out);
      return undefined;
    },
    onTimeout(_id, s, _timer, out) {
      const now = s.now + 1;
      if (now < maxTime) out.setTimer('tick');
      const t = s.set('now', now);
      return t.holder !== -1 && now >= t.expiry ? grantNext(t, out) : t;
    },
    timerEnabled(_id, s, _timer, sys: ActorState) {
      const running = (i: number) => !sys.paused.get(i) && !sys.crashed.get(i);
      if (deliverableEnvelopes(sys).some((e) => running(e.dst))) return false;
      return sys.actors.every((a, i) => !(a instanceof LeaseClient) || !running(i) || !(a.phase === 'working' || a.phase === 'writing') || a.expiry > s.now + 1);
    },
  };
}

function storage(fenced: boolean): Actor<Storage> {
  return {
    onStart: () => Storage(),
    onMsg(_id, s, src, msg, out) {
      if (!(msg instanceof Write)) return undefined;
      if (fenced && msg.token < s.maxToken) {
        out.send(src, Rejected({ token: msg.token }));
        return undefined;
      }
      out.send(src, WriteOk({ token: msg.token }));
      return s.merge({ accepted: s.accepted.push(msg.token), maxToken: Math.max(s.maxToken, msg.token) });
    },
  };
}

const client: Actor<LeaseClient> = {
  onStart(_id, out) {
    out.send(LOCK, Acquire());
    return LeaseClient();
  },
  onMsg(_id, s, _src, msg, out) {
    if (msg instanceof Grant && s.phase === 'waiting') {
      out.setTimer('work');
      return LeaseClient({ phase: 'working', token: msg.token, expiry: msg.expiry });
    }
    if ((msg instanceof WriteOk || msg instanceof Rejected) && s.phase === 'writing') {
      out.send(LOCK, Release({ token: s.token }));
      return s.set('phase', 'done');
    }
    return undefined;
  },
  onTimeout(_id, s, _timer, out) {
    if (s.phase !== 'working') return undefined;
    out.send(STORE, Write({ token: s.token }));
    return s.set('phase', 'writing');
  },
};

/** The storage never accepts a write from an older lease after one from a newer lease. */
export const noStaleWrite = (s: ActorState) => {
  const acc = (s.actors.get(STORE) as Storage).accepted;
  return acc.every((t, i) => i === 0 || t > acc.get(i - 1)!);
};

export default defineModel({
  name: 'lock-lease-actors',
  description: 'A lease lock with an explicit clock; the nemesis pauses a client past its lease',
  constants: {
    Clients: constant.int({ min: 1 }),
    LeaseTicks: constant.int({ min: 1, default: 1 }),
    MaxTime: constant.int({ min: 0, default: 2 }),
    Fenced: constant.bool({ default: false }),
    ...actorConstants(),
  },
  build(k) {
    const actors: Actor[] = [lockServer(k.LeaseTicks, k.MaxTime), storage(k.Fenced), ...Array.from({ length: k.Clients }, () => client)];
    const clients = actors.map((_, i) => i).filter((i) => i >= 2);
    return actorModel({
      actors,
      names: actors.map((_, i) => (i === LOCK ? 'lock' : i === STORE ? 'store' : `c${i}`)),
      ...actorOptions(k, clients),
      records: [LockServer, Storage, LeaseClient, Acquire, Grant, Release, Write, WriteOk, Rejected],
      invariants: { NoStaleWrite: noStaleWrite },
      showValue: (v) =>
        v instanceof Acquire ? 'Acquire'
        : v instanceof Grant ? `Grant(token ${v.token}, until tick ${v.expiry})`
        : v instanceof Release ? `Release(${v.token})`
        : v instanceof Write ? `Write(token ${v.token})`
        : v instanceof WriteOk ? `WriteOk(${v.token})`
        : v instanceof Rejected ? `Rejected(${v.token})`
        : undefined,
    });
  },
});
