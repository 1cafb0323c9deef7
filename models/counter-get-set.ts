// The counter from our design notes: clients increment a Redis-like server's counter, then read it.
// With GET then SET, an increment is a read and a later write, so two clients can both read 0 and both
// write 1: an update is lost. The history (increments, then reads) is checked against a counter
// specification, and the final value against the number of increments. With INCR (counter-incr.ts) the
// server increments atomically and both hold.
import { Record } from 'immutable';
import { constant } from '../src/model/constants.js';
import { defineModel } from '../src/model/model.js';
import { eventually } from '../src/model/properties.js';
import { counterSpec } from '../src/history/index.js';
import {
  actorConstants,
  actorModel,
  actorOptions,
  linearizable,
  sequentiallyConsistent,
  linearizabilityTester,
  onInvoke,
  onReturn,
  TESTER_RECORDS,
  testerView,
  type ActorState,
  type Actor,
  type ConsistencyModel,
  type ConsistencyTester,
  type Id,
  type Out,
} from '../src/actor/index.js';

/** GET: `forIncrement` tells the first half of an increment from the client's final read. */
export const CounterGet = Record<{ req: number; forIncrement: boolean }>({ req: 0, forIncrement: false }, 'CounterGet');
export const CounterGetOk = Record<{ req: number; forIncrement: boolean; value: number }>({ req: 0, forIncrement: false, value: 0 }, 'CounterGetOk');
export const CounterSet = Record<{ req: number; value: number }>({ req: 0, value: 0 }, 'CounterSet');
export const CounterSetOk = Record<{ req: number }>({ req: 0 }, 'CounterSetOk');
export const CounterIncr = Record<{ req: number }>({ req: 0 }, 'CounterIncr');
export const CounterIncrOk = Record<{ req: number }>({ req: 0 }, 'CounterIncrOk');

/** The ops the tester records: an increment, and a read with its value. */
export const CounterOp = Record<{ f: 'increment' | 'read' }>({ f: 'read' }, 'CounterOp');
export const CounterRet = Record<{ f: 'increment' | 'read'; value: number | null }>({ f: 'read', value: null }, 'CounterRet');
const INCREMENT = CounterOp({ f: 'increment' });
const READ = CounterOp({ f: 'read' });
const INCREMENT_OK = CounterRet({ f: 'increment' });

export const CounterClient = Record<{ phase: 'get' | 'set' | 'incr' | 'read' | 'done'; read: number | null }>({ phase: 'get', read: null }, 'CounterClient');
export type CounterClient = ReturnType<typeof CounterClient>;

/** The server: one integer. */
const server: Actor<number> = {
  onStart: () => 0,
  onMsg(_id, n, src, msg, out) {
    if (msg instanceof CounterGet) out.send(src, CounterGetOk({ req: msg.req, forIncrement: msg.forIncrement, value: n }));
    else if (msg instanceof CounterSet) {
      out.send(src, CounterSetOk({ req: msg.req }));
      return msg.value;
    } else if (msg instanceof CounterIncr) {
      out.send(src, CounterIncrOk({ req: msg.req }));
      return n + 1;
    }
    return undefined;
  },
};

/** A client: one increment (GET then SET v+1, or INCR), then one read. */
function client(atomic: boolean): Actor<CounterClient> {
  const read = (id: Id, out: Out) => {
    out.send(0, CounterGet({ req: 10 * id + 3, forIncrement: false }));
    return CounterClient({ phase: 'read' });
  };
  return {
    onStart(id, out) {
      if (atomic) {
        out.send(0, CounterIncr({ req: 10 * id + 1 }));
        return CounterClient({ phase: 'incr' });
      }
      out.send(0, CounterGet({ req: 10 * id + 1, forIncrement: true }));
      return CounterClient({ phase: 'get' });
    },
    onMsg(id, s, _src, msg, out) {
      if (s.phase === 'get' && msg instanceof CounterGetOk && msg.forIncrement) {
        out.send(0, CounterSet({ req: 10 * id + 2, value: msg.value + 1 }));
        return CounterClient({ phase: 'set' });
      }
      if ((s.phase === 'set' && msg instanceof CounterSetOk) || (s.phase === 'incr' && msg instanceof CounterIncrOk)) return read(id, out);
      if (s.phase === 'read' && msg instanceof CounterGetOk && !msg.forIncrement) return CounterClient({ phase: 'done', read: msg.value });
      return undefined;
    },
  };
}

