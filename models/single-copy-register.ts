// Stateright's single-copy register (examples/single-copy-register.rs): each server keeps one value and
// answers Put and Get from it; with more than one server the copies are independent, so a client can
// read a value older than its own write (not linearizable). Register clients and the linearizability
// tester as in Stateright's register harness. Restated in shared/reference/actor-model.md §12.1.
import { defineModel } from '../src/model/model.js';
import {
  Get,
  GetOk,
  NO_VALUE,
  Put,
  PutOk,
  registerConstants,
  registerSystem,
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
  constants: registerConstants(),
  build: (k) => registerSystem(k, { server: () => server }),
});
