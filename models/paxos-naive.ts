import { makePaxos } from './paxos/paxos.js';

/** The naive proposer of our design notes: it collects promises from a majority, then proposes its own value regardless of the votes they report. */
export default makePaxos({
  name: 'paxos-naive',
  naive: true,
  description: 'Paxos whose Phase2a ignores the votes reported in 1b messages (unsafe)',
});
