// Two-phase commit, as in Gray and Lamport's TLA+ specification "TwoPhase"
// (tlaplus/Examples, specifications/transaction_commit), restated in ../shared/reference/two-phase-commit.md.
import { Map as IMap, Record, Set as ISet } from 'immutable';
import { constant } from '../src/model/constants.js';
import { defineModel } from '../src/model/model.js';

type RMState = 'working' | 'prepared' | 'committed' | 'aborted';
type TMState = 'init' | 'committed' | 'aborted';

/** Messages: Prepared{rm}, Commit, Abort. */
export const Msg = Record<{ type: 'Prepared' | 'Commit' | 'Abort'; rm: string | null }>({ type: 'Commit', rm: null }, 'Msg');
export type Msg = ReturnType<typeof Msg>;
const COMMIT = Msg({ type: 'Commit' });
const ABORT = Msg({ type: 'Abort' });

export const TPState = Record<{
  rmState: IMap<string, RMState>;
  tmState: TMState;
  tmPrepared: ISet<string>;
  msgs: ISet<Msg>;
}>({ rmState: IMap(), tmState: 'init', tmPrepared: ISet(), msgs: ISet() }, 'TwoPhase');
export type TPState = ReturnType<typeof TPState>;

export default defineModel({
  name: 'two-phase-commit',
  description: "Two-phase commit, as in Gray and Lamport's TLA+ specification",
  constants: { RM: constant.modelValues() },
  build({ RM }) {
    const rmIs = (s: TPState, rm: string, st: RMState) => s.rmState.get(rm) === st;
    const Prepared = new Map(RM.map((rm) => [rm, Msg({ type: 'Prepared', rm })])); // built once, shared by all states
    return {
      init: [TPState({ rmState: IMap(RM.map((rm) => [rm, 'working' as RMState] as const)), tmState: 'init', tmPrepared: ISet(), msgs: ISet() })],
      actions: {
        TMRcvPrepared: {
          params: { rm: RM },
          step: (s: TPState, { rm }: { rm: string }) =>
            s.tmState === 'init' && s.msgs.has(Prepared.get(rm)!) ? s.set('tmPrepared', s.tmPrepared.add(rm)) : undefined,
        },
        TMCommit: {
          step: (s: TPState) =>
            s.tmState === 'init' && s.tmPrepared.size === RM.length ? s.set('tmState', 'committed').set('msgs', s.msgs.add(COMMIT)) : undefined,
        },
        TMAbort: {
          step: (s: TPState) => (s.tmState === 'init' ? s.set('tmState', 'aborted').set('msgs', s.msgs.add(ABORT)) : undefined),
        },
        RMPrepare: {
          params: { rm: RM },
          step: (s: TPState, { rm }: { rm: string }) =>
            rmIs(s, rm, 'working') ? s.set('rmState', s.rmState.set(rm, 'prepared')).set('msgs', s.msgs.add(Prepared.get(rm)!)) : undefined,
        },
        RMChooseToAbort: {
          params: { rm: RM },
          step: (s: TPState, { rm }: { rm: string }) => (rmIs(s, rm, 'working') ? s.set('rmState', s.rmState.set(rm, 'aborted')) : undefined),
        },
        RMRcvCommitMsg: {
          params: { rm: RM },
          step: (s: TPState, { rm }: { rm: string }) => (s.msgs.has(COMMIT) ? s.set('rmState', s.rmState.set(rm, 'committed')) : undefined),
        },
        RMRcvAbortMsg: {
          params: { rm: RM },
          step: (s: TPState, { rm }: { rm: string }) => (s.msgs.has(ABORT) ? s.set('rmState', s.rmState.set(rm, 'aborted')) : undefined),
        },
      },
      invariants: {
        /** No RM is committed while another is aborted. */
        Consistent: (s: TPState) => !(s.rmState.includes('committed') && s.rmState.includes('aborted')),
        TypeOK: (s: TPState) =>
          RM.every((rm) => ['working', 'prepared', 'committed', 'aborted'].includes(s.rmState.get(rm)!)) &&
          s.rmState.size === RM.length &&
          ['init', 'committed', 'aborted'].includes(s.tmState) &&
          s.tmPrepared.every((rm) => RM.includes(rm)) &&
          s.msgs.every((m) => (m.type === 'Prepared' ? RM.includes(m.rm!) : m.rm === null)),
      },
      records: [TPState, Msg],
      nodeView: {
        nodes: ['TM', ...RM],
        view: (s: TPState, n: string) => (n === 'TM' ? { tmState: s.tmState, tmPrepared: s.tmPrepared } : { rmState: s.rmState.get(n) }),
      },
      messageView: {
        messages: (s: TPState) => s.msgs,
        describe: (raw: unknown) => {
          const m = raw as Msg;
          return m.type === 'Prepared' ? { from: m.rm!, to: 'TM', label: 'Prepared' } : { from: 'TM', label: m.type };
        },
      },
      showValue: (v: unknown) => (v instanceof Msg ? (v.type === 'Prepared' ? `Prepared(${v.rm})` : v.type) : undefined),
    };
  },
});