const counterConsistency: ConsistencyModel = {
  spec: counterSpec(0) as ConsistencyModel['spec'],
  input: (op) => ({ f: (op as ReturnType<typeof CounterOp>).f }),
  output: (ret) => ((ret as ReturnType<typeof CounterRet>).f === 'read' ? (ret as ReturnType<typeof CounterRet>).value : undefined),
};

export function makeCounter(name: string, atomic: boolean, description: string) {
  return defineModel({
    name,
    description,
    constants: { Clients: constant.int({ min: 1 }), ...actorConstants() },
    build(k) {
      const actors = [server, ...Array.from({ length: k.Clients }, () => client(atomic))];
      const done = (s: ActorState) => s.actors.every((c, i) => i === 0 || (c as CounterClient).phase === 'done');
      return actorModel({
        actors,
        names: actors.map((_, i) => (i === 0 ? 'redis' : `c${i}`)),
        ...actorOptions(k, [0]),
        history: {
          init: linearizabilityTester(),
          onSend: (h: ConsistencyTester, e) =>
            e.msg instanceof CounterIncr || (e.msg instanceof CounterGet && e.msg.forIncrement)
              ? onInvoke(h, e.src, INCREMENT)
              : e.msg instanceof CounterGet
                ? onInvoke(h, e.src, READ)
                : undefined,
          onDeliver: (h: ConsistencyTester, e) =>
            e.msg instanceof CounterIncrOk || e.msg instanceof CounterSetOk
              ? onReturn(h, e.dst, INCREMENT_OK)
              : e.msg instanceof CounterGetOk && !e.msg.forIncrement
                ? onReturn(h, e.dst, CounterRet({ f: 'read', value: e.msg.value }))
                : undefined,
        },
        historyView: testerView(counterConsistency, (v) => (v instanceof CounterOp ? v.f : v instanceof CounterRet ? (v.f === 'read' ? String(v.value) : 'ok') : String(v))),
        records: [CounterGet, CounterGetOk, CounterSet, CounterSetOk, CounterIncr, CounterIncrOk, CounterOp, CounterRet, CounterClient, ...TESTER_RECORDS],
        invariants: {
          Linearizable: linearizable(counterConsistency),
          SequentiallyConsistent: sequentiallyConsistent(counterConsistency),
          /** Once every client is done, the counter holds one increment per client. */
          NoLostUpdate: (s) => !done(s) || s.actors.get(0) === k.Clients,
        },
        properties: { OperationsComplete: eventually(done) },
        showValue: (v) => {
          if (v instanceof CounterGet) return `GET(${v.req})`;
          if (v instanceof CounterGetOk) return `GET-OK(${v.req}, ${v.value})`;
          if (v instanceof CounterSet) return `SET(${v.req}, ${v.value})`;
          if (v instanceof CounterSetOk) return `SET-OK(${v.req})`;
          if (v instanceof CounterIncr) return `INCR(${v.req})`;
          if (v instanceof CounterIncrOk) return `INCR-OK(${v.req})`;
          if (v instanceof CounterOp) return v.f;
          if (v instanceof CounterRet) return v.f === 'read' ? `read → ${v.value}` : 'ok';
          return undefined;
        },
      });
    },
  });
}

export default makeCounter('counter-get-set', false, 'Clients increment a counter with GET then SET (loses updates), then read it');
