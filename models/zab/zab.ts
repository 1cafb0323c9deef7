// ZooKeeper's atomic broadcast (Zab), as in the ZooKeeper project's protocol specification Zab.tla
// (zookeeper-specifications/protocol-spec), restated in ../shared/reference/zab.md: phase 0 election by
// an oracle, discovery, synchronization, broadcast, timeouts and restarts. Every one of the 17 variables
// is kept, the checking-only ones and the recorder (whose pc names the last action) included, since they
// are part of TLC's state. `makeZab({ rejectDuplicatePropose: true })` reverts one of the bugs the
// specification's authors found with TLC (issues.md, issue 2).
import { List, Map as IMap, Record, Set as ISet } from 'immutable';
import { constant } from '../../src/model/constants.js';
import { defineModel } from '../../src/model/model.js';

export type ServerState = 'LOOKING' | 'FOLLOWING' | 'LEADING';
export type Phase = 'ELECTION' | 'DISCOVERY' | 'SYNCHRONIZATION' | 'BROADCAST';
export type MType = 'CEPOCH' | 'NEWEPOCH' | 'ACKEPOCH' | 'NEWLEADER' | 'ACKLD' | 'COMMITLD' | 'PROPOSE' | 'ACK' | 'COMMIT';

/** ⟨epoch, counter⟩; ⟨0, 0⟩ is "none". */
export const Zxid = Record({ epoch: 0, counter: 0 }, 'Zxid');
export type Zxid = ReturnType<typeof Zxid>;
const ZERO = Zxid();

export const Txn = Record({ zxid: ZERO, value: 0, ackSid: ISet<string>(), epoch: 0 }, 'Txn');
export type Txn = ReturnType<typeof Txn>;
export const Committed = Record({ index: 0, zxid: ZERO }, 'Committed');
export type Committed = ReturnType<typeof Committed>;
export const CepochInfo = Record({ sid: '', connected: true, epoch: 0 }, 'CepochInfo');
export type CepochInfo = ReturnType<typeof CepochInfo>;
export const AckeInfo = Record({ sid: '', connected: true, peerLastEpoch: 0, peerHistory: List<Txn>() }, 'AckeInfo');
export type AckeInfo = ReturnType<typeof AckeInfo>;
export const AckldInfo = Record({ sid: '', connected: true }, 'AckldInfo');
export type AckldInfo = ReturnType<typeof AckldInfo>;
/** One record type for the nine message kinds; the fields a kind does not have stay null. */
export const Msg = Record<{ mtype: MType; mepoch: number | null; mhistory: List<Txn> | null; mzxid: Zxid | null; mdata: number | null }>(
  { mtype: 'CEPOCH', mepoch: null, mhistory: null, mzxid: null, mdata: null },
  'ZabMsg',
);
export type Msg = ReturnType<typeof Msg>;
export const Proposal = Record({ source: '', epoch: 0, zxid: ZERO, data: 0 }, 'Proposal');
export type Proposal = ReturnType<typeof Proposal>;
export const Violated = Record(
  { stateInconsistent: false, proposalInconsistent: false, commitInconsistent: false, ackInconsistent: false, messageIllegal: false },
  'Violated',
);
export type Violated = ReturnType<typeof Violated>;
export const Recorder = Record(
  { nTimeout: 0, nTransaction: 0, maxEpoch: 0, nRestart: 0, pc: List<string>(['Init']), nClientRequest: 0 },
  'Recorder',
);
export type Recorder = ReturnType<typeof Recorder>;

export interface ZabFields {
  state: IMap<string, ServerState>;
  zabState: IMap<string, Phase>;
  acceptedEpoch: IMap<string, number>;
  currentEpoch: IMap<string, number>;
  history: IMap<string, List<Txn>>;
  lastCommitted: IMap<string, Committed>;
  learners: IMap<string, ISet<string>>;
  cepochRecv: IMap<string, ISet<CepochInfo>>;
  ackeRecv: IMap<string, ISet<AckeInfo>>;
  ackldRecv: IMap<string, ISet<AckldInfo>>;
  sendCounter: IMap<string, number>;
  /** The leader a follower is connected to; null is NullPoint. */
  connectInfo: IMap<string, string | null>;
  leaderOracle: string | null;
  /** msgs[i][j]: the FIFO queue from i to j. */
  msgs: IMap<string, IMap<string, List<Msg>>>;
  /** epochLeader[e] for e ∈ 1..MAXEPOCH, stored at e − 1. */
  epochLeader: List<ISet<string>>;
  proposalMsgsLog: ISet<Proposal>;
  violatedInvariants: Violated;
  recorder: Recorder;
}
export const ZabState = Record<ZabFields>(
  {
    state: IMap(),
    zabState: IMap(),
    acceptedEpoch: IMap(),
    currentEpoch: IMap(),
    history: IMap(),
    lastCommitted: IMap(),
    learners: IMap(),
    cepochRecv: IMap(),
    ackeRecv: IMap(),
    ackldRecv: IMap(),
    sendCounter: IMap(),
    connectInfo: IMap(),
    leaderOracle: null,
    msgs: IMap(),
    epochLeader: List(),
    proposalMsgsLog: ISet(),
    violatedInvariants: Violated(),
    recorder: Recorder(),
  },
  'Zab',
);
export type ZabState = ReturnType<typeof ZabState>;

const MAXEPOCH = 10;

