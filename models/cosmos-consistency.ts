// Cosmos DB's consistency levels with a single writer, as in the Azure Cosmos TLA+ specification
// "swscop" (tlaplus/azure-cosmos-tla, scenario1; Demirbas et al.), restated in ../shared/reference/ap-store.md §A.
// One client writes op = 1, 2, ... and reads after each write; the database answers a read at the level
// the client asks for (the constant Consistency). The five guarantees are invariants, so one run per
// level and guarantee gives the matrix of what each level keeps (specs/consistency/).
import { List, Record } from 'immutable';
import { constant, showCfgValue, type ConstantType } from '../src/model/constants.js';
import { defineModel } from '../src/model/model.js';

export const LEVELS = ['Eventual', 'Consistent_Prefix', 'Session', 'Bounded_Staleness', 'Strong'] as const;
export type Level = (typeof LEVELS)[number];

/** Write [type, dat, ses, orig]; read request [type = the level, ses, orig]; Ack and Reply [type, dat, ses]. */
export const CosmosMsg = Record<{ type: string; dat: number | null; ses: number; orig: number | null }>({ type: 'Write', dat: null, ses: 0, orig: null }, 'CosmosMsg');
export type CosmosMsg = ReturnType<typeof CosmosMsg>;

type DbPc = 'D' | 'DW' | 'DE' | 'DP' | 'DS' | 'DB' | 'DG';
type ClientPc = 'CW' | 'CWA' | 'CR' | 'CRA';

export const CosmosState = Record<{
  /** chan[0], the database's inbox, and chan[1], the client's. */
  chanDb: List<CosmosMsg>;
  chanClient: List<CosmosMsg>;
  pcDb: DbPc;
  pcClient: ClientPc;
  Database: List<number>;
  /** The database's last message taken; null is the initial empty sequence. */
  msg: CosmosMsg | null;
  /** The client's last message received; null is the initial empty sequence. */
  m: CosmosMsg | null;
  op: number;
  chistory: List<number>;
  ses: number;
}>(
  { chanDb: List(), chanClient: List(), pcDb: 'D', pcClient: 'CW', Database: List([0]), msg: null, m: null, op: 0, chistory: List([0]), ses: 1 },
  'Cosmos',
);
export type CosmosState = ReturnType<typeof CosmosState>;

/** The Consistency constant: one of the five level names, as a string. */
const consistencyLevel: ConstantType<Level> = {
  describe: `one of ${LEVELS.map((l) => `"${l}"`).join(', ')}`,
  optional: false,
  convert: (v) =>
    v.kind === 'string' && (LEVELS as readonly string[]).includes(v.value)
      ? (v.value as Level)
      : `expected one of ${LEVELS.map((l) => `"${l}"`).join(', ')}, got ${showCfgValue(v)}`,
};

const READ_PC: { readonly [L in Level]: DbPc } = { Eventual: 'DE', Consistent_Prefix: 'DP', Session: 'DS', Bounded_Staleness: 'DB', Strong: 'DG' };

