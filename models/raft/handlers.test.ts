// Unit tests of single Raft steps: each handler case of raft.tla's Receive, the bag, and the three
// single-guard bugs of the unsafe variants.
import { is, List, Map as IMap, Set as ISet } from 'immutable';
import { describe, expect, it } from 'vitest';
import raft from './index.js';
import voteAnyLog from '../raft-vote-any-log.js';
import appendUnchecked from '../raft-append-unchecked.js';
import commitOldTerm from '../raft-commit-old-term.js';
import {
  AppendEntriesRequest,
  AppendEntriesResponse,
  Entry,
  RequestVoteRequest,
  RequestVoteResponse,
  type Message,
  type RaftState,
  type RaftSchema,
} from './raft.js';
import type { ModelDefinition } from '../../src/model/model.js';

const K = { Server: ['s1', 's2', 's3'], Value: ['v1'], MaxTerm: 3, MaxLogLen: 2, MaxMsgs: 2, Electable: ['s1', 's2'] };

function instance(def: ModelDefinition<RaftSchema, RaftState> = raft) {
  const inst = def.build(K);
  const init = inst.init[0]!;
  const step = (action: string, args: Record<string, unknown>, s: RaftState): RaftState | undefined => {
    const r = inst.actions[action]!.step(s, args);
    return r ? (r as RaftState) : undefined;
  };
  const receive = (s: RaftState, m: Message) => step('Receive', { m }, s);
  return { inst, init, step, receive };
}

/** A state with per-server fields overridden. */
function at(s: RaftState, i: string, f: Partial<{ term: number; role: string; votedFor: string | null; log: Entry[]; commit: number }>): RaftState {
  let t = s;
  if (f.term !== undefined) t = t.set('currentTerm', t.currentTerm.set(i, f.term));
  if (f.role !== undefined) t = t.set('state', t.state.set(i, f.role as 'Follower'));
  if (f.votedFor !== undefined) t = t.set('votedFor', t.votedFor.set(i, f.votedFor));
  if (f.log !== undefined) t = t.set('log', t.log.set(i, List(f.log)));
  if (f.commit !== undefined) t = t.set('commitIndex', t.commitIndex.set(i, f.commit));
  return t;
}
const bag = (...ms: Message[]) => IMap<Message, number>().withMutations((b) => ms.forEach((m) => b.set(m, (b.get(m) ?? 0) + 1)));
const e = (term: number, value = 'v1') => Entry({ term, value });

describe('raft: RequestVote handling', () => {
  const { init, receive } = instance();
  const req = RequestVoteRequest({ mterm: 2, mlastLogTerm: 0, mlastLogIndex: 0, msource: 's1', mdest: 's2' });

  it('a newer term is adopted first (UpdateTerm) and the request stays in the bag', () => {
    const s = init.set('messages', bag(req));
    const t = receive(s, req)!;
    expect(t.currentTerm.get('s2')).toBe(2);
    expect(t.state.get('s2')).toBe('Follower');
    expect(t.votedFor.get('s2')).toBeNull();
    expect(is(t.messages, s.messages)).toBe(true);
  });

  it('grants a vote to an up-to-date candidate and replies in one step', () => {
    const s = at(init, 's2', { term: 2 }).set('messages', bag(req));
    const t = receive(s, req)!;
    expect(t.votedFor.get('s2')).toBe('s1');
    const resp = RequestVoteResponse({ mterm: 2, mvoteGranted: true, msource: 's2', mdest: 's1' });
    expect(is(t.messages, bag(resp))).toBe(true);
  });

  it('refuses a candidate whose log is behind (and does not record a vote)', () => {
    const s = at(init, 's2', { term: 2, log: [e(2)] }).set('messages', bag(req));
    const t = receive(s, req)!;
    expect(t.votedFor.get('s2')).toBeNull();
    expect(is(t.messages, bag(RequestVoteResponse({ mterm: 2, mvoteGranted: false, msource: 's2', mdest: 's1' })))).toBe(true);
  });

  it('refuses when it already voted for another candidate in this term', () => {
    const s = at(init, 's2', { term: 2, votedFor: 's3' }).set('messages', bag(req));
    const t = receive(s, req)!;
    expect(t.votedFor.get('s2')).toBe('s3');
    expect(t.messages.keySeq().first()).toEqual(RequestVoteResponse({ mterm: 2, mvoteGranted: false, msource: 's2', mdest: 's1' }));
  });

  it('a stale request is answered with the newer term and refused', () => {
    const s = at(init, 's2', { term: 3 }).set('messages', bag(req));
    const t = receive(s, req)!;
    expect(t.messages.keySeq().first()).toEqual(RequestVoteResponse({ mterm: 3, mvoteGranted: false, msource: 's2', mdest: 's1' }));
  });

  it('tallies responses in the current term, drops stale ones', () => {
    const granted = RequestVoteResponse({ mterm: 2, mvoteGranted: true, msource: 's2', mdest: 's1' });
    const s = at(init, 's1', { term: 2, role: 'Candidate' }).set('messages', bag(granted));
    const t = receive(s, granted)!;
    expect(t.votesResponded.get('s1')).toEqual(ISet(['s2']));
    expect(t.votesGranted.get('s1')).toEqual(ISet(['s2']));
    expect(t.messages.size).toBe(0);
    const stale = at(s, 's1', { term: 3 });
    const u = receive(stale, granted)!;
    expect(u.votesGranted.get('s1')).toEqual(ISet());
    expect(u.messages.size).toBe(0);
  });

  it('the vote-any-log variant grants a vote to a candidate whose log is behind', () => {
    const v = instance(voteAnyLog);
    const s = at(v.init, 's2', { term: 2, log: [e(2)] }).set('messages', bag(req));
    expect(v.receive(s, req)!.votedFor.get('s2')).toBe('s1');
  });
});

