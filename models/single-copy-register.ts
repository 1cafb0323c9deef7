// Stateright's single-copy register (examples/single-copy-register.rs): each server keeps one value and
// answers Put and Get from it; with more than one server the copies are independent, so a client can
// read a value older than its own write (not linearizable). Register clients and the linearizability
// tester as in Stateright's register harness. Restated in shared/reference/actor-model.md §12.1.
import { constant } from '../src/model/constants.js';
import { defineModel } from '../src/model/model.js';
import { eventually, sometimes } from '../src/model/properties.js';
import {
  actorConstants,
  actorModel,
  actorOptions,
  clientsDone,
  Get,
  GetOk,
  linearizabilityTester,
  linearizableRegister,
  NO_VALUE,
  Put,
  PutOk,
  REGISTER_RECORDS,
  registerClient,
  registerHistory,
  registerHistoryView,
  sequentiallyConsistentRegister,
  showRegisterValue,
  valueChosen,
  type Actor,
} from '../src/actor/index.js';

/** The server: one value, '\0' at first. A Put overwrites it (written even when equal); a Get reads it. */
const server: Actor<string> = {
  onStart: () => NO_VALUE,
  onMsg(_id, value, src, msg, out) {
    if (msg instanceof Put) {
      out.send(src, PutOk({ req: msg.req }));
      return msg.value;
    }
    if (msg instanceof Get) out.send(src, GetOk({ req: msg.req, value }));
    return undefined;
  },
};

export default defineModel({
  name: 'single-copy-register',
  description: "Stateright's single-copy register with its register clients and linearizability tester",
  constants: { Servers: constant.int({ min: 1 }), Clients: constant.int({ min: 1 }), ...actorConstants() },
  build(k) {
    const S = k.Servers;
    const actors = [...Array.from({ length: S }, () => server), ...Array.from({ length: k.Clients }, () => registerClient(1, S))];
    const names = actors.map((_, i) => (i < S ? `s${i}` : `c${i}`));
    return actorModel({
      actors,
      names,
      ...actorOptions(k, actors.map((_, i) => i).filter((i) => i < S)),
      history: registerHistory(linearizabilityTester()),
      historyView: registerHistoryView,
      records: REGISTER_RECORDS,
      invariants: { Linearizable: linearizableRegister, SequentiallyConsistent: sequentiallyConsistentRegister },
      properties: { ValueChosen: sometimes(valueChosen), OperationsComplete: eventually(clientsDone(S)) },
      showValue: showRegisterValue,
    });
  },
});
