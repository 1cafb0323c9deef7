// Raft, as in Diego Ongaro's TLA+ specification raft.tla (ongardie/raft.tla, CC BY 4.0), without the
// proof-only history variables (elections, allLogs, voterLog) and the proof-only message field mlog.
// See ../shared/reference/raft.md for the prose restatement this model follows action by action.
//
// One factory builds the safe model and its deliberately unsafe variants (models/raft-*.ts), so a
// variant differs from the model in exactly one guard.
import { is, List, Map as IMap, Record, Set as ISet, type RecordOf } from 'immutable';
import { constant } from '../../src/model/constants.js';
import { defineModel, type ActionDef, type Args, type ModelDefinition } from '../../src/model/model.js';
import { eventually } from '../../src/model/properties.js';

// ---------------------------------------------------------------------------------------------
// Values

export type Role = 'Follower' | 'Candidate' | 'Leader';
/** A server's vote: a server, or Nil (null) when it has not voted in its current term. */
export type Vote = string | null;

export interface EntryProps {
  readonly term: number;
  readonly value: string;
}
/** A log entry {term, value}. */
export const Entry = Record<EntryProps>({ term: 0, value: '' }, 'Entry');
export type Entry = RecordOf<EntryProps>;

export interface RequestVoteRequestProps {
  readonly mtype: 'RequestVoteRequest';
  readonly mterm: number;
  readonly mlastLogTerm: number;
  readonly mlastLogIndex: number;
  readonly msource: string;
  readonly mdest: string;
}
export const RequestVoteRequest = Record<RequestVoteRequestProps>(
  { mtype: 'RequestVoteRequest', mterm: 0, mlastLogTerm: 0, mlastLogIndex: 0, msource: '', mdest: '' },
  'RequestVoteRequest',
);

export interface RequestVoteResponseProps {
  readonly mtype: 'RequestVoteResponse';
  readonly mterm: number;
  readonly mvoteGranted: boolean;
  readonly msource: string;
  readonly mdest: string;
}
export const RequestVoteResponse = Record<RequestVoteResponseProps>(
  { mtype: 'RequestVoteResponse', mterm: 0, mvoteGranted: false, msource: '', mdest: '' },
  'RequestVoteResponse',
);

export interface AppendEntriesRequestProps {
  readonly mtype: 'AppendEntriesRequest';
  readonly mterm: number;
  readonly mprevLogIndex: number;
  readonly mprevLogTerm: number;
  /** 0 or 1 entries. */
  readonly mentries: List<Entry>;
  readonly mcommitIndex: number;
  readonly msource: string;
  readonly mdest: string;
}
export const AppendEntriesRequest = Record<AppendEntriesRequestProps>(
  {
    mtype: 'AppendEntriesRequest',
    mterm: 0,
    mprevLogIndex: 0,
    mprevLogTerm: 0,
    mentries: List<Entry>(),
    mcommitIndex: 0,
    msource: '',
    mdest: '',
  },
  'AppendEntriesRequest',
);

export interface AppendEntriesResponseProps {
  readonly mtype: 'AppendEntriesResponse';
  readonly mterm: number;
  readonly msuccess: boolean;
  readonly mmatchIndex: number;
  readonly msource: string;
  readonly mdest: string;
}
export const AppendEntriesResponse = Record<AppendEntriesResponseProps>(
  { mtype: 'AppendEntriesResponse', mterm: 0, msuccess: false, mmatchIndex: 0, msource: '', mdest: '' },
  'AppendEntriesResponse',
);

export type Message =
  | RecordOf<RequestVoteRequestProps>
  | RecordOf<RequestVoteResponseProps>
  | RecordOf<AppendEntriesRequestProps>
  | RecordOf<AppendEntriesResponseProps>;

export interface RaftStateProps {
  /** A bag: message -> number of copies (always ≥ 1; a key is removed when its count reaches 0). */
  readonly messages: IMap<Message, number>;
  readonly currentTerm: IMap<string, number>;
  readonly state: IMap<string, Role>;
  readonly votedFor: IMap<string, Vote>;
  readonly votesResponded: IMap<string, ISet<string>>;
  readonly votesGranted: IMap<string, ISet<string>>;
  readonly nextIndex: IMap<string, IMap<string, number>>;
  readonly matchIndex: IMap<string, IMap<string, number>>;
  readonly log: IMap<string, List<Entry>>;
  readonly commitIndex: IMap<string, number>;
}
export const RaftState = Record<RaftStateProps>(
  {
    messages: IMap(),
    currentTerm: IMap(),
    state: IMap(),
    votedFor: IMap(),
    votesResponded: IMap(),
    votesGranted: IMap(),
    nextIndex: IMap(),
    matchIndex: IMap(),
    log: IMap(),
    commitIndex: IMap(),
  },
  'RaftState',
);
export type RaftState = RecordOf<RaftStateProps>;