describe('raft: AppendEntries handling', () => {
  const { init, receive, step } = instance();
  const ae = AppendEntriesRequest({
    mterm: 3,
    mprevLogIndex: 0,
    mprevLogTerm: 0,
    mentries: List([e(3)]),
    mcommitIndex: 1,
    msource: 's1',
    mdest: 's2',
  });

  it('removes a conflicting entry (the last one), then appends, then acknowledges', () => {
    const s0 = at(init, 's2', { term: 3, log: [e(2)] }).set('messages', bag(ae));
    const s1 = receive(s0, ae)!; // conflict
    expect(s1.log.get('s2')!.size).toBe(0);
    expect(is(s1.messages, s0.messages)).toBe(true);
    const s2 = receive(s1, ae)!; // append
    expect(s2.log.get('s2')!.toArray()).toEqual([e(3)]);
    expect(is(s2.messages, s0.messages)).toBe(true);
    const s3 = receive(s2, ae)!; // already done
    expect(s3.commitIndex.get('s2')).toBe(1);
    expect(is(s3.messages, bag(AppendEntriesResponse({ mterm: 3, msuccess: true, mmatchIndex: 1, msource: 's2', mdest: 's1' })))).toBe(true);
  });

  it('rejects when the previous entry does not match; the leader backs off nextIndex', () => {
    const probe = ae.merge({ mprevLogIndex: 1, mprevLogTerm: 3, mentries: List<Entry>() });
    const s = at(init, 's2', { term: 3, log: [e(2)] }).set('messages', bag(probe));
    const t = receive(s, probe)!;
    const fail = AppendEntriesResponse({ mterm: 3, msuccess: false, mmatchIndex: 0, msource: 's2', mdest: 's1' });
    expect(is(t.messages, bag(fail))).toBe(true);
    const leader = at(t, 's1', { term: 3, role: 'Leader' }).set('nextIndex', t.nextIndex.set('s1', IMap({ s1: 2, s2: 2, s3: 2 })));
    const u = receive(leader, fail)!;
    expect(u.nextIndex.get('s1')!.get('s2')).toBe(1);
    expect(u.messages.size).toBe(0);
  });

  it('a candidate steps down on a same-term request, which stays in the bag', () => {
    const s = at(init, 's2', { term: 3, role: 'Candidate' }).set('messages', bag(ae));
    const t = receive(s, ae)!;
    expect(t.state.get('s2')).toBe('Follower');
    expect(is(t.messages, s.messages)).toBe(true);
  });

  it('a leader receiving a same-term request matches no case: Receive is disabled', () => {
    const s = at(init, 's2', { term: 3, role: 'Leader' }).set('messages', bag(ae));
    expect(receive(s, ae)).toBeUndefined();
    // ...but the network can still drop or duplicate it.
    expect(step('DropMessage', { m: ae }, s)!.messages.size).toBe(0);
  });

  it('the append-unchecked variant acknowledges an index it does not have', () => {
    const probe = ae.merge({ mprevLogIndex: 1, mprevLogTerm: 2, mentries: List<Entry>() });
    const base = at(init, 's2', { term: 3 }).set('messages', bag(probe));
    expect(receive(base, probe)!.messages.keySeq().first()).toMatchObject({ msuccess: false });
    const v = instance(appendUnchecked);
    const t = v.receive(base, probe)!;
    expect(t.messages.keySeq().first()).toMatchObject({ msuccess: true, mmatchIndex: 1 });
    expect(t.commitIndex.get('s2')).toBe(1); // beyond its (empty) log
  });

  it('a leader sends at most one entry, from nextIndex, with commit capped at that entry', () => {
    const s = at(init, 's1', { term: 3, role: 'Leader', log: [e(2), e(3)], commit: 2 });
    const t = step('AppendEntries', { i: 's1', j: 's2' }, s)!;
    expect(t.messages.keySeq().first()).toEqual(
      AppendEntriesRequest({ mterm: 3, mprevLogIndex: 0, mprevLogTerm: 0, mentries: List([e(2)]), mcommitIndex: 1, msource: 's1', mdest: 's2' }),
    );
    expect(step('AppendEntries', { i: 's1', j: 's1' }, s)).toBeUndefined();
  });
});