// Zxid order and the history helpers of the specification.
const zxidGreater = (a: Zxid, b: Zxid) => a.epoch > b.epoch || (a.epoch === b.epoch && a.counter > b.counter);
const zxidEqual = (a: Zxid, b: Zxid) => a.epoch === b.epoch && a.counter === b.counter;
const txnEqual = (a: { zxid: Zxid; value: number }, b: { zxid: Zxid; value: number }) => zxidEqual(a.zxid, b.zxid) && a.value === b.value;
export const lastZxidOf = (h: List<Txn>): Zxid => (h.size === 0 ? ZERO : h.get(h.size - 1)!.zxid);

/** 0 for ⟨0,0⟩; 1 for an empty history; the 1-based position of a unique match; −1 for two or more; Len + 1 for none. */
export function zxidToIndex(h: List<Txn>, z: Zxid): number {
  if (zxidEqual(z, ZERO)) return 0;
  if (h.size === 0) return 1;
  let found = 0;
  let at = 0;
  h.forEach((t, k) => {
    if (zxidEqual(t.zxid, z)) {
      found++;
      if (found === 1) at = k + 1;
    }
  });
  return found === 0 ? h.size + 1 : found === 1 ? at : -1;
}

/** history[idx] (1-based); TLC stops with an error on an index outside the sequence, and so do we. */
function entry(h: List<Txn>, idx: number): Txn {
  if (idx < 1 || idx > h.size) throw new Error(`index ${idx} outside a history of length ${h.size}`);
  return h.get(idx - 1)!;
}

export interface ZabOptions {
  name: string;
  description: string;
  /** Issue 2 of issues.md reverted: a PROPOSE that is not the next zxid is always illegal, even a duplicate. */
  rejectDuplicatePropose?: boolean;
}

