// Unsafe Raft: a server grants its vote without comparing the candidate's log with its own
// (logOk is TRUE in HandleRequestVoteRequest). Everything else is models/raft.
import { makeRaft } from './raft/raft.js';

export default makeRaft({
  name: 'raft-vote-any-log',
  description: 'Raft with a bug: votes are granted without the up-to-date log check',
  voteIgnoresLog: true,
});