describe('raft: other actions', () => {
  const { init, step } = instance();

  it('AdvanceCommitIndex only commits entries of the current term; the variant commits old ones', () => {
    const s = at(init, 's1', { term: 4, role: 'Leader', log: [e(2)] }).set(
      'matchIndex',
      init.matchIndex.set('s1', IMap({ s1: 0, s2: 0, s3: 1 })),
    );
    const t = step('AdvanceCommitIndex', { i: 's1' }, s)!;
    expect(is(t, s)).toBe(true); // enabled, but changes nothing
    const v = instance(commitOldTerm);
    expect(v.step('AdvanceCommitIndex', { i: 's1' }, s)!.commitIndex.get('s1')).toBe(1);
    const cur = at(s, 's1', { log: [e(4)] });
    expect(step('AdvanceCommitIndex', { i: 's1' }, cur)!.commitIndex.get('s1')).toBe(1);
  });

  it('Timeout starts an election in the next term; a leader cannot time out', () => {
    const t = step('Timeout', { i: 's1' }, init)!;
    expect([t.state.get('s1'), t.currentTerm.get('s1')]).toEqual(['Candidate', 2]);
    expect(step('Timeout', { i: 's1' }, at(init, 's1', { role: 'Leader' }))).toBeUndefined();
  });

  it('RequestVote may target the candidate itself, not a server that already responded', () => {
    const c = at(init, 's1', { term: 2, role: 'Candidate' });
    expect(step('RequestVote', { i: 's1', j: 's1' }, c)!.messages.size).toBe(1);
    const responded = c.set('votesResponded', c.votesResponded.set('s1', ISet(['s1'])));
    expect(step('RequestVote', { i: 's1', j: 's1' }, responded)).toBeUndefined();
  });

  it('BecomeLeader needs a quorum of granted votes', () => {
    const c = at(init, 's1', { term: 2, role: 'Candidate' });
    expect(step('BecomeLeader', { i: 's1' }, c.set('votesGranted', c.votesGranted.set('s1', ISet(['s1']))))).toBeUndefined();
    const l = step('BecomeLeader', { i: 's1' }, c.set('votesGranted', c.votesGranted.set('s1', ISet(['s1', 's3']))))!;
    expect(l.state.get('s1')).toBe('Leader');
  });

  it('the bag counts copies and forgets a message whose last copy is gone', () => {
    const m = RequestVoteRequest({ mterm: 2, mlastLogTerm: 0, mlastLogIndex: 0, msource: 's1', mdest: 's2' });
    const s = init.set('messages', bag(m));
    const dup = step('DuplicateMessage', { m }, s)!;
    expect(dup.messages.get(m)).toBe(2);
    expect(is(step('DropMessage', { m }, dup), s)).toBe(true);
    expect(is(step('DropMessage', { m }, s), init)).toBe(true);
  });

  it('Restart keeps term, vote and log, and resets the volatile state', () => {
    const s = at(init, 's1', { term: 3, role: 'Leader', votedFor: 's1', log: [e(3)], commit: 1 });
    const t = step('Restart', { i: 's1' }, s)!;
    expect([t.state.get('s1'), t.currentTerm.get('s1'), t.votedFor.get('s1'), t.log.get('s1')!.size, t.commitIndex.get('s1')]).toEqual([
      'Follower',
      3,
      's1',
      1,
      0,
    ]);
  });
});

describe('raft: presentation', () => {
  const { inst } = instance();
  it('traces name each message in full', () => {
    const ae = AppendEntriesRequest({ mterm: 2, mentries: List([e(2)]), msource: 's1', mdest: 's2' });
    expect(inst.actions.Receive!.format!({ m: ae })).toBe(
      'Receive(AppendEntriesRequest s1→s2 term 2 prev 0/0 entries <<[term 2, v1]>> commit 0)',
    );
    const vote = RequestVoteResponse({ mterm: 2, mvoteGranted: true, msource: 's2', mdest: 's1' });
    expect(inst.actions.Receive!.format!({ m: vote })).toBe('Receive(RequestVoteResponse s2→s1 term 2 granted)');
    expect(inst.showValue!(null)).toBe('Nil');
    expect(inst.messageView!.describe(vote)).toEqual({ from: 's2', to: 's1', label: 'Vote t2 granted' });
  });

  it('TypeOK holds initially and catches an ill-typed state', () => {
    const s = inst.init[0]!;
    expect(inst.invariants!.TypeOK!(s)).toBe(true);
    expect(inst.invariants!.TypeOK!(s.set('currentTerm', s.currentTerm.set('s1', 0)))).toBe(false);
  });
});
