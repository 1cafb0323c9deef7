// The Figure 8 bug (models/raft-commit-old-term.ts). A breadth-first search cannot reach it at bounds
// practical here: with any number of servers it needs terms up to 5 (an entry of term 2, a rival entry
// of term 3, the bad commit in term 4, the rival elected in term 5), and with 3 servers the state space
// grows about 20x per term (raft.cfg: 73,837 states at MaxTerm 2; 1,641,110 at MaxTerm 3). So this test
// follows a hand-written counterexample through the model, within the Bounds of
// {s1,s2,s3} / {v1} / MaxTerm 5 / MaxLogLen 1 / MaxMsgs 1 / Electable {s1,s2}.
import { describe, expect, it } from 'vitest';
import raft from './index.js';
import commitOldTerm from '../raft-commit-old-term.js';
import { replay } from './replay.js';

const K = { Server: ['s1', 's2', 's3'], Value: ['v1'], MaxTerm: 5, MaxLogLen: 1, MaxMsgs: 1, Electable: ['s1', 's2'] };

const elect = (c: string, term: number, last: string) => [
  `RequestVote(${c}, ${c})`,
  `Receive(RequestVoteRequest ${c}→${c} term ${term} lastLog ${last})`,
  `Receive(RequestVoteResponse ${c}→${c} term ${term} granted)`,
  `RequestVote(${c}, s3)`,
  `Receive(RequestVoteRequest ${c}→s3 term ${term} lastLog ${last})`, // s3 adopts the term (UpdateTerm)
  `Receive(RequestVoteRequest ${c}→s3 term ${term} lastLog ${last})`, // s3 votes
  `Receive(RequestVoteResponse s3→${c} term ${term} granted)`,
  `BecomeLeader(${c})`,
];

const FIGURE_8 = [
  // Term 2: s1 leads and appends an entry it does not replicate.
  'Timeout(s1)',
  ...elect('s1', 2, '0/0'),
  'ClientRequest(s1, v1)',
  // Term 3: s2 leads (s3 has an empty log) and appends a rival entry at index 1.
  'Timeout(s2)',
  'Timeout(s2)',
  ...elect('s2', 3, '0/0'),
  'ClientRequest(s2, v1)',
  // Term 4: s1 leads again, replicates its term-2 entry to s3 ...
  'Restart(s1)',
  'Timeout(s1)',
  'Timeout(s1)',
  ...elect('s1', 4, '1/2'),
  'AppendEntries(s1, s3)',
  'Receive(AppendEntriesRequest s1→s3 term 4 prev 1/2 entries <<>> commit 0)',
  'Receive(AppendEntriesResponse s3→s1 term 4 fail)',
  'AppendEntries(s1, s3)',
  'Receive(AppendEntriesRequest s1→s3 term 4 prev 0/0 entries <<[term 2, v1]>> commit 0)', // append
  'Receive(AppendEntriesRequest s1→s3 term 4 prev 0/0 entries <<[term 2, v1]>> commit 0)', // acknowledge
  'Receive(AppendEntriesResponse s3→s1 term 4 success match 1)',
  // ... and commits it although it is from term 2 (the bug).
  'AdvanceCommitIndex(s1)',
  // Term 5: s2, whose last entry (term 3) is newer than s3's (term 2), wins without the committed entry.
  'Restart(s2)',
  'Timeout(s2)',
  'Timeout(s2)',
  ...elect('s2', 5, '1/3'),
];

describe('raft-commit-old-term (Figure 8)', () => {
  it('a leader of term 5 lacks an entry committed in term 4', () => {
    const inst = commitOldTerm.build(K);
    const states = replay(inst, FIGURE_8);
    expect(states.length).toBe(FIGURE_8.length + 1);
    const inv = inst.invariants!;
    for (const s of states) expect(inst.constraints!.Bounds!(s)).toBe(true);
    for (const s of states.slice(0, -1)) {
      for (const name of ['ElectionSafety', 'LogMatching', 'StateMachineSafety', 'LeaderCompleteness', 'TypeOK']) {
        expect(inv[name]!(s)).toBe(true);
      }
    }
    const last = states[states.length - 1]!;
    expect(inv.LeaderCompleteness!(last)).toBe(false);
    expect(last.commitIndex.get('s1')).toBe(1);
  });

  it('in the safe model the same steps are possible but commit nothing', () => {
    const inst = raft.build(K);
    const states = replay(inst, FIGURE_8);
    const last = states[states.length - 1]!;
    expect(last.commitIndex.get('s1')).toBe(0);
    for (const name of ['ElectionSafety', 'LogMatching', 'StateMachineSafety', 'LeaderCompleteness', 'TypeOK']) {
      expect(inst.invariants![name]!(last)).toBe(true);
    }
  });
});