export function makeZab(opts: ZabOptions) {
  return defineModel({
    name: opts.name,
    description: opts.description,
    constants: {
      Server: constant.modelValues(),
      MaxTimeoutFailures: constant.int({ min: 0 }),
      MaxTransactionNum: constant.int({ min: 0 }),
      MaxEpoch: constant.int({ min: 0 }),
      MaxRestarts: constant.int({ min: 0 }),
    },
    build({ Server, MaxTimeoutFailures, MaxTransactionNum, MaxEpoch, MaxRestarts }) {
      const isQuorum = (q: ISet<string>) => q.size * 2 > Server.length;
      const sidsOf = (set: ISet<{ sid: string }>) => ISet(set.map((r) => r.sid));
      const connectedSids = (set: ISet<{ sid: string; connected: boolean }>) => ISet(set.filter((r) => r.connected).map((r) => r.sid));
      const EMPTY_Q = List<Msg>();

      // --- channels -------------------------------------------------------------------------------------
      type Msgs = ZabFields['msgs'];
      const queue = (m: Msgs, from: string, to: string) => m.get(from)!.get(to)!;
      const send = (m: Msgs, i: string, j: string, msg: Msg): Msgs => m.setIn([i, j], queue(m, i, j).push(msg));
      /** Discard(from, to): drop the head of msgs[from][to], if any. */
      const discard = (m: Msgs, from: string, to: string): Msgs => (queue(m, from, to).size > 0 ? m.setIn([from, to], queue(m, from, to).shift()) : m);
      /** Reply(i, j, m): drop the head of msgs[j][i] and append m to msgs[i][j]. */
      const reply = (m: Msgs, i: string, j: string, msg: Msg): Msgs => send(m.setIn([j, i], queue(m, j, i).shift()), i, j, msg);
      const clean = (m: Msgs, i: string, j: string): Msgs => m.setIn([j, i], EMPTY_Q).setIn([i, j], EMPTY_Q);
      const cleanInputBuffer = (m: Msgs, S: ISet<string>): Msgs => m.map((row) => row.map((q, v) => (S.has(v) ? EMPTY_Q : q)));
      /** Appends msg to msgs[i][v] for every v ≠ i in learners[i] that is a connected sid of `recv`. */
      const broadcastOver = (m: Msgs, i: string, msg: Msg, recv: ISet<{ sid: string; connected: boolean }>, learners: ISet<string>): Msgs => {
        const to = connectedSids(recv);
        let out = m;
        for (const v of Server) if (v !== i && to.has(v) && learners.has(v)) out = send(out, i, v, msg);
        return out;
      };

      // --- state switching ----------------------------------------------------------------------------------
      const followerShutdown = (s: ZabState, i: string): ZabState =>
        s.set('state', s.state.set(i, 'LOOKING')).set('zabState', s.zabState.set(i, 'ELECTION')).set('connectInfo', s.connectInfo.set(i, null));
      const leaderShutdown = (s: ZabState, i: string): ZabState => {
        const S = s.learners.get(i)!;
        return s
          .set('state', s.state.map((v, x) => (S.has(x) ? 'LOOKING' : v)))
          .set('zabState', s.zabState.map((v, x) => (S.has(x) ? 'ELECTION' : v)))
          .set('connectInfo', s.connectInfo.map((v, x) => (S.has(x) ? null : v)))
          .set('msgs', cleanInputBuffer(s.msgs, S))
          .set('learners', s.learners.set(i, ISet()));
      };
      const switchToFollower = (s: ZabState, i: string): ZabState =>
        s.set('state', s.state.set(i, 'FOLLOWING')).set('zabState', s.zabState.set(i, 'DISCOVERY'));
      const switchToLeader = (s: ZabState, i: string): ZabState =>
        s
          .set('state', s.state.set(i, 'LEADING'))
          .set('zabState', s.zabState.set(i, 'DISCOVERY'))
          .set('learners', s.learners.set(i, ISet([i])))
          .set('cepochRecv', s.cepochRecv.set(i, ISet([CepochInfo({ sid: i, connected: true, epoch: s.acceptedEpoch.get(i)! })])))
          .set(
            'ackeRecv',
            s.ackeRecv.set(i, ISet([AckeInfo({ sid: i, connected: true, peerLastEpoch: s.currentEpoch.get(i)!, peerHistory: s.history.get(i)! })])),
          )
          .set('ackldRecv', s.ackldRecv.set(i, ISet([AckldInfo({ sid: i, connected: true })])))
          .set('sendCounter', s.sendCounter.set(i, 0));
      /** The record of `sid` (if any) gets connected = FALSE, other fields kept. */
      const disconnect = <R extends { sid: string; connected: boolean; set(k: 'connected', v: boolean): R }>(set: ISet<R>, sid: string): ISet<R> => {
        const info = set.find((r) => r.sid === sid);
        return info === undefined ? set : set.delete(info).add(info.set('connected', false));
      };
      const removeLearner = (s: ZabState, i: string, j: string): ZabState =>
        s
          .set('learners', s.learners.set(i, s.learners.get(i)!.delete(j)))
          .set('cepochRecv', s.cepochRecv.set(i, disconnect(s.cepochRecv.get(i)! as never, j) as never))
          .set('ackeRecv', s.ackeRecv.set(i, disconnect(s.ackeRecv.get(i)! as never, j) as never))
          .set('ackldRecv', s.ackldRecv.set(i, disconnect(s.ackldRecv.get(i)! as never, j) as never));
      /** Replaces the record of info.sid (or adds it). */
      const upsert = <R extends { sid: string }>(set: ISet<R>, info: R): ISet<R> => {
        const old = set.find((r) => r.sid === info.sid);
        return (old === undefined ? set : set.delete(old)).add(info);
      };
      const setFlag = (s: ZabState, flag: keyof ReturnType<Violated['toObject']>): ZabState =>
        s.set('violatedInvariants', s.violatedInvariants.set(flag, true));

      // --- the recorder -------------------------------------------------------------------------------------
      /** UpdateRecorder(pc), computed from the new values of the other variables. */
      const record = (t: ZabState, name: string, ...args: string[]): ZabState => {
        const r = t.recorder;
        const failure = name === 'Timeout' || name === 'Restart';
        return t.set(
          'recorder',
          Recorder({
            nTimeout: failure ? r.nTimeout + 1 : r.nTimeout,
            nRestart: name === 'Restart' ? r.nRestart + 1 : r.nRestart,
            nTransaction: name === 'LeaderProcessRequest' ? Math.max(...Server.map((x) => t.history.get(x)!.size)) : r.nTransaction,
            maxEpoch: name === 'LeaderProcessCEPOCH' ? Math.max(...Server.map((x) => t.acceptedEpoch.get(x)!)) : r.maxEpoch,
            pc: List([name, ...args]),
            nClientRequest: name === 'LeaderProcessRequest' ? r.nClientRequest + 1 : r.nClientRequest,
          }),
        );
      };
      const checkTimeout = (s: ZabState) => s.recorder.nTimeout < MaxTimeoutFailures;
      const checkTransactionNum = (s: ZabState) => s.recorder.nTransaction < MaxTransactionNum;
      const checkEpoch = (s: ZabState) => s.recorder.maxEpoch < MaxEpoch;
      const checkRestart = (s: ZabState) => checkTimeout(s) && s.recorder.nRestart < MaxRestarts;

      // --- predicates ----------------------------------------------------------------------------------------
      const isLeader = (s: ZabState, i: string) => s.state.get(i) === 'LEADING';
      const isFollower = (s: ZabState, i: string) => s.state.get(i) === 'FOLLOWING';
      const isLooking = (s: ZabState, i: string) => s.state.get(i) === 'LOOKING';
      const isMyLearner = (s: ZabState, i: string, j: string) => s.learners.get(i)!.has(j);
      const isMyLeader = (s: ZabState, i: string, j: string) => s.connectInfo.get(i) === j;
      /** The head of msgs[j][i] if it is of type t (i receives from j). */
      const pending = (s: ZabState, i: string, j: string, t: MType): Msg | undefined => {
        const q = queue(s.msgs, j, i);
        const m = q.first();
        return m !== undefined && m.mtype === t ? m : undefined;
      };
      const lastZxid = (s: ZabState, i: string) => lastZxidOf(s.history.get(i)!);
      const proposalsOf = (src: string, ep: number, his: List<Txn>) => his.map((t) => Proposal({ source: src, epoch: ep, zxid: t.zxid, data: t.value }));

      /** The Timeout / connected-Restart outcome for leader l losing follower j. */
      const loseFollower = (s: ZabState, l: string, j: string): ZabState => {
        if (isQuorum(s.learners.get(l)!.delete(j))) {
          const t = followerShutdown(removeLearner(s, l, j), j);
          return t.set('msgs', clean(t.msgs, l, j));
        }
        return leaderShutdown(s, l);
      };

      type I = { i: string };
      type IJ = { i: string; j: string };
      const one = { i: Server };
      const two = { i: Server, j: Server };

      const actions = {
        UpdateLeader: {
          params: one,
          step: (s: ZabState, { i }: I) => {
            if (!isLooking(s, i) || s.leaderOracle === i) return undefined;
            return record(switchToLeader(s.set('leaderOracle', i), i), 'UpdateLeader', i);
          },
        },
        FollowLeader: {
          params: one,
          step: (s: ZabState, { i }: I) => {
            if (!isLooking(s, i) || s.leaderOracle === null) return undefined;
            const t = s.leaderOracle === i ? switchToLeader(s, i) : switchToFollower(s, i);
            return record(t, 'FollowLeader', i);
          },
        },
        Timeout: {
          params: two,
          step: (s: ZabState, { i, j }: IJ) => {
            if (!checkTimeout(s) || !isLeader(s, i) || !isMyLearner(s, i, j) || !isFollower(s, j) || !isMyLeader(s, j, i)) return undefined;
            return record(loseFollower(s, i, j), 'Timeout', i, j);
          },
        },
        Restart: {
          params: one,
          step: (s: ZabState, { i }: I) => {
            if (!checkRestart(s)) return undefined;
            let t: ZabState;
            if (isLooking(s, i)) t = s;
            else if (isFollower(s, i)) {
              const leader = s.connectInfo.get(i)!;
              if (leader !== null) t = loseFollower(s, leader, i);
              else {
                t = followerShutdown(s, i);
                t = t.set('msgs', cleanInputBuffer(t.msgs, ISet([i])));
              }
            } else t = leaderShutdown(s, i);
            t = t.set('lastCommitted', t.lastCommitted.set(i, Committed()));
            return record(t, 'Restart', i);
          },
        },
        ConnectAndFollowerSendCEPOCH: {
          params: two,
          step: (s: ZabState, { i, j }: IJ) => {
            if (!isLeader(s, i) || isMyLearner(s, i, j) || !isFollower(s, j) || s.connectInfo.get(j) !== null || s.leaderOracle !== i) return undefined;
            const t = s
              .set('learners', s.learners.set(i, s.learners.get(i)!.add(j)))
              .set('connectInfo', s.connectInfo.set(j, i))
              .set('msgs', send(s.msgs, j, i, Msg({ mtype: 'CEPOCH', mepoch: s.acceptedEpoch.get(j)! })));
            return record(t, 'ConnectAndFollowerSendCEPOCH', i, j);
          },
        },
        LeaderProcessCEPOCH: {
          params: two,
          step: (s: ZabState, { i, j }: IJ) => {
            if (!checkEpoch(s) || !isLeader(s, i)) return undefined;
            const m = pending(s, i, j, 'CEPOCH');
            if (!m || !isMyLearner(s, i, j)) return undefined;
            const recv = s.cepochRecv.get(i)!;
            const updated = upsert(recv, CepochInfo({ sid: j, connected: true, epoch: m.mepoch! }));
            let t = s.set('cepochRecv', s.cepochRecv.set(i, updated));
            if (!isQuorum(sidsOf(recv))) {
              if (s.zabState.get(i) !== 'DISCOVERY') t = setFlag(t, 'stateInconsistent');
              if (isQuorum(sidsOf(updated))) {
                const epoch = Math.max(...updated.map((c) => c.epoch)) + 1;
                t = t.set('acceptedEpoch', t.acceptedEpoch.set(i, epoch));
                const msgs = discard(t.msgs, j, i);
                t = t.set('msgs', broadcastOver(msgs, i, Msg({ mtype: 'NEWEPOCH', mepoch: epoch }), updated, s.learners.get(i)!));
              } else t = t.set('msgs', discard(t.msgs, j, i));
            } else {
              t = t.set('msgs', reply(t.msgs, i, j, Msg({ mtype: 'NEWEPOCH', mepoch: s.acceptedEpoch.get(i)! })));
            }
            return record(t, 'LeaderProcessCEPOCH', i, j);
          },
        },
        FollowerProcessNEWEPOCH: {
          params: two,
          step: (s: ZabState, { i, j }: IJ) => {
            if (!isFollower(s, i)) return undefined;
            const m = pending(s, i, j, 'NEWEPOCH');
            if (!m || !isMyLeader(s, i, j)) return undefined;
            let t: ZabState;
            if (m.mepoch! >= s.acceptedEpoch.get(i)!) {
              if (s.zabState.get(i) === 'DISCOVERY') {
                t = s
                  .set('acceptedEpoch', s.acceptedEpoch.set(i, m.mepoch!))
                  .set('msgs', reply(s.msgs, i, j, Msg({ mtype: 'ACKEPOCH', mepoch: s.currentEpoch.get(i)!, mhistory: s.history.get(i)! })))
                  .set('zabState', s.zabState.set(i, 'SYNCHRONIZATION'));
              } else {
                t = setFlag(s, 'stateInconsistent').set('msgs', discard(s.msgs, j, i));
              }
            } else {
              const leader = s.connectInfo.get(i)!;
              t = followerShutdown(s, i);
              t = removeLearner(t.set('msgs', clean(t.msgs, i, leader)), leader, i);
            }
            return record(t, 'FollowerProcessNEWEPOCH', i, j);
          },
        },
        LeaderProcessACKEPOCH: {
          params: two,
          step: (s: ZabState, { i, j }: IJ) => {
            if (!isLeader(s, i)) return undefined;
            const m = pending(s, i, j, 'ACKEPOCH');
            if (!m || !isMyLearner(s, i, j)) return undefined;
            const recv = s.ackeRecv.get(i)!;
            const updated = upsert(recv, AckeInfo({ sid: j, connected: true, peerLastEpoch: m.mepoch!, peerHistory: m.mhistory! }));
            let t = s.set('ackeRecv', s.ackeRecv.set(i, updated));
            const ae = s.acceptedEpoch.get(i)!;
            if (isQuorum(sidsOf(recv))) {
              const toSend = s.history.get(i)!;
              t = t
                .set('msgs', reply(t.msgs, i, j, Msg({ mtype: 'NEWLEADER', mepoch: ae, mhistory: toSend })))
                .set('proposalMsgsLog', t.proposalMsgsLog.union(proposalsOf(i, ae, toSend)));
            } else {
              if (s.zabState.get(i) !== 'DISCOVERY') t = setFlag(t, 'stateInconsistent');
              if (isQuorum(sidsOf(updated))) {
                t = t.set('currentEpoch', t.currentEpoch.set(i, ae));
                if (ae >= 1 && ae <= MAXEPOCH) t = t.set('epochLeader', t.epochLeader.update(ae - 1, (x) => x!.add(i)));
                const initial = determineInitialHistory(updated).map((x) => x.set('ackSid', ISet([i])));
                t = t.set('history', t.history.set(i, initial)).set('zabState', t.zabState.set(i, 'SYNCHRONIZATION'));
                const msgs = discard(t.msgs, j, i);
                t = t
                  .set('msgs', broadcastOver(msgs, i, Msg({ mtype: 'NEWLEADER', mepoch: ae, mhistory: initial }), updated, s.learners.get(i)!))
                  .set('proposalMsgsLog', t.proposalMsgsLog.union(proposalsOf(i, ae, initial)));
              } else t = t.set('msgs', discard(t.msgs, j, i));
            }
            return record(t, 'LeaderProcessACKEPOCH', i, j);
          },
        },
        FollowerProcessNEWLEADER: {
          params: two,
          step: (s: ZabState, { i, j }: IJ) => {
            if (!isFollower(s, i)) return undefined;
            const m = pending(s, i, j, 'NEWLEADER');
            if (!m || !isMyLeader(s, i, j)) return undefined;
            let t: ZabState;
            if (s.acceptedEpoch.get(i) !== m.mepoch) {
              const leader = s.connectInfo.get(i)!;
              t = followerShutdown(s, i);
              t = removeLearner(t.set('msgs', clean(t.msgs, i, leader)), leader, i);
            } else {
              t = s.zabState.get(i) !== 'SYNCHRONIZATION' ? setFlag(s, 'stateInconsistent') : s;
              t = t
                .set('currentEpoch', t.currentEpoch.set(i, s.acceptedEpoch.get(i)!))
                .set('history', t.history.set(i, m.mhistory!))
                .set('msgs', reply(t.msgs, i, j, Msg({ mtype: 'ACKLD', mzxid: lastZxidOf(m.mhistory!) })));
            }
            return record(t, 'FollowerProcessNEWLEADER', i, j);
          },
        },
        LeaderProcessACKLD: {
          params: two,
          step: (s: ZabState, { i, j }: IJ) => {
            if (!isLeader(s, i)) return undefined;
            const m = pending(s, i, j, 'ACKLD');
            if (!m || !isMyLearner(s, i, j)) return undefined;
            const recv = s.ackldRecv.get(i)!;
            const updated = upsert(recv, AckldInfo({ sid: j, connected: true }));
            // Add j to the ackSid of every entry up to the first one whose zxid is greater than the ACKLD's.
            const his = s.history.get(i)!;
            const stop = his.findIndex((x) => zxidGreater(x.zxid, m.mzxid!));
            const acked = his.map((x, k) => (stop !== -1 && k >= stop ? x : x.ackSid.has(j) ? x : x.set('ackSid', x.ackSid.add(j))));
            let t = s.set('ackldRecv', s.ackldRecv.set(i, updated)).set('history', s.history.set(i, acked));
            const phase = s.zabState.get(i);
            if (!isQuorum(sidsOf(recv))) {
              if (phase !== 'SYNCHRONIZATION') t = setFlag(t, 'stateInconsistent');
              if (isQuorum(sidsOf(updated))) {
                const lz = lastZxid(s, i);
                t = t
                  .set('lastCommitted', t.lastCommitted.set(i, Committed({ index: his.size, zxid: lz })))
                  .set('zabState', t.zabState.set(i, 'BROADCAST'));
                const msgs = discard(t.msgs, j, i);
                t = t.set('msgs', broadcastOver(msgs, i, Msg({ mtype: 'COMMITLD', mzxid: lz }), updated, s.learners.get(i)!));
              } else t = t.set('msgs', discard(t.msgs, j, i));
            } else {
              if (phase !== 'BROADCAST') t = setFlag(t, 'stateInconsistent');
              t = t.set('msgs', reply(t.msgs, i, j, Msg({ mtype: 'COMMITLD', mzxid: s.lastCommitted.get(i)!.zxid })));
            }
            return record(t, 'LeaderProcessACKLD', i, j);
          },
        },
        FollowerProcessCOMMITLD: {
          params: two,
          step: (s: ZabState, { i, j }: IJ) => {
            if (!isFollower(s, i)) return undefined;
            const m = pending(s, i, j, 'COMMITLD');
            if (!m || !isMyLeader(s, i, j)) return undefined;
            const his = s.history.get(i)!;
            const index = zxidEqual(m.mzxid!, ZERO) ? 0 : zxidToIndex(his, m.mzxid!);
            let t = index >= 0 && index <= his.size ? s : setFlag(s, 'proposalInconsistent');
            t = t
              .set('lastCommitted', t.lastCommitted.set(i, Committed({ index, zxid: m.mzxid! })))
              .set('zabState', t.zabState.set(i, 'BROADCAST'))
              .set('msgs', discard(t.msgs, j, i));
            return record(t, 'FollowerProcessCOMMITLD', i, j);
          },
        },
        LeaderProcessRequest: {
          params: one,
          step: (s: ZabState, { i }: I) => {
            if (!checkTransactionNum(s) || !isLeader(s, i) || s.zabState.get(i) !== 'BROADCAST') return undefined;
            const lz = lastZxid(s, i);
            const ce = s.currentEpoch.get(i)!;
            const zxid = ce === lz.epoch ? Zxid({ epoch: lz.epoch, counter: lz.counter + 1 }) : Zxid({ epoch: ce, counter: 1 });
            const txn = Txn({ zxid, value: s.recorder.nClientRequest, ackSid: ISet([i]), epoch: ce });
            return record(s.set('history', s.history.set(i, s.history.get(i)!.push(txn))), 'LeaderProcessRequest', i);
          },
        },
        LeaderBroadcastPROPOSE: {
          params: one,
          step: (s: ZabState, { i }: I) => {
            if (!isLeader(s, i) || s.zabState.get(i) !== 'BROADCAST') return undefined;
            const lz = lastZxid(s, i);
            const ce = s.currentEpoch.get(i)!;
            const currentCounter = lz.epoch === ce ? lz.counter : 0;
            const sc = s.sendCounter.get(i)!;
            if (!(sc < currentCounter)) return undefined;
            const his = s.history.get(i)!;
            const txn = entry(his, zxidToIndex(his, Zxid({ epoch: ce, counter: sc + 1 })));
            const t = s
              .set('sendCounter', s.sendCounter.set(i, sc + 1))
              .set('msgs', broadcastOver(s.msgs, i, Msg({ mtype: 'PROPOSE', mzxid: txn.zxid, mdata: txn.value }), s.ackeRecv.get(i)!, s.learners.get(i)!))
              .set('proposalMsgsLog', s.proposalMsgsLog.add(Proposal({ source: i, epoch: ce, zxid: txn.zxid, data: txn.value })));
            return record(t, 'LeaderBroadcastPROPOSE', i);
          },
        },
        FollowerProcessPROPOSE: {
          params: two,
          step: (s: ZabState, { i, j }: IJ) => {
            if (!isFollower(s, i)) return undefined;
            const m = pending(s, i, j, 'PROPOSE');
            if (!m || !isMyLeader(s, i, j)) return undefined;
            const cur = lastZxid(s, i);
            const next = m.mzxid!;
            const isNext = (next.counter === 1 && cur.epoch < next.epoch) || (next.counter > 1 && cur.epoch === next.epoch && cur.counter + 1 === next.counter);
            let t: ZabState;
            if (isNext) {
              const txn = Txn({ zxid: next, value: m.mdata!, ackSid: ISet(), epoch: s.currentEpoch.get(i)! });
              t = s.set('history', s.history.set(i, s.history.get(i)!.push(txn))).set('msgs', reply(s.msgs, i, j, Msg({ mtype: 'ACK', mzxid: next })));
            } else {
              const his = s.history.get(i)!;
              const index = zxidToIndex(his, next);
              const exist = index > 0 && index <= his.size;
              t = exist && !opts.rejectDuplicatePropose ? s : setFlag(s, 'proposalInconsistent');
              t = t.set('msgs', discard(t.msgs, j, i));
            }
            return record(t, 'FollowerProcessPROPOSE', i, j);
          },
        },
        LeaderProcessACK: {
          params: two,
          step: (s: ZabState, { i, j }: IJ) => {
            if (!isLeader(s, i)) return undefined;
            const m = pending(s, i, j, 'ACK');
            if (!m || !isMyLearner(s, i, j)) return undefined;
            const his = s.history.get(i)!;
            const lc = s.lastCommitted.get(i)!;
            const index = zxidToIndex(his, m.mzxid!);
            const exist = index >= 1 && index <= his.size;
            const outstanding = lc.index < his.size;
            const hasCommitted = !zxidGreater(m.mzxid!, lc.zxid);
            let ackIndex = -1;
            his.forEach((x, k) => {
              if (x.ackSid.has(j)) ackIndex = k + 1;
            });
            const monotonic = ackIndex === -1 || ackIndex + 1 === index;
            const out: ZabState[] = [];
            // TLC yields one successor per true disjunct, so "A \/ B" with both true gives the same state twice.
            if (exist && monotonic) {
              const txn = entry(his, index);
              const acked = txn.set('ackSid', txn.ackSid.add(j));
              const t = s.set('history', s.history.set(i, his.set(index - 1, acked)));
              const dropped = record(t.set('msgs', discard(t.msgs, j, i)), 'LeaderProcessACK', i, j);
              if (!outstanding) out.push(dropped);
              if (hasCommitted) out.push(dropped);
              if (outstanding && !hasCommitted) {
                // LeaderTryToCommit(i, index, m.mzxid, acked, j)
                const allBefore = lc.index >= index - 1;
                const quorum = isQuorum(acked.ackSid);
                if (!allBefore) out.push(dropped);
                if (!quorum) out.push(dropped);
                if (allBefore && quorum) {
                  let u = lc.index + 1 !== index ? setFlag(t, 'commitInconsistent') : t;
                  u = u.set('lastCommitted', u.lastCommitted.set(i, Committed({ index, zxid: m.mzxid! })));
                  const msgs = discard(u.msgs, j, i);
                  u = u.set('msgs', broadcastOver(msgs, i, Msg({ mtype: 'COMMIT', mzxid: m.mzxid! }), s.ackldRecv.get(i)!, s.learners.get(i)!));
                  out.push(record(u, 'LeaderProcessACK', i, j));
                }
              }
            }
            if (!exist || !monotonic) {
              const bad = record(setFlag(s, 'ackInconsistent').set('msgs', discard(s.msgs, j, i)), 'LeaderProcessACK', i, j);
              if (!exist) out.push(bad);
              if (!monotonic) out.push(bad);
            }
            return out;
          },
        },
        FollowerProcessCOMMIT: {
          params: two,
          step: (s: ZabState, { i, j }: IJ) => {
            if (!isFollower(s, i)) return undefined;
            const m = pending(s, i, j, 'COMMIT');
            if (!m || !isMyLeader(s, i, j)) return undefined;
            const his = s.history.get(i)!;
            const lc = s.lastCommitted.get(i)!;
            let t = s;
            if (lc.index < his.size) {
              const first = entry(his, lc.index + 1);
              if (zxidEqual(first.zxid, m.mzxid!)) t = t.set('lastCommitted', t.lastCommitted.set(i, Committed({ index: lc.index + 1, zxid: first.zxid })));
              else t = setFlag(t, 'commitInconsistent');
            }
            return record(t.set('msgs', discard(t.msgs, j, i)), 'FollowerProcessCOMMIT', i, j);
          },
        },
        FilterNonexistentMessage: {
          params: one,
          step: (s: ZabState, { i }: I) => {
            const out: ZabState[] = [];
            for (const j of Server) {
              if (j === i) continue;
              const m = queue(s.msgs, j, i).first();
              if (m === undefined) continue;
              const t = m.mtype;
              const fromLeader = t === 'NEWEPOCH' || t === 'NEWLEADER' || t === 'COMMITLD' || t === 'PROPOSE' || t === 'COMMIT';
              const illegal = isLeader(s, i)
                ? fromLeader || !isMyLearner(s, i, j)
                : isFollower(s, i)
                  ? !fromLeader || !isMyLeader(s, i, j)
                  : isLooking(s, i);
              // The recorder is left unchanged.
              if (illegal) out.push(setFlag(s, 'messageIllegal').set('msgs', discard(s.msgs, j, i)));
            }
            return out;
          },
        },
      };

      /** DetermineInitialHistory: the peerHistory of a record with the most recent (currentEpoch, lastZxid), smallest sid on a tie. */
      function determineInitialHistory(set: ISet<AckeInfo>): List<Txn> {
        let best: AckeInfo | undefined;
        for (const sid of Server) {
          const a = set.find((r) => r.sid === sid);
          if (a === undefined) continue;
          if (best === undefined) best = a;
          else {
            const la = lastZxidOf(a.peerHistory), lb = lastZxidOf(best.peerHistory);
            if (a.peerLastEpoch > best.peerLastEpoch || (a.peerLastEpoch === best.peerLastEpoch && zxidGreater(la, lb))) best = a;
          }
        }
        return best!.peerHistory;
      }

      // --- invariants ---------------------------------------------------------------------------------------
      const committedOf = (s: ZabState, i: string) => s.lastCommitted.get(i)!.index;
      const range = (n: number) => Array.from({ length: Math.max(0, n) }, (_, k) => k + 1);
      const invariants = {
        ShouldNotBeTriggered: (s: ZabState) => Object.values(s.violatedInvariants.toObject()).every((v) => v === false),
        Leadership1: (s: ZabState) =>
          Server.every((i) =>
            Server.every((j) => {
              const est = (x: string) => isLeader(s, x) && (s.zabState.get(x) === 'SYNCHRONIZATION' || s.zabState.get(x) === 'BROADCAST');
              return !(est(i) && est(j) && s.currentEpoch.get(i) === s.currentEpoch.get(j)) || i === j;
            }),
          ),
        Leadership2: (s: ZabState) => s.epochLeader.every((l) => l.size <= 1),
        PrefixConsistency: (s: ZabState) =>
          Server.every((i) =>
            Server.every((j) => {
              const smaller = Math.min(committedOf(s, i), committedOf(s, j));
              if (smaller === 0) return true;
              return smaller > 0 && range(smaller).every((n) => txnEqual(entry(s.history.get(i)!, n), entry(s.history.get(j)!, n)));
            }),
          ),
        Integrity: (s: ZabState) =>
          Server.every(
            (i) =>
              !(isFollower(s, i) && committedOf(s, i) > 0) ||
              range(committedOf(s, i)).every((idx) => {
                const x = entry(s.history.get(i)!, idx);
                return s.proposalMsgsLog.some((p) => zxidEqual(p.zxid, x.zxid) && p.data === x.value);
              }),
          ),
        Agreement: (s: ZabState) =>
          Server.every((i) =>
            Server.every((j) => {
              if (!(isFollower(s, i) && committedOf(s, i) > 0 && isFollower(s, j) && committedOf(s, j) > 0)) return true;
              const hi = s.history.get(i)!, hj = s.history.get(j)!;
              const ci = range(committedOf(s, i)), cj = range(committedOf(s, j));
              return ci.every((idx1) =>
                cj.every(
                  (idx2) =>
                    cj.some((k) => txnEqual(entry(hj, k), entry(hi, idx1))) || ci.some((k) => txnEqual(entry(hi, k), entry(hj, idx2))),
                ),
              );
            }),
          ),
        TotalOrder: (s: ZabState) =>
          Server.every((i) =>
            Server.every((j) => {
              const c1 = committedOf(s, i), c2 = committedOf(s, j);
              if (!(c1 >= 2 && c2 >= 2)) return true;
              const hi = s.history.get(i)!, hj = s.history.get(j)!;
              for (let i1 = 1; i1 <= c1 - 1; i1++)
                for (let i2 = i1 + 1; i2 <= c1; i2++) {
                  const b = entry(hi, i2), a = entry(hi, i1);
                  const logOk = range(c2).some((k) => txnEqual(b, entry(hj, k)));
                  if (!logOk) continue;
                  const ok = range(c2).some((j2) => txnEqual(b, entry(hj, j2)) && range(j2 - 1).some((j1) => txnEqual(a, entry(hj, j1))));
                  if (!ok) return false;
                }
              return true;
            }),
          ),
        // As written, its inner "there exist txn1, txn2 in the set" is met by txn1 = txn2 whenever the set has
        // two or more elements, and the other disjunct covers smaller sets: it always holds.
        LocalPrimaryOrder: (_s: ZabState) => true,
        GlobalPrimaryOrder: (s: ZabState) =>
          Server.every((i) => {
            const c = committedOf(s, i);
            if (!(c >= 2)) return true;
            const h = s.history.get(i)!;
            return range(c).every((i1) => range(c).every((i2) => !(entry(h, i1).zxid.epoch < entry(h, i2).zxid.epoch) || i1 < i2));
          }),
        PrimaryIntegrity: (s: ZabState) =>
          Server.every((i) =>
            Server.every((j) => {
              if (
                !(
                  isLeader(s, i) &&
                  isMyLearner(s, i, j) &&
                  isFollower(s, j) &&
                  isMyLeader(s, j, i) &&
                  s.zabState.get(i) === 'BROADCAST' &&
                  s.zabState.get(j) === 'BROADCAST' &&
                  committedOf(s, j) >= 1
                )
              )
                return true;
              const ce = s.currentEpoch.get(i)!;
              const hi = s.history.get(i)!, hj = s.history.get(j)!;
              return range(committedOf(s, j)).every((jj) => {
                const x = entry(hj, jj);
                return x.zxid.epoch >= ce || range(committedOf(s, i)).some((ii) => txnEqual(entry(hi, ii), x));
              });
            }),
          ),
      };

      const perServer = <T>(v: T) => IMap(Server.map((x) => [x, v] as const));
      const init = ZabState({
        state: perServer<ServerState>('LOOKING'),
        zabState: perServer<Phase>('ELECTION'),
        acceptedEpoch: perServer(0),
        currentEpoch: perServer(0),
        history: perServer(List<Txn>()),
        lastCommitted: perServer(Committed()),
        learners: perServer(ISet<string>()),
        cepochRecv: perServer(ISet<CepochInfo>()),
        ackeRecv: perServer(ISet<AckeInfo>()),
        ackldRecv: perServer(ISet<AckldInfo>()),
        sendCounter: perServer(0),
        connectInfo: perServer<string | null>(null),
        leaderOracle: null,
        msgs: perServer(perServer(EMPTY_Q)),
        epochLeader: List(Array.from({ length: MAXEPOCH }, () => ISet<string>())),
        proposalMsgsLog: ISet(),
        violatedInvariants: Violated(),
        recorder: Recorder(),
      });

      const showZxid = (z: Zxid) => `<${z.epoch},${z.counter}>`;
      const showHistory = (h: List<Txn>) => `[${h.map((t) => `${showZxid(t.zxid)}:${t.value}`).join(' ')}]`;
      const showMsg = (m: Msg) => {
        switch (m.mtype) {
          case 'CEPOCH':
          case 'NEWEPOCH':
            return `${m.mtype}(${m.mepoch})`;
          case 'ACKEPOCH':
          case 'NEWLEADER':
            return `${m.mtype}(${m.mepoch}, ${showHistory(m.mhistory!)})`;
          case 'PROPOSE':
            return `PROPOSE(${showZxid(m.mzxid!)}, ${m.mdata})`;
          default:
            return `${m.mtype}(${showZxid(m.mzxid!)})`;
        }
      };

      return {
        init: [init],
        actions,
        invariants,
        records: [ZabState, Zxid, Txn, Committed, CepochInfo, AckeInfo, AckldInfo, Msg, Proposal, Violated, Recorder],
        nodeView: {
          nodes: Server,
          view: (s: ZabState, n: string) => ({
            state: s.state.get(n),
            zabState: s.zabState.get(n),
            acceptedEpoch: s.acceptedEpoch.get(n),
            currentEpoch: s.currentEpoch.get(n),
            history: showHistory(s.history.get(n)!),
            lastCommitted: s.lastCommitted.get(n)!.index,
            connectInfo: s.connectInfo.get(n) ?? 'none',
            learners: s.learners.get(n),
          }),
        },
        messageView: {
          messages: (s: ZabState) => {
            const out: List<unknown>[] = [];
            s.msgs.forEach((row, from) => row.forEach((q, to) => q.forEach((msg) => out.push(List([from, to, msg])))));
            return out;
          },
          describe: (raw: unknown) => {
            const [from, to, msg] = (raw as List<unknown>).toArray() as [string, string, Msg];
            return { from, to, label: showMsg(msg) };
          },
        },
        showValue: (v: unknown) =>
          v instanceof Msg ? showMsg(v) : v instanceof Zxid ? showZxid(v) : v instanceof Txn ? `${showZxid(v.zxid)}:${v.value}` : undefined,
      };
    },
  });
}
