// Unsafe Raft: a follower accepts AppendEntries without checking that its log holds the previous
// entry (logOk is TRUE in HandleAppendEntriesRequest). Everything else is models/raft.
import { makeRaft } from './raft/raft.js';

export default makeRaft({
  name: 'raft-append-unchecked',
  description: 'Raft with a bug: followers accept entries without the previous-entry consistency check',
  appendSkipsPrevCheck: true,
});
