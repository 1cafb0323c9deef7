// Unsafe Raft (the "Figure 8" bug): a leader advances commitIndex to the largest index a quorum
// has replicated even when that entry is from an older term. Everything else is models/raft.
import { makeRaft } from './raft/raft.js';

export default makeRaft({
  name: 'raft-commit-old-term',
  description: 'Raft with a bug: leaders commit entries from older terms by counting replicas (Figure 8)',
  commitAnyTerm: true,
});
