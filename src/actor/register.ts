// Stateright's register harness (src/actor/register.rs): the client/server messages, the client actor
// (put_count puts, then one get), the hooks that record invocations and returns in a consistency tester,
// the register examples' properties, and `registerSystem`, the shape those examples share.
import { Record } from 'immutable';
import { linearizabilityTester, onInvoke, onReturn, linearizable, sequentiallyConsistent, testerView, TESTER_RECORDS, type ConsistencyModel, type ConsistencyTester } from './consistency.js';
import { registerSpec } from '../history/index.js';
import { constant } from '../model/constants.js';
import { eventually, sometimes } from '../model/properties.js';
import { actorConstants, actorOptions, type ActorConstantValues } from './constants.js';
import { actorModel, deliverableEnvelopes, type Actor, type ActorState, type CompiledActorSystem, type Envelope, type HistoryHooks, type Id, type Out } from './system.js';

/** The register's initial value: Stateright's '\0'. */
export const NO_VALUE = '\0';

export const Put = Record<{ req: number; value: string }>({ req: 0, value: NO_VALUE }, 'Put');
export const Get = Record<{ req: number }>({ req: 0 }, 'Get');
export const PutOk = Record<{ req: number }>({ req: 0 }, 'PutOk');
export const GetOk = Record<{ req: number; value: string }>({ req: 0, value: NO_VALUE }, 'GetOk');
export type Put = ReturnType<typeof Put>;
export type Get = ReturnType<typeof Get>;
export type PutOk = ReturnType<typeof PutOk>;
export type GetOk = ReturnType<typeof GetOk>;

/** The ops and returns a register tester records. */
export const RegisterOp = Record<{ type: 'write' | 'read'; value: string | null }>({ type: 'read', value: null }, 'RegisterOp');
export const RegisterRet = Record<{ type: 'write-ok' | 'read-ok'; value: string | null }>({ type: 'write-ok', value: null }, 'RegisterRet');
export type RegisterOp = ReturnType<typeof RegisterOp>;
export type RegisterRet = ReturnType<typeof RegisterRet>;
const READ = RegisterOp({ type: 'read' });
const WRITE_OK = RegisterRet({ type: 'write-ok' });

export const ClientState = Record<{ awaiting: number | null; opCount: number }>({ awaiting: null, opCount: 0 }, 'ClientState');
export type ClientState = ReturnType<typeof ClientState>;

export const REGISTER_RECORDS = [Put, Get, PutOk, GetOk, RegisterOp, RegisterRet, ClientState, ...TESTER_RECORDS];

const char = (c: number) => String.fromCharCode(c);

/**
 * Stateright's RegisterActor::Client{put_count, server_count}: servers have Ids 0..serverCount−1 and
 * clients come after them. Client c puts 'A'+(c−S) to server c mod S, then (after put_count puts, the
 * later ones of 'Z'−(c−S)) gets from server (c+k) mod S.
 */
export function registerClient(putCount: number, serverCount: number): Actor<ClientState, unknown> {
  return {
    onStart(id: Id, out: Out) {
      if (id < serverCount) throw new Error(`a register client needs an Id ≥ the server count ${serverCount}, got ${id}`);
      if (putCount === 0) return ClientState({ awaiting: null, opCount: 0 });
      out.send(id % serverCount, Put({ req: id, value: char('A'.charCodeAt(0) + (id - serverCount)) }));
      return ClientState({ awaiting: id, opCount: 1 });
    },
    onMsg(id: Id, s: ClientState, _src: Id, msg: unknown, out: Out) {
      if (s.awaiting === null) return undefined;
      if (msg instanceof PutOk && msg.req === s.awaiting) {
        const k = s.opCount;
        const req = (k + 1) * id;
        const dst = (id + k) % serverCount;
        if (k < putCount) out.send(dst, Put({ req, value: char('Z'.charCodeAt(0) - (id - serverCount)) }));
        else out.send(dst, Get({ req }));
        return ClientState({ awaiting: req, opCount: k + 1 });
      }
      if (msg instanceof GetOk && msg.req === s.awaiting) return ClientState({ awaiting: null, opCount: s.opCount + 1 });
      return undefined;
    },
  };
}

/** Stateright's record_invocations / record_returns for a register tester. */
export function registerHistory(init: ConsistencyTester): HistoryHooks<ConsistencyTester> {
  return {
    init,
    onSend: (h, env: Envelope) =>
      env.msg instanceof Get ? onInvoke(h, env.src, READ) : env.msg instanceof Put ? onInvoke(h, env.src, RegisterOp({ type: 'write', value: env.msg.value })) : undefined,
    onDeliver: (h, env: Envelope) =>
      env.msg instanceof GetOk ? onReturn(h, env.dst, RegisterRet({ type: 'read-ok', value: env.msg.value })) : env.msg instanceof PutOk ? onReturn(h, env.dst, WRITE_OK) : undefined,
  };
}