export default defineModel({
  name: 'cosmos-consistency',
  description: 'Cosmos DB consistency levels, one client writing and reading (azure-cosmos-tla scenario 1, swscop)',
  constants: {
    NumClients: constant.int({ min: 1, max: 1, default: 1 }),
    Consistency: consistencyLevel,
    K: constant.int({ min: 0 }),
    MaxNumOp: constant.int({ min: 1, default: 5 }),
  },
  build({ Consistency, K, MaxNumOp }) {
    const len = (l: List<number>) => l.size;
    const at = (l: List<number>, i: number) => l.get(i - 1)!;
    const last = (l: List<number>) => at(l, len(l));
    /** The lowest index a Bounded_Staleness read may return. */
    const staleFrom = (db: List<number>) => (len(db) > K ? len(db) - K : 1);
    /** Reply with Database[k] for each k in lo..Len(Database): one successor per k. */
    const replies = (s: CosmosState, lo: number, hi: number) => {
      const out: CosmosState[] = [];
      for (let k = lo; k <= hi; k++) {
        const reply = CosmosMsg({ type: 'Reply', dat: at(s.Database, k), ses: k, orig: null });
        out.push(s.set('chanClient', s.chanClient.push(reply)).set('pcDb', 'D'));
      }
      return out;
    };
    const readAction = (pc: DbPc, lo: (s: CosmosState) => number, hi: (s: CosmosState) => number = (s) => len(s.Database)) => ({
      step: (s: CosmosState) => (s.pcDb === pc ? replies(s, lo(s), hi(s)) : undefined),
    });

    const monotonic = (h: List<number>) => h.every((v, i) => i === 0 || h.get(i - 1)! <= v);
    const inDatabase = (s: CosmosState, lo: number) => s.Database.slice(lo - 1).includes(last(s.chistory));
    const Eventual = (s: CosmosState) => inDatabase(s, 1);

    return {
      init: [CosmosState()],
      actions: {
        // The database (process 0).
        D: {
          step: (s: CosmosState) => {
            if (s.pcDb !== 'D' || s.chanDb.size === 0) return undefined;
            const msg = s.chanDb.first()!;
            const t = s.set('msg', msg).set('chanDb', s.chanDb.shift());
            if (msg.type === 'Write') return t.set('Database', s.Database.push(msg.dat!)).set('pcDb', 'DW');
            return t.set('pcDb', (READ_PC as { readonly [k: string]: DbPc | undefined })[msg.type] ?? 'D');
          },
        },
        DW: {
          step: (s: CosmosState) =>
            s.pcDb === 'DW'
              ? s.set('chanClient', s.chanClient.push(CosmosMsg({ type: 'Ack', dat: last(s.Database), ses: len(s.Database), orig: null }))).set('pcDb', 'D')
              : undefined,
        },
        DE: readAction('DE', () => 1),
        DP: readAction('DP', () => 1),
        DS: readAction('DS', (s) => s.msg!.ses),
        DB: readAction('DB', (s) => staleFrom(s.Database)),
        DG: readAction('DG', (s) => len(s.Database)),
        // The client (process 1).
        CW: {
          step: (s: CosmosState) => {
            if (s.pcClient !== 'CW') return undefined;
            const op = s.op + 1;
            return s.set('op', op).set('chanDb', s.chanDb.push(CosmosMsg({ type: 'Write', dat: op, ses: s.ses, orig: 1 }))).set('pcClient', 'CWA');
          },
        },
        CWA: {
          step: (s: CosmosState) => {
            if (s.pcClient !== 'CWA' || s.chanClient.size === 0) return undefined;
            const m = s.chanClient.first()!;
            return s.set('m', m).set('chanClient', s.chanClient.shift()).set('ses', m.ses).set('pcClient', 'CR');
          },
        },
        CR: {
          step: (s: CosmosState) =>
            s.pcClient === 'CR' ? s.set('chanDb', s.chanDb.push(CosmosMsg({ type: Consistency, dat: null, ses: s.ses, orig: 1 }))).set('pcClient', 'CRA') : undefined,
        },
        CRA: {
          step: (s: CosmosState) => {
            if (s.pcClient !== 'CRA' || s.chanClient.size === 0) return undefined;
            const m = s.chanClient.first()!;
            return s.set('m', m).set('chanClient', s.chanClient.shift()).set('chistory', s.chistory.push(m.dat!)).set('ses', m.ses).set('pcClient', 'CW');
          },
        },
      },
      invariants: {
        /** The last value read is some value written (or the initial 0). */
        Eventual,
        /** Eventual, and the values read never go back. */
        Consistent_Prefix: (s: CosmosState) => Eventual(s) && monotonic(s.chistory),
        /** After a read: it returned a value at or after the session token, and reads are monotonic. */
        Session: (s: CosmosState) => s.pcClient !== 'CW' || (inDatabase(s, s.ses) && monotonic(s.chistory)),
        /** After a read: it returned one of the last K + 1 values, and reads are monotonic. */
        Bounded_Staleness: (s: CosmosState) => s.pcClient !== 'CW' || (inDatabase(s, staleFrom(s.Database)) && monotonic(s.chistory)),
        /** After a read: it returned the latest value, and reads are monotonic. */
        Strong: (s: CosmosState) => s.pcClient !== 'CW' || (last(s.chistory) === last(s.Database) && monotonic(s.chistory)),
      },
      constraints: {
        /** op < MaxNumOp (5 in the reference runs). */
        MaxNumOps: (s: CosmosState) => s.op < MaxNumOp,
      },
      records: [CosmosState, CosmosMsg],
      nodeView: {
        nodes: ['database', 'client'],
        view: (s: CosmosState, n: string) =>
          n === 'database'
            ? { pc: s.pcDb, Database: s.Database, inbox: s.chanDb.size }
            : { pc: s.pcClient, op: s.op, ses: s.ses, chistory: s.chistory, inbox: s.chanClient.size },
      },
      messageView: {
        messages: (s: CosmosState) => [...s.chanDb.map((m) => List(['client', 'database', m])), ...s.chanClient.map((m) => List(['database', 'client', m]))],
        describe: (raw: unknown) => {
          const [from, to, m] = (raw as List<unknown>).toArray() as [string, string, CosmosMsg];
          return { from, to, label: showMsg(m) };
        },
      },
      showValue: (v: unknown) => (v instanceof CosmosMsg ? showMsg(v) : undefined),
    };
  },
});

function showMsg(m: CosmosMsg): string {
  if (m.type === 'Write') return `Write(${m.dat})`;
  if (m.type === 'Ack' || m.type === 'Reply') return `${m.type}(${m.dat}, ses ${m.ses})`;
  return `Read ${m.type}(ses ${m.ses})`;
}
