// Lamport's distributed mutual exclusion ("Time, Clocks and the Ordering of Events", 1978), as in Merz's
// TLA+ specification LamportMutex (tlaplus/Examples, specifications/lamport_mutex, with MCLamportMutex),
// restated in ../shared/reference/lamport-mutex.md. Processes 1..N talk over FIFO channels; a process
// enters once every other process has acknowledged its request and its request precedes every
// request it knows of, by (clock, process id).
import { List, Map as IMap, Record, Set as ISet } from 'immutable';
import { constant, type ConstantType } from '../src/model/constants.js';
import { interned } from '../src/model/intern.js';
import { defineModel } from '../src/model/model.js';

export const Message = Record<{ type: 'req' | 'ack' | 'rel'; clock: number }>({ type: 'ack', clock: 0 }, 'Message');
export type Message = ReturnType<typeof Message>;

export const MutexState = Record<{
  clock: IMap<number, number>;
  /** req[p][q]: the clock of q's pending request as p knows it, 0 for none; req[p][p] is p's own. */
  req: IMap<number, IMap<number, number>>;
  /** The processes that acknowledged p's current request. */
  ack: IMap<number, ISet<number>>;
  /** network[p][q]: the FIFO channel from p to q. */
  network: IMap<number, IMap<number, List<Message>>>;
  crit: ISet<number>;
}>({ clock: IMap(), req: IMap(), ack: IMap(), network: IMap(), crit: ISet() }, 'LamportMutex');
export type MutexState = ReturnType<typeof MutexState>;

/** One in-flight message, for the message chart: the k-th of the identical messages queued on its channel. */
export const InFlight = Record<{ from: number; to: number; type: string; clock: number; k: number }>({ from: 0, to: 0, type: '', clock: 0, k: 0 }, 'InFlight');
type InFlight = ReturnType<typeof InFlight>;

/** MaxNat bounds the type invariant's Nat (MCLamportMutex's `Nat <- 0..MaxNat`); by default maxClock + 1. */
const maxNat: ConstantType<number> = {
  ...constant.int({ min: 0 }),
  optional: true,
  fallback: (all) => (all.maxClock as number) + 1,
};

export const showMessage = (m: Message) => (m.type === 'req' ? `req(${m.clock})` : m.type);

