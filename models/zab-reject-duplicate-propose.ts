// Zab with issue 2 of the specification's issues.md reverted: a follower treats every PROPOSE that is not
// the next zxid as illegal, including a duplicate of an entry it already has (which a follower that
// synchronized through NEWLEADER after the leader appended the entry receives). Everything else is models/zab.
import { makeZab } from './zab/zab.js';

export default makeZab({
  name: 'zab-reject-duplicate-propose',
  description: 'Zab with a bug: a follower rejects a duplicate PROPOSE as illegal',
  rejectDuplicatePropose: true,
});