/** The register's sequential specification, for the history checker. */
export const registerConsistency: ConsistencyModel = {
  spec: registerSpec(NO_VALUE) as ConsistencyModel['spec'],
  input: (op) => {
    const o = op as RegisterOp;
    return o.type === 'write' ? { f: 'write', value: o.value } : { f: 'read' };
  },
  output: (ret) => (ret as RegisterRet).type === 'read-ok' ? (ret as RegisterRet).value : undefined,
};

/** `always "linearizable"` of the register examples. */
export const linearizableRegister = linearizable(registerConsistency);
export const sequentiallyConsistentRegister = sequentiallyConsistent(registerConsistency);

/** `sometimes "value chosen"`: some deliverable envelope is a GetOk with a value other than the initial one. */
export const valueChosen = (s: ActorState) =>
  deliverableEnvelopes(s).some((e) => e.msg instanceof GetOk && e.msg.value !== NO_VALUE);

export function showRegisterValue(v: unknown): string | undefined {
  const ch = (c: string | null) => (c === NO_VALUE ? "'\\0'" : `'${c}'`);
  if (v === NO_VALUE) return ch(v);
  if (v instanceof Put) return `Put(${v.req}, ${ch(v.value)})`;
  if (v instanceof Get) return `Get(${v.req})`;
  if (v instanceof PutOk) return `PutOk(${v.req})`;
  if (v instanceof GetOk) return `GetOk(${v.req}, ${ch(v.value)})`;
  if (v instanceof RegisterOp) return v.type === 'write' ? `Write(${ch(v.value)})` : 'Read';
  if (v instanceof RegisterRet) return v.type === 'write-ok' ? 'WriteOk' : `ReadOk(${ch(v.value)})`;
  if (v instanceof ClientState) return `Client{awaiting: ${v.awaiting ?? 'none'}, ops: ${v.opCount}}`;
  return undefined;
}

/** Every register client has had its last answer (clients are the actors from Id serverCount on). */
export const clientsDone = (serverCount: number) => (s: ActorState) =>
  s.actors.every((c, i) => i < serverCount || (c instanceof ClientState && c.awaiting === null));

/** The register history's column in trace views. */
export const registerHistoryView = testerView(registerConsistency, (v) => showRegisterValue(v) ?? String(v));

/** The constants of a register system: how many servers and clients, and the network and nemesis. */
export function registerConstants() {
  return { Servers: constant.int({ min: 1 }), Clients: constant.int({ min: 1 }), ...actorConstants() };
}

export interface RegisterSystemOptions {
  /** Server `id`'s actor; `peers` are the other servers. */
  readonly server: (id: Id, peers: readonly Id[]) => Actor;
  /** Record factories of the servers' states and messages (the register's own are included). */
  readonly records?: readonly unknown[];
  readonly showValue?: (v: unknown) => string | undefined;
  /** Whether the system promises that some value is chosen (`ValueChosen`); default true. */
  readonly valueChosen?: boolean;
}

/**
 * The shape of Stateright's register examples: servers s0…, then register clients that put once and then
 * get, with the linearizability tester in the state, its history column in traces, the consistency
 * invariants (Linearizable, SequentiallyConsistent), OperationsComplete and, by default, ValueChosen.
 * The nemesis touches servers only.
 */
export function registerSystem(k: ActorConstantValues & { readonly Servers: number; readonly Clients: number }, opts: RegisterSystemOptions): CompiledActorSystem<ConsistencyTester> {
  const S = k.Servers;
  const servers = Array.from({ length: S }, (_, i) => i);
  const actors = [...servers.map((i) => opts.server(i, servers.filter((j) => j !== i))), ...Array.from({ length: k.Clients }, () => registerClient(1, S) as Actor)];
  return actorModel({
    actors,
    names: actors.map((_, i) => (i < S ? `s${i}` : `c${i}`)),
    ...actorOptions(k, servers),
    history: registerHistory(linearizabilityTester()),
    historyView: registerHistoryView,
    records: [...REGISTER_RECORDS, ...(opts.records ?? [])],
    invariants: { Linearizable: linearizableRegister, SequentiallyConsistent: sequentiallyConsistentRegister },
    properties: { ...(opts.valueChosen === false ? {} : { ValueChosen: sometimes(valueChosen) }), OperationsComplete: eventually(clientsDone(S)) },
    showValue: opts.showValue ?? showRegisterValue,
  });
}
