// A counter two clients increment by reading it and writing back what they read plus one: the
// update of one client can be lost (the second write puts 1 over 1, so the step changes no count).
// `terminal` declares the end of the protocol (every client done), so it is not a deadlock.
// `atomic: true` makes the increment one step (no update is lost). A module of its own, so that
// workers can load it by path.
import { Map as IMap, Record } from 'immutable';
import { constant } from '../../model/constants.js';
import { defineModel } from '../../model/model.js';

type Pc = 'read' | 'write' | 'done';
const Counter = Record<{ count: number; tmp: IMap<string, number>; pc: IMap<string, Pc> }>({ count: 0, tmp: IMap(), pc: IMap() }, 'Counter');
type Counter = ReturnType<typeof Counter>;

export default defineModel({
  name: 'lost-update',
  constants: { Client: constant.modelValues(), Atomic: constant.bool({ default: false }), Terminal: constant.bool({ default: true }) },
  build({ Client, Atomic, Terminal }) {
    const allDone = (s: Counter) => s.pc.every((p) => p === 'done');
    return {
      init: [Counter({ tmp: IMap(Client.map((c) => [c, 0])), pc: IMap(Client.map((c) => [c, 'read' as Pc])) })],
      actions: {
        Read: {
          params: { c: Client },
          step: (s: Counter, { c }: { c: string }) =>
            s.pc.get(c) !== 'read' ? undefined : Atomic ? s.set('count', s.count + 1).setIn(['pc', c], 'done') : s.setIn(['tmp', c], s.count).setIn(['pc', c], 'write'),
        },
        Write: {
          params: { c: Client },
          step: (s: Counter, { c }: { c: string }) => (s.pc.get(c) === 'write' ? s.set('count', s.tmp.get(c)! + 1).setIn(['pc', c], 'done') : undefined),
        },
      },
      invariants: {
        // Reads pc, then count: the variables a violation highlights.
        AllCounted: (s: Counter) => !allDone(s) || s.count === Client.length,
        CountBounded: (s: Counter) => s.count <= Client.length,
      },
      ...(Terminal ? { terminal: allDone } : {}),
      records: [Counter],
    };
  },
});