// ---------------------------------------------------------------------------------------------
// Rendering (traces must read without opening the model)

export function showEntry(e: Entry): string {
  return `[term ${e.term}, ${e.value}]`;
}

export function showEntries(es: List<Entry>): string {
  return `<<${es.map(showEntry).join(', ')}>>`;
}

/** e.g. `AppendEntriesRequest s1→s2 term 2 prev 0/0 entries <<[term 2, v1]>> commit 0` (prev is index/term). */
export function showMessage(m: Message): string {
  const head = `${m.mtype} ${m.msource}→${m.mdest} term ${m.mterm}`;
  switch (m.mtype) {
    case 'RequestVoteRequest':
      return `${head} lastLog ${m.mlastLogIndex}/${m.mlastLogTerm}`;
    case 'RequestVoteResponse':
      return `${head} ${m.mvoteGranted ? 'granted' : 'refused'}`;
    case 'AppendEntriesRequest':
      return `${head} prev ${m.mprevLogIndex}/${m.mprevLogTerm} entries ${showEntries(m.mentries)} commit ${m.mcommitIndex}`;
    case 'AppendEntriesResponse':
      return `${head} ${m.msuccess ? `success match ${m.mmatchIndex}` : 'fail'}`;
  }
}

/** A short label for a message-sequence chart arrow. */
export function labelMessage(m: Message): string {
  switch (m.mtype) {
    case 'RequestVoteRequest':
      return `RequestVote t${m.mterm} last ${m.mlastLogIndex}/${m.mlastLogTerm}`;
    case 'RequestVoteResponse':
      return `Vote t${m.mterm} ${m.mvoteGranted ? 'granted' : 'refused'}`;
    case 'AppendEntriesRequest':
      return `AppendEntries t${m.mterm} prev ${m.mprevLogIndex}/${m.mprevLogTerm} ${showEntries(m.mentries)} commit ${m.mcommitIndex}`;
    case 'AppendEntriesResponse':
      return `AppendEntries t${m.mterm} ${m.msuccess ? `ok match ${m.mmatchIndex}` : 'fail'}`;
  }
}

/** Whether v was made by the Record factory f (a Record factory is its records' class). */
function isA<T extends object>(f: Record.Factory<T>, v: unknown): v is RecordOf<T> {
  return v instanceof (f as unknown as new (...args: never[]) => object);
}

export function isMessage(v: unknown): v is Message {
  return (
    isA(RequestVoteRequest, v) ||
    isA(RequestVoteResponse, v) ||
    isA(AppendEntriesRequest, v) ||
    isA(AppendEntriesResponse, v)
  );
}

// ---------------------------------------------------------------------------------------------
// Bag helpers (raft.tla's WithMessage / WithoutMessage, with a key removed when its count reaches 0)

export function withMessage(m: Message, msgs: IMap<Message, number>): IMap<Message, number> {
  return msgs.set(m, (msgs.get(m) ?? 0) + 1);
}

export function withoutMessage(m: Message, msgs: IMap<Message, number>): IMap<Message, number> {
  const c = msgs.get(m);
  if (c === undefined) return msgs;
  return c <= 1 ? msgs.delete(m) : msgs.set(m, c - 1);
}

export function bagSize(msgs: IMap<Message, number>): number {
  let n = 0;
  msgs.forEach((c) => {
    n += c;
  });
  return n;
}

function lastTerm(log: List<Entry>): number {
  return log.size === 0 ? 0 : log.get(log.size - 1)!.term;
}

// ---------------------------------------------------------------------------------------------
// The factory

