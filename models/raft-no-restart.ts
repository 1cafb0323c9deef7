// Raft where no server ever restarts (Restart is never enabled), for liveness checks such as
// EventuallyLeader: a restart of a candidate at the last term allowed by the bounds can leave the
// system without a leader for ever. Everything else is models/raft.
import { makeRaft } from './raft/raft.js';

export default makeRaft({
  name: 'raft-no-restart',
  description: 'Raft in which no server restarts',
  noRestart: true,
});