export default defineModel({
  name: 'lamport-mutex',
  description: "Lamport's distributed mutual exclusion (Merz's LamportMutex)",
  constants: {
    /** Processes 1..N. */
    N: constant.int({ min: 1 }),
    /** The state constraint's bound on every clock. */
    maxClock: constant.int({ min: 0 }),
    MaxNat: maxNat,
  },
  build({ N, maxClock, MaxNat }) {
    const Proc = Array.from({ length: N }, (_, i) => i + 1);
    const msg = interned(Message);
    const ACK = msg({ type: 'ack', clock: 0 });
    const REL = msg({ type: 'rel', clock: 0 });
    const fn = <V>(f: (p: number) => V) => IMap(Proc.map((p) => [p, f(p)] as const));
    const channel = (s: MutexState, from: number, to: number) => s.network.get(from)!.get(to)!;
    /** Broadcast(s, m): append m to every channel from s but its own. */
    const broadcast = (net: MutexState['network'], from: number, m: Message) =>
      net.set(
        from,
        net.get(from)!.map((ch, to) => (to === from ? ch : ch.push(m))),
      );
    const head = (s: MutexState, q: number, p: number): Message | undefined => channel(s, q, p).first();
    const beats = (s: MutexState, p: number, q: number) => {
      const mine = s.req.get(p)!.get(p)!;
      const theirs = s.req.get(p)!.get(q)!;
      return theirs === 0 || mine < theirs || (mine === theirs && p < q);
    };
    const isNat = (n: number) => Number.isInteger(n) && n >= 0 && n <= MaxNat;

    return {
      init: [
        MutexState({
          clock: fn(() => 1),
          req: fn(() => fn(() => 0)),
          ack: fn(() => ISet<number>()),
          network: fn(() => fn(() => List<Message>())),
          crit: ISet(),
        }),
      ],
      actions: {
        /** p asks for the critical section with its current clock (which does not advance). */
        Request: {
          params: { p: Proc },
          step: (s: MutexState, { p }: { p: number }) => {
            if (s.req.get(p)!.get(p) !== 0) return undefined;
            const c = s.clock.get(p)!;
            return s
              .set('req', s.req.setIn([p, p], c))
              .set('network', broadcast(s.network, p, msg({ type: 'req', clock: c })))
              .set('ack', s.ack.set(p, ISet([p])));
          },
        },
        /** p has every acknowledgement and its request beats all it knows of. No guard "p not in crit": then a stuttering step. */
        Enter: {
          params: { p: Proc },
          step: (s: MutexState, { p }: { p: number }) =>
            s.ack.get(p)!.size === N && Proc.every((q) => q === p || beats(s, p, q)) ? s.set('crit', s.crit.add(p)) : undefined,
        },
        Exit: {
          params: { p: Proc },
          step: (s: MutexState, { p }: { p: number }) =>
            s.crit.has(p)
              ? s
                  .set('crit', s.crit.remove(p))
                  .set('network', broadcast(s.network, p, REL))
                  .set('req', s.req.setIn([p, p], 0))
                  .set('ack', s.ack.set(p, ISet()))
              : undefined,
        },
        /** p receives q's request: records it, advances its clock past it, acknowledges. */
        ReceiveRequest: {
          params: { p: Proc, q: Proc },
          step: (s: MutexState, { p, q }: { p: number; q: number }) => {
            if (p === q) return undefined;
            const m = head(s, q, p);
            if (m === undefined || m.type !== 'req') return undefined;
            const c = m.clock;
            const mine = s.clock.get(p)!;
            return s
              .set('req', s.req.setIn([p, q], c))
              .set('clock', s.clock.set(p, c > mine ? c + 1 : mine + 1))
              .set('network', s.network.updateIn([q, p], (ch) => (ch as List<Message>).shift()).updateIn([p, q], (ch) => (ch as List<Message>).push(ACK)));
          },
        },
        ReceiveAck: {
          params: { p: Proc, q: Proc },
          step: (s: MutexState, { p, q }: { p: number; q: number }) => {
            if (p === q) return undefined;
            const m = head(s, q, p);
            if (m === undefined || m.type !== 'ack') return undefined;
            return s.set('ack', s.ack.set(p, s.ack.get(p)!.add(q))).set('network', s.network.updateIn([q, p], (ch) => (ch as List<Message>).shift()));
          },
        },
        ReceiveRelease: {
          params: { p: Proc, q: Proc },
          step: (s: MutexState, { p, q }: { p: number; q: number }) => {
            if (p === q) return undefined;
            const m = head(s, q, p);
            if (m === undefined || m.type !== 'rel') return undefined;
            return s.set('req', s.req.setIn([p, q], 0)).set('network', s.network.updateIn([q, p], (ch) => (ch as List<Message>).shift()));
          },
        },
      },
      constraints: {
        /** Every clock is at most maxClock (TLC semantics: a successor beyond it is checked, not explored). */
        ClockConstraint: (s: MutexState) => s.clock.every((c) => c <= maxClock),
      },
      invariants: {
        /** The type invariant with Nat = 0..MaxNat, as MCLamportMutex overrides it. */
        TypeOK: (s: MutexState) =>
          s.clock.size === N &&
          Proc.every((p) => isNat(s.clock.get(p)!) && s.clock.get(p)! >= 1) &&
          s.req.size === N &&
          Proc.every((p) => s.req.get(p)!.size === N && Proc.every((q) => isNat(s.req.get(p)!.get(q)!))) &&
          s.ack.size === N &&
          Proc.every((p) => s.ack.get(p)!.every((q) => Proc.includes(q))) &&
          s.network.size === N &&
          Proc.every(
            (p) =>
              s.network.get(p)!.size === N &&
              Proc.every((q) =>
                channel(s, p, q).every((m) => (m.type === 'req' ? isNat(m.clock) && m.clock >= 1 : m.clock === 0)),
              ),
          ) &&
          s.crit.every((p) => Proc.includes(p)),
        /** Every channel holds at most 3 messages. */
        BoundedNetwork: (s: MutexState) => Proc.every((p) => Proc.every((q) => channel(s, p, q).size <= 3)),
        /** At most one process is in the critical section. */
        Mutex: (s: MutexState) => s.crit.size <= 1,
      },
      records: [MutexState, Message],
      nodeView: {
        nodes: Proc.map(String),
        view: (s: MutexState, node: string) => {
          const p = Number(node);
          return { clock: s.clock.get(p), req: s.req.get(p), ack: s.ack.get(p), crit: s.crit.has(p) };
        },
      },
      messageView: {
        messages: (s: MutexState) => {
          const out: InFlight[] = [];
          for (const from of Proc) {
            for (const to of Proc) {
              const seen = new Map<string, number>();
              for (const m of channel(s, from, to)) {
                const key = showMessage(m);
                const k = seen.get(key) ?? 0;
                seen.set(key, k + 1);
                out.push(InFlight({ from, to, type: m.type, clock: m.clock, k }));
              }
            }
          }
          return out;
        },
        describe: (raw: unknown) => {
          const m = raw as InFlight;
          return { from: String(m.from), to: String(m.to), label: m.type === 'req' ? `req(${m.clock})` : m.type };
        },
      },
      showValue: (v: unknown) => (v instanceof Message ? showMessage(v as Message) : undefined),
    };
  },
});
