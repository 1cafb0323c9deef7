import { makePaxos } from './paxos.js';

export default makePaxos({
  name: 'paxos',
  naive: false,
  description: "Single-decree Paxos, as in Lamport's TLA+ specification",
});
