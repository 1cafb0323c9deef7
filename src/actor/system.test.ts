// The actor layer against Stateright's ActorModel unit-test counts (shared/reference/actor-model.md §12.5)
// and its own rules: ignored deliveries, timers, crashes, the nemesis, bad input.
import { List, Record, Set as ISet } from 'immutable';
import { describe, expect, it } from 'vitest';
import { checkModel } from '../engine/index.js';
import { defineModel } from '../model/model.js';
import { actorModel, ActorState, type Actor, type ActorSystem, type NetworkKind } from './system.js';

const Ping = Record<{ k: number }>({ k: 0 }, 'Ping');
const Pong = Record<{ k: number }>({ k: 0 }, 'Pong');
const History = Record<{ ins: number; outs: number }>({ ins: 0, outs: 0 }, 'PingPongHistory');

/** Stateright's ping-pong (src/actor/actor_test_util.rs): actor 0 pings, actor 1 pongs, each counting. */
const pinger: Actor<number> = {
  onStart(_id, out) {
    out.send(1, Ping({ k: 0 }));
    return 0;
  },
  onMsg(_id, n, src, msg, out) {
    if (msg instanceof Pong && msg.k === n) {
      out.send(src, Ping({ k: msg.k + 1 }));
      return n + 1;
    }
    return undefined;
  },
};
const ponger: Actor<number> = {
  onStart: () => 0,
  onMsg(_id, n, src, msg, out) {
    if (msg instanceof Ping && msg.k === n) {
      out.send(src, Pong({ k: msg.k }));
      return n + 1;
    }
    return undefined;
  },
};

function pingPong(kind: NetworkKind, lossy: boolean, max: number, history: boolean) {
  return defineModel({
    name: 'ping-pong',
    constants: {},
    build: () =>
      actorModel({
        actors: [pinger, ponger],
        network: { kind, lossy },
        history: history
          ? { init: History(), onSend: (h: ReturnType<typeof History>) => h.set('outs', h.outs + 1), onDeliver: (h: ReturnType<typeof History>) => h.set('ins', h.ins + 1) }
          : undefined,
        records: [Ping, Pong, History],
        constraints: { Boundary: (s: ActorState) => s.actors.every((n) => (n as number) <= max) },
      }),
  });
}

async function count(def: ReturnType<typeof defineModel<any, any>>, opts: { constraints?: string[]; invariants?: string[] } = {}) {
  const r = await checkModel(def, { constants: {}, workers: 0, checkDeadlock: false, ...opts });
  return r;
}

describe('ping-pong (Stateright ActorModel unit tests)', () => {
  it.each([
    ['unordered-duplicating', true, 1, 14],
    ['unordered-duplicating', true, 5, 4094],
    ['unordered-nonduplicating', false, 5, 11],
    ['unordered-duplicating', false, 5, 11],
  ] as const)('%s, lossy %s, max %i: %i states', async (kind, lossy, max, expected) => {
    for (const history of max === 5 && lossy ? [true] : [false, true]) {
      const r = await count(pingPong(kind, lossy, max, history), { constraints: ['Boundary'] });
      expect(r.distinctStates).toBe(expected);
    }
  });
});

/** Actor 1 gets two messages from actor 0 at start, in one flow: one it ignores, one that changes it. */
function noOp(kind: NetworkKind) {
  const a: Actor<string> = {
    onStart(id, out) {
      if (id === 0) {
        out.send(1, 'ignore');
        out.send(1, 'interact');
      }
      return 'waiting';
    },
    onMsg: (_id, _s, _src, msg) => (msg === 'interact' ? 'interacted' : undefined),
  };
  return defineModel({ name: 'no-op', constants: {}, build: () => actorModel({ actors: [a, a], network: { kind } }) });
}

describe('ActorModel rules', () => {
  it('an ignored delivery is no transition on the unordered networks, but consumes the head on the ordered one (2/2/3)', async () => {
    expect((await count(noOp('unordered-duplicating'))).distinctStates).toBe(2);
    expect((await count(noOp('unordered-nonduplicating'))).distinctStates).toBe(2);
    expect((await count(noOp('ordered'))).distinctStates).toBe(3);
  });

  it('a message to a nonexistent actor is an error, or (allowUndeliverable, as Stateright) never delivered: 1 state', async () => {
    const a: Actor<number> = {
      onStart(_id, out) {
        out.send(7, 'lost');
        return 0;
      },
    };
    expect(() => actorModel({ actors: [a] })).toThrow(/n0 sent lost to actor 7, which does not exist/);
    const def = defineModel({ name: 'undeliverable', constants: {}, build: () => actorModel({ actors: [a], allowUndeliverable: true }) });
    expect((await count(def)).distinctStates).toBe(1);
  });

  const timerActor = (onTimeout: Actor['onTimeout']): Actor<number> => ({
    onStart(_id, out) {
      out.setTimer('tick');
      return 0;
    },
    onTimeout,
  });
  it('a timeout that does nothing removes its timer (2 states); one that only re-arms it is no transition (1 state)', async () => {
    const quiet = defineModel({ name: 't', constants: {}, build: () => actorModel({ actors: [timerActor(() => undefined)] }) });
    expect((await count(quiet)).distinctStates).toBe(2);
    const rearm = defineModel({
      name: 't',
      constants: {},
      build: () =>
        actorModel({
          actors: [
            timerActor((_id, _s, t, out) => {
              out.setTimer(t);
              return undefined;
            }),
          ],
        }),
    });
    expect((await count(rearm)).distinctStates).toBe(1);
  });

  it('a handler that throws is reported with the actor, the message and the state', async () => {
    const boom: Actor<number> = {
      onStart: () => 41,
      onMsg() {
        throw new Error('boom');
      },
    };
    const sender: Actor<number> = {
      onStart(_id, out) {
        out.send(1, 'hello');
        return 0;
      },
    };
    const def = defineModel({ name: 'throws', constants: {}, build: () => actorModel({ actors: [sender, boom], names: ['client', 'server'] }) });
    const r = await count(def);
    expect(r.status).toBe('error');
    expect(r.failure!.code).toBe('MODEL_THREW');
    expect(r.failure!.message).toContain('actor server on message hello from client threw Error: boom; its state: 41');
  });
});