/** The single-guard bugs the unsafe variants introduce. */
export interface RaftOptions {
  readonly name: string;
  readonly description?: string;
  /** RequestVote: grant the vote without comparing logs (logOk is TRUE). */
  readonly voteIgnoresLog?: boolean;
  /** AppendEntries: accept entries without checking the previous entry (logOk is TRUE). */
  readonly appendSkipsPrevCheck?: boolean;
  /** AdvanceCommitIndex: commit max(A) even when that entry is from an older term (Figure 8). */
  readonly commitAnyTerm?: boolean;
  /** Restart is never enabled (for liveness: is a leader eventually elected while no server restarts?). */
  readonly noRestart?: boolean;
}

const schema = {
  Server: constant.modelValues(),
  Value: constant.modelValues(),
  MaxTerm: constant.int({ min: 1 }),
  MaxLogLen: constant.int({ min: 0 }),
  MaxMsgs: constant.int({ min: 0 }),
  Electable: constant.subsetOf('Server', { defaultAll: true }),
};
export type RaftSchema = typeof schema;

type A<T extends Args> = ActionDef<RaftState, T>;

export function makeRaft(opts: RaftOptions): ModelDefinition<RaftSchema, RaftState> {
  return defineModel({
    name: opts.name,
    description:
      opts.description ??
      "Raft consensus (Ongaro's raft.tla without proof-only history variables): leader election, log replication, commitment",
    constants: schema,
    build(k) {
      const Server = k.Server;
      const Value = k.Value;
      const quorumSize = Math.floor(Server.length / 2) + 1;
      const isQuorum = (set: ISet<string>): boolean => set.size >= quorumSize;
      const electable = new Set(k.Electable);

      const perServer = <T>(f: (i: string) => T): IMap<string, T> => IMap(Server.map((i) => [i, f(i)] as [string, T]));
      const ones = perServer(() => 1);
      const zeros = perServer(() => 0);

      const init = RaftState({
        messages: IMap(),
        currentTerm: perServer(() => 1),
        state: perServer((): Role => 'Follower'),
        votedFor: perServer((): Vote => null),
        votesResponded: perServer(() => ISet<string>()),
        votesGranted: perServer(() => ISet<string>()),
        nextIndex: perServer(() => ones),
        matchIndex: perServer(() => zeros),
        log: perServer(() => List<Entry>()),
        commitIndex: perServer(() => 0),
      });

      // ---- Message handlers: i = recipient, j = sender. Each returns the successor, or undefined. ----

      const send = (s: RaftState, m: Message): RaftState => s.set('messages', withMessage(m, s.messages));
      const discard = (s: RaftState, m: Message): RaftState => s.set('messages', withoutMessage(m, s.messages));
      const reply = (s: RaftState, response: Message, request: Message): RaftState =>
        s.set('messages', withoutMessage(request, withMessage(response, s.messages)));

      // UpdateTerm: any message with a newer term makes the recipient a follower in that term; m stays.
      function updateTerm(s: RaftState, i: string, m: Message): RaftState {
        return s.withMutations((t) => {
          t.set('currentTerm', s.currentTerm.set(i, m.mterm));
          t.set('state', s.state.set(i, 'Follower'));
          t.set('votedFor', s.votedFor.set(i, null));
        });
      }

      // HandleRequestVoteRequest (m.mterm ≤ currentTerm[i]).
      function handleRequestVoteRequest(s: RaftState, i: string, j: string, m: RecordOf<RequestVoteRequestProps>): RaftState {
        const log = s.log.get(i)!;
        const myLastTerm = lastTerm(log);
        const logOk =
          opts.voteIgnoresLog === true ||
          m.mlastLogTerm > myLastTerm ||
          (m.mlastLogTerm === myLastTerm && m.mlastLogIndex >= log.size);
        const ct = s.currentTerm.get(i)!;
        const voted = s.votedFor.get(i)!;
        const grant = m.mterm === ct && logOk && (voted === null || voted === j);
        const response = RequestVoteResponse({ mterm: ct, mvoteGranted: grant, msource: i, mdest: j });
        const t = reply(s, response, m);
        return grant ? t.set('votedFor', s.votedFor.set(i, j)) : t;
      }

      // HandleRequestVoteResponse (m.mterm = currentTerm[i]); tallies even when i is no longer a candidate.
      function handleRequestVoteResponse(s: RaftState, i: string, j: string, m: RecordOf<RequestVoteResponseProps>): RaftState {
        return discard(s, m).withMutations((t) => {
          t.set('votesResponded', s.votesResponded.update(i, (v) => v!.add(j)));
          if (m.mvoteGranted) t.set('votesGranted', s.votesGranted.update(i, (v) => v!.add(j)));
        });
      }

      // HandleAppendEntriesRequest (m.mterm ≤ currentTerm[i]).
      function handleAppendEntriesRequest(
        s: RaftState,
        i: string,
        j: string,
        m: RecordOf<AppendEntriesRequestProps>,
      ): RaftState | undefined {
        const log = s.log.get(i)!;
        const ct = s.currentTerm.get(i)!;
        const role = s.state.get(i)!;
        const logOk =
          opts.appendSkipsPrevCheck === true ||
          m.mprevLogIndex === 0 ||
          (m.mprevLogIndex > 0 && m.mprevLogIndex <= log.size && log.get(m.mprevLogIndex - 1)!.term === m.mprevLogTerm);

        // reject request
        if (m.mterm < ct || (m.mterm === ct && role === 'Follower' && !logOk)) {
          const response = AppendEntriesResponse({ mterm: ct, msuccess: false, mmatchIndex: 0, msource: i, mdest: j });
          return reply(s, response, m);
        }
        // return to follower state; m stays in the bag
        if (m.mterm === ct && role === 'Candidate') {
          return s.set('state', s.state.set(i, 'Follower'));
        }
        // accept request
        if (m.mterm === ct && role === 'Follower' && logOk) {
          const index = m.mprevLogIndex + 1;
          const entry = m.mentries.get(0);
          // already done with request
          if (entry === undefined || (log.size >= index && log.get(index - 1)!.term === entry.term)) {
            const response = AppendEntriesResponse({
              mterm: ct,
              msuccess: true,
              mmatchIndex: m.mprevLogIndex + m.mentries.size,
              msource: i,
              mdest: j,
            });
            return reply(s, response, m).set('commitIndex', s.commitIndex.set(i, m.mcommitIndex));
          }
          // conflict: remove 1 entry (the last one); m stays
          if (log.size >= index && log.get(index - 1)!.term !== entry.term) {
            return s.set('log', s.log.set(i, log.pop()));
          }
          // no conflict: append entry; m stays
          if (log.size === m.mprevLogIndex) {
            return s.set('log', s.log.set(i, log.push(entry)));
          }
          // Only reachable when the previous-entry check is skipped: nothing applies.
          return undefined;
        }
        // A leader receiving a same-term request: no case applies, the message waits.
        return undefined;
      }

      // HandleAppendEntriesResponse (m.mterm = currentTerm[i]).
      function handleAppendEntriesResponse(s: RaftState, i: string, j: string, m: RecordOf<AppendEntriesResponseProps>): RaftState {
        return discard(s, m).withMutations((t) => {
          if (m.msuccess) {
            t.set('nextIndex', s.nextIndex.update(i, (r) => r!.set(j, m.mmatchIndex + 1)));
            t.set('matchIndex', s.matchIndex.update(i, (r) => r!.set(j, m.mmatchIndex)));
          } else {
            t.set('nextIndex', s.nextIndex.update(i, (r) => r!.set(j, Math.max(r!.get(j)! - 1, 1))));
          }
        });
      }

      function receive(s: RaftState, m: Message): RaftState | undefined {
        if (!s.messages.has(m)) return undefined;
        const i = m.mdest;
        const j = m.msource;
        const ct = s.currentTerm.get(i)!;
        // Any RPC with a newer term causes the recipient to advance its term first.
        if (m.mterm > ct) return updateTerm(s, i, m);
        switch (m.mtype) {
          case 'RequestVoteRequest':
            return handleRequestVoteRequest(s, i, j, m);
          case 'RequestVoteResponse':
            // DropStaleResponse, or HandleRequestVoteResponse
            return m.mterm < ct ? discard(s, m) : handleRequestVoteResponse(s, i, j, m);
          case 'AppendEntriesRequest':
            return handleAppendEntriesRequest(s, i, j, m);
          case 'AppendEntriesResponse':
            return m.mterm < ct ? discard(s, m) : handleAppendEntriesResponse(s, i, j, m);
        }
      }

      const inBag = (s: RaftState): { m: Message }[] => {
        const out: { m: Message }[] = [];
        s.messages.forEach((_c, m) => {
          out.push({ m });
        });
        return out;
      };

      // ---- Actions (raft.tla's Next) ----

      const Restart: A<{ i: string }> = {
        params: { i: Server },
        step(s, { i }) {
          if (opts.noRestart === true) return undefined;
          return s.withMutations((t) => {
            t.set('state', s.state.set(i, 'Follower'));
            t.set('votesResponded', s.votesResponded.set(i, ISet()));
            t.set('votesGranted', s.votesGranted.set(i, ISet()));
            t.set('nextIndex', s.nextIndex.set(i, ones));
            t.set('matchIndex', s.matchIndex.set(i, zeros));
            t.set('commitIndex', s.commitIndex.set(i, 0));
          });
        },
      };

      const Timeout: A<{ i: string }> = {
        params: { i: Server },
        step(s, { i }) {
          const role = s.state.get(i)!;
          if (role !== 'Follower' && role !== 'Candidate') return undefined;
          return s.withMutations((t) => {
            t.set('state', s.state.set(i, 'Candidate'));
            t.set('currentTerm', s.currentTerm.set(i, s.currentTerm.get(i)! + 1));
            t.set('votedFor', s.votedFor.set(i, null));
            t.set('votesResponded', s.votesResponded.set(i, ISet()));
            t.set('votesGranted', s.votesGranted.set(i, ISet()));
          });
        },
      };

      const RequestVote: A<{ i: string; j: string }> = {
        params: { i: Server, j: Server },
        step(s, { i, j }) {
          if (s.state.get(i) !== 'Candidate' || s.votesResponded.get(i)!.has(j)) return undefined;
          const log = s.log.get(i)!;
          return send(
            s,
            RequestVoteRequest({
              mterm: s.currentTerm.get(i)!,
              mlastLogTerm: lastTerm(log),
              mlastLogIndex: log.size,
              msource: i,
              mdest: j,
            }),
          );
        },
      };

      const BecomeLeader: A<{ i: string }> = {
        params: { i: Server },
        step(s, { i }) {
          if (s.state.get(i) !== 'Candidate' || !isQuorum(s.votesGranted.get(i)!)) return undefined;
          const next = s.log.get(i)!.size + 1;
          return s.withMutations((t) => {
            t.set('state', s.state.set(i, 'Leader'));
            t.set('nextIndex', s.nextIndex.set(i, perServer(() => next)));
            t.set('matchIndex', s.matchIndex.set(i, zeros));
          });
        },
      };

      const ClientRequest: A<{ i: string; v: string }> = {
        params: { i: Server, v: Value },
        step(s, { i, v }) {
          if (s.state.get(i) !== 'Leader') return undefined;
          const entry = Entry({ term: s.currentTerm.get(i)!, value: v });
          return s.set('log', s.log.update(i, (l) => l!.push(entry)));
        },
      };

      const AdvanceCommitIndex: A<{ i: string }> = {
        params: { i: Server },
        step(s, { i }) {
          if (s.state.get(i) !== 'Leader') return undefined;
          const log = s.log.get(i)!;
          const match = s.matchIndex.get(i)!;
          // Agree(index) = {i} ∪ {k : matchIndex[i][k] ≥ index}; the largest index a quorum agrees on.
          let maxAgree = 0;
          for (let index = log.size; index >= 1; index--) {
            let agree = 0;
            for (const k of Server) if (k === i || match.get(k)! >= index) agree++;
            if (agree >= quorumSize) {
              maxAgree = index;
              break;
            }
          }
          const ok = maxAgree > 0 && (opts.commitAnyTerm === true || log.get(maxAgree - 1)!.term === s.currentTerm.get(i)!);
          // Enabled even when commitIndex does not change (a stuttering step).
          return ok ? s.set('commitIndex', s.commitIndex.set(i, maxAgree)) : s;
        },
      };

      const AppendEntries: A<{ i: string; j: string }> = {
        params: { i: Server, j: Server },
        step(s, { i, j }) {
          if (i === j || s.state.get(i) !== 'Leader') return undefined;
          const log = s.log.get(i)!;
          const next = s.nextIndex.get(i)!.get(j)!;
          const prevLogIndex = next - 1;
          const prevLogTerm = prevLogIndex > 0 ? log.get(prevLogIndex - 1)!.term : 0;
          // Send up to 1 entry, constrained by the end of the log.
          const lastEntry = Math.min(log.size, next);
          const entries = log.slice(next - 1, lastEntry);
          return send(
            s,
            AppendEntriesRequest({
              mterm: s.currentTerm.get(i)!,
              mprevLogIndex: prevLogIndex,
              mprevLogTerm: prevLogTerm,
              mentries: entries,
              mcommitIndex: Math.min(s.commitIndex.get(i)!, lastEntry),
              msource: i,
              mdest: j,
            }),
          );
        },
      };

      const Receive: A<{ m: Message }> = {
        params: inBag,
        step: (s, { m }) => receive(s, m),
        format: ({ m }) => `Receive(${showMessage(m)})`,
      };

      const DuplicateMessage: A<{ m: Message }> = {
        params: inBag,
        step: (s, { m }) => (s.messages.has(m) ? send(s, m) : undefined),
        format: ({ m }) => `DuplicateMessage(${showMessage(m)})`,
      };

      const DropMessage: A<{ m: Message }> = {
        params: inBag,
        step: (s, { m }) => (s.messages.has(m) ? discard(s, m) : undefined),
        format: ({ m }) => `DropMessage(${showMessage(m)})`,
      };

      // ---- Invariants ----

      const ElectionSafety = (s: RaftState): boolean => {
        const leaderOfTerm = new globalThis.Map<number, string>();
        for (const i of Server) {
          if (s.state.get(i) !== 'Leader') continue;
          const t = s.currentTerm.get(i)!;
          if (leaderOfTerm.has(t)) return false;
          leaderOfTerm.set(t, i);
        }
        return true;
      };

      // If two logs have entries with the same term at index n, they are identical up to n.
      const LogMatching = (s: RaftState): boolean => {
        for (let a = 0; a < Server.length; a++) {
          const la = s.log.get(Server[a]!)!;
          for (let b = a + 1; b < Server.length; b++) {
            const lb = s.log.get(Server[b]!)!;
            const n = Math.min(la.size, lb.size);
            // Find the largest index with equal terms; the prefixes up to it must be identical.
            for (let x = n; x >= 1; x--) {
              if (la.get(x - 1)!.term === lb.get(x - 1)!.term) {
                for (let y = 1; y <= x; y++) if (!is(la.get(y - 1), lb.get(y - 1))) return false;
                break;
              }
            }
          }
        }
        return true;
      };

      // For any i, j and n ≤ min(commitIndex[i], commitIndex[j]), both logs hold the same entry at n.
      const StateMachineSafety = (s: RaftState): boolean => {
        for (const i of Server) {
          const li = s.log.get(i)!;
          const ci = s.commitIndex.get(i)!;
          for (const j of Server) {
            const lj = s.log.get(j)!;
            const n = Math.min(ci, s.commitIndex.get(j)!);
            for (let x = 1; x <= n; x++) {
              const ei = li.get(x - 1);
              const ej = lj.get(x - 1);
              if (ei === undefined || ej === undefined || !is(ei, ej)) return false;
            }
          }
        }
        return true;
      };

      // A leader's log holds every entry another server (with no newer term) has committed.
      const LeaderCompleteness = (s: RaftState): boolean => {
        for (const l of Server) {
          if (s.state.get(l) !== 'Leader') continue;
          const ll = s.log.get(l)!;
          const tl = s.currentTerm.get(l)!;
          for (const i of Server) {
            if (tl < s.currentTerm.get(i)!) continue;
            const li = s.log.get(i)!;
            const n = Math.min(s.commitIndex.get(i)!, li.size);
            for (let x = 1; x <= n; x++) {
              const e = ll.get(x - 1);
              if (e === undefined || !is(e, li.get(x - 1))) return false;
            }
          }
        }
        return true;
      };

      // ---- TypeOK ----
      const serverSet = new Set(Server);
      const valueSet = new Set(Value);
      const isNat = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0;
      const isPos = (x: unknown): x is number => isNat(x) && x >= 1;
      const isServer = (x: unknown): boolean => typeof x === 'string' && serverSet.has(x);
      const isFnOnServers = (f: unknown, ok: (v: unknown) => boolean): boolean => {
        if (!IMap.isMap(f)) return false;
        const fm = f as IMap<unknown, unknown>;
        // Size |Server| and every key a server: the domain is exactly Server (keys are distinct). One pass.
        return fm.size === Server.length && fm.every((v, key) => typeof key === 'string' && serverSet.has(key) && ok(v));
      };
      const isServerSet = (x: unknown): boolean => ISet.isSet(x) && (x as ISet<unknown>).every(isServer);
      const isEntry = (x: unknown): boolean => isA(Entry, x) && isPos(x.term) && valueSet.has(x.value);
      const isLog = (x: unknown): boolean => List.isList(x) && (x as List<unknown>).every(isEntry);
      const isWellFormedMessage = (m: unknown): boolean => {
        if (!isMessage(m) || !isPos(m.mterm) || !isServer(m.msource) || !isServer(m.mdest)) return false;
        switch (m.mtype) {
          case 'RequestVoteRequest':
            return isA(RequestVoteRequest, m) && isNat(m.mlastLogTerm) && isNat(m.mlastLogIndex);
          case 'RequestVoteResponse':
            return isA(RequestVoteResponse, m) && typeof m.mvoteGranted === 'boolean';
          case 'AppendEntriesRequest':
            return (
              isA(AppendEntriesRequest, m) &&
              isNat(m.mprevLogIndex) &&
              isNat(m.mprevLogTerm) &&
              isLog(m.mentries) &&
              m.mentries.size <= 1 &&
              isNat(m.mcommitIndex)
            );
          case 'AppendEntriesResponse':
            return isA(AppendEntriesResponse, m) && typeof m.msuccess === 'boolean' && isNat(m.mmatchIndex);
        }
      };
      const TypeOK = (s: RaftState): boolean =>
        isA(RaftState, s) &&
        IMap.isMap(s.messages) &&
        s.messages.every((c, m) => isPos(c) && isWellFormedMessage(m)) &&
        isFnOnServers(s.currentTerm, isPos) &&
        isFnOnServers(s.state, (r) => r === 'Follower' || r === 'Candidate' || r === 'Leader') &&
        isFnOnServers(s.votedFor, (v) => v === null || isServer(v)) &&
        isFnOnServers(s.votesResponded, isServerSet) &&
        isFnOnServers(s.votesGranted, isServerSet) &&
        isFnOnServers(s.nextIndex, (r) => isFnOnServers(r, isPos)) &&
        isFnOnServers(s.matchIndex, (r) => isFnOnServers(r, isNat)) &&
        isFnOnServers(s.log, isLog) &&
        isFnOnServers(s.commitIndex, isNat);

      // ---- Bounds (a state constraint) ----
      const Bounds = (s: RaftState): boolean => {
        for (const i of Server) {
          if (s.currentTerm.get(i)! > k.MaxTerm) return false;
          if (s.log.get(i)!.size > k.MaxLogLen) return false;
          if (!electable.has(i) && s.state.get(i) !== 'Follower') return false;
        }
        return bagSize(s.messages) <= k.MaxMsgs;
      };

      return {
        init: [init],
        actions: {
          Restart,
          Timeout,
          RequestVote,
          BecomeLeader,
          ClientRequest,
          AdvanceCommitIndex,
          AppendEntries,
          Receive,
          DuplicateMessage,
          DropMessage,
        },
        invariants: { ElectionSafety, LogMatching, StateMachineSafety, LeaderCompleteness, TypeOK },
        properties: { EventuallyLeader: eventually((s: RaftState) => Server.some((i) => s.state.get(i) === 'Leader')) },
        constraints: { Bounds },
        records: [RaftState, Entry, RequestVoteRequest, RequestVoteResponse, AppendEntriesRequest, AppendEntriesResponse],
        nodeView: {
          nodes: Server,
          view: (s, i) => ({
            state: s.state.get(i),
            currentTerm: s.currentTerm.get(i),
            votedFor: s.votedFor.get(i),
            log: s.log.get(i),
            commitIndex: s.commitIndex.get(i),
            votesGranted: s.votesGranted.get(i),
            nextIndex: s.nextIndex.get(i),
            matchIndex: s.matchIndex.get(i),
          }),
        },
        messageView: {
          // Each copy of a message in the bag (a duplicated message appears twice).
          *messages(s) {
            for (const [m, c] of s.messages) for (let n = 0; n < c; n++) yield m;
          },
          describe(m) {
            const msg = m as Message;
            return { from: msg.msource, to: msg.mdest, label: labelMessage(msg) };
          },
        },
        showValue(v) {
          if (v === null) return 'Nil';
          if (isA(Entry, v)) return showEntry(v);
          if (isMessage(v)) return showMessage(v);
          return undefined;
        },
      };
    },
  });
}
