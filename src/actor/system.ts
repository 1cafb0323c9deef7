// The actor layer: an actor system (actors with handlers, a network that fails, a nemesis, a history of
// client operations) compiled down to the plain model vocabulary, so the engine knows nothing of actors.
// The semantics are Stateright's ActorModel (v0.31.0), restated in shared/reference/actor-model.md:
// a state is the actors' states, the network, the armed timers, the crashed flags, the history and the
// saved storages (plus the nemesis' own components, constant when it is off); an ignored delivery (the
// handler wrote nothing and emitted nothing) is no transition on the unordered networks; a timeout that
// only re-arms its own timer is none either.
import { List, Map as IMap, Record, Set as ISet, is } from 'immutable';
import type { ActionDef, MessageView, ModelInstance, NodeView } from '../model/model.js';
import type { Property } from '../model/properties.js';
import { QuorumError } from '../model/errors.js';
import { showValue as showDefault } from '../trace/show.js';
import { NETWORK_KINDS_LIST, type NetworkKindName } from './network-kinds.js';
import { isolateOne, majorityMinority, showSplit, type PartitionFamily, type Split } from './nemesis.js';

/** An actor's identifier: its index in the system's actor list (0, 1, …), as in Stateright. */
export type Id = number;

/** What a handler emits; applied in emission order after the handler returns. */
export type Command<M, T, D> =
  | { readonly kind: 'send'; readonly dst: Id; readonly msg: M }
  | { readonly kind: 'set-timer'; readonly timer: T }
  | { readonly kind: 'cancel-timer'; readonly timer: T }
  | { readonly kind: 'save'; readonly storage: D };

export class Out<M = unknown, T = unknown, D = unknown> {
  readonly commands: Command<M, T, D>[] = [];
  send(dst: Id, msg: M): void {
    this.commands.push({ kind: 'send', dst, msg });
  }
  /** One send per destination, in the given order. */
  broadcast(dsts: Iterable<Id>, msg: M): void {
    for (const dst of dsts) this.send(dst, msg);
  }
  /** Arms a named timer (a set insert: arming an armed timer changes nothing). */
  setTimer(timer: T): void {
    this.commands.push({ kind: 'set-timer', timer });
  }
  cancelTimer(timer: T): void {
    this.commands.push({ kind: 'cancel-timer', timer });
  }
  /** Saves durable storage: it survives a crash and is given to onStart on restart. */
  save(storage: D): void {
    this.commands.push({ kind: 'save', storage });
  }
}

/**
 * An actor. Its state is an Immutable.js value (or a primitive). onMsg and onTimeout return the new
 * state when they *write* it (even an equal value counts as written, as Stateright's copy-on-write does)
 * or undefined to leave it untouched.
 */
export interface Actor<S = any, M = any, T = any, D = any> {
  /** The initial state; `storage` is undefined at the first start and the last saved value on restart. */
  onStart(id: Id, out: Out<M, T, D>, storage: D | undefined): S;
  onMsg?(id: Id, state: S, src: Id, msg: M, out: Out<M, T, D>): S | undefined;
  onTimeout?(id: Id, state: S, timer: T, out: Out<M, T, D>): S | undefined;
  /** When a timer may fire (default: always): a guard over the whole state, see failure-detector.ts. */
  timerEnabled?(id: Id, state: S, timer: T, system: ActorState): boolean;
}

/** A message in the network. */
export const Envelope = Record<{ src: Id; dst: Id; msg: unknown }>({ src: 0, dst: 0, msg: null }, 'Envelope');
export type Envelope = ReturnType<typeof Envelope>;
/** An ordered network's channel. */
export const Flow = Record<{ src: Id; dst: Id }>({ src: 0, dst: 0 }, 'Flow');
export type Flow = ReturnType<typeof Flow>;

export const NETWORK_KINDS = NETWORK_KINDS_LIST;
export type NetworkKind = NetworkKindName;

/**
 * The whole state of an actor system. Field by field it is Stateright's ActorModelState (random choices
 * aside: this layer has none), then the nemesis: the current partition, how many partitions and pauses
 * were used, and which actors are paused.
 */
export const ActorState = Record<{
  actors: List<unknown>;
  /** unordered-nonduplicating: Map<Envelope, count>; unordered-duplicating: Set<Envelope>; ordered: Map<Flow, List<msg>>. */
  network: IMap<unknown, unknown> | ISet<Envelope>;
  /** The duplicating network's last delivered envelope (part of its identity); null otherwise. */
  lastMsg: Envelope | null;
  timers: List<ISet<unknown>>;
  crashed: List<boolean>;
  history: unknown;
  storages: List<unknown>;
  /** The groups of the current partition (as actor Ids), or null when the network is whole. */
  partition: List<ISet<Id>> | null;
  partitionsUsed: number;
  paused: List<boolean>;
  pausesUsed: number;
}>(
  {
    actors: List(),
    network: IMap(),
    lastMsg: null,
    timers: List(),
    crashed: List(),
    history: null,
    storages: List(),
    partition: null,
    partitionsUsed: 0,
    paused: List(),
    pausesUsed: 0,
  },
  'ActorState',
);
export type ActorState = ReturnType<typeof ActorState>;

/** Stateright's record_msg_out / record_msg_in: a new history, or undefined for "unchanged". */
export interface HistoryHooks<H> {
  readonly init: H;
  /** Called once per send, when it is processed. */
  onSend?(h: H, env: Envelope): H | undefined;
  /** Called once per delivery that is a transition, on the history before the handler's sends. */
  onDeliver?(h: H, env: Envelope): H | undefined;
}

export interface NemesisOptions {
  /** Most actors crashed at the same time (Stateright's max_crashes). */
  readonly maxCrashes?: number;
  /** How many partitions a behavior may start (each ends with a heal). */
  readonly maxPartitions?: number;
  /** Which splits a partition may take: a family name or an explicit list of splits (groups of actor names). */
  readonly partitions?: PartitionFamily | readonly Split[];
  /** How many pauses a behavior may start (each ends with a resume). */
  readonly maxPauses?: number;
  /** The actors the nemesis may pause or partition (by Id); default all. */
  readonly targets?: readonly Id[];
  /** The actors that may crash (by Id); default all, as Stateright's max_crashes. */
  readonly crashTargets?: readonly Id[];
}

export interface ActorSystem<H = unknown> {
  /** The actors, by Id. */
  readonly actors: readonly Actor[];
  /** Display names, by Id (default n0, n1, …). */
  readonly names?: readonly string[];
  readonly network?: { readonly kind?: NetworkKind; readonly lossy?: boolean };
  readonly nemesis?: NemesisOptions;
  readonly history?: HistoryHooks<H>;
  /** Record factories used in actor states, messages, timers and the history. */
  readonly records?: readonly unknown[];
  readonly invariants?: Readonly<{ [name: string]: (s: ActorState) => boolean }>;
  readonly properties?: Readonly<{ [name: string]: Property<ActorState> }>;
  readonly constraints?: Readonly<{ [name: string]: (s: ActorState) => boolean }>;
  /** How a message, timer or other value reads in traces (undefined for the default). */
  readonly showValue?: (v: unknown) => string | undefined;
  /** A column for the history in trace views (e.g. testerView: the operations and the verdict). */
  readonly historyView?: (h: H, names: readonly string[]) => { readonly [field: string]: unknown };
  /** Stateright drops a message to a nonexistent actor silently; by default it is an error here. */
  readonly allowUndeliverable?: boolean;
}

/** Thrown by a handler: names the actor, what it was handling and its state. */
export class ActorThrew extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ActorThrew';
  }
}

export interface CompiledActorSystem<H> extends ModelInstance<ActorState> {
  /** The deliverable envelopes of a state (distinct envelopes; flow heads on the ordered network). */
  deliverable(s: ActorState): Envelope[];
  readonly names: readonly string[];
  readonly kind: NetworkKind;
  /** The history component, typed. */
  historyOf(s: ActorState): H;
}

type Written = { readonly written: boolean; readonly state: unknown; readonly out: Out };

/**
 * The deliverable envelopes of a state: each distinct envelope of an unordered network, the head of each
 * flow of an ordered one (an empty ordered or multiset network is an empty map either way).
 */
export function deliverableEnvelopes(s: ActorState): Envelope[] {
  const out: Envelope[] = [];
  const net = s.network;
  if (ISet.isSet(net)) (net as ISet<Envelope>).forEach((e) => void out.push(e));
  else
    (net as IMap<unknown, unknown>).forEach((v, key) => {
      if (key instanceof Flow) out.push(Envelope({ src: key.src, dst: key.dst, msg: (v as List<unknown>).first() }));
      else out.push(key as Envelope);
    });
  return out;
}

/** Compiles an actor system into a model instance. */
export function actorModel<H>(sys: ActorSystem<H>): CompiledActorSystem<H> {
  const n = sys.actors.length;
  const names = sys.names ?? sys.actors.map((_, i) => `n${i}`);
  if (names.length !== n) throw new QuorumError('MODEL_LOAD', `the actor system has ${n} actors but ${names.length} names`);
  const kind = sys.network?.kind ?? 'unordered-nonduplicating';
  if (!(NETWORK_KINDS as readonly string[]).includes(kind)) {
    throw new QuorumError('CFG_INVALID', `unknown network kind '${String(kind)}'; expected one of ${NETWORK_KINDS.join(', ')}`);
  }
  const lossy = sys.network?.lossy ?? false;
  const nem = sys.nemesis ?? {};
  const maxCrashes = nem.maxCrashes ?? 0;
  const maxPartitions = nem.maxPartitions ?? 0;
  const maxPauses = nem.maxPauses ?? 0;
  const targets = nem.targets ?? sys.actors.map((_, i) => i);
  const crashTargets = nem.crashTargets ?? sys.actors.map((_, i) => i);
  const idOf = new Map(names.map((name, i) => [name, i]));
  const splits: List<ISet<Id>>[] = maxPartitions > 0 ? resolveSplits(nem.partitions ?? 'isolate-one', targets, names, idOf) : [];
  const hooks = sys.history;
  const custom = sys.showValue;
  const show = (v: unknown): string => showDefault(v, (x) => custom?.(x) ?? (x instanceof Envelope ? `${names[x.src] ?? x.src}→${names[x.dst] ?? x.dst} ${show(x.msg)}` : undefined));
  const nameOf = (i: Id) => names[i] ?? `#${i}`;

  const fail = (what: string, e: unknown, state: unknown): never => {
    throw new ActorThrew(`actor ${what} threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}; its state: ${show(state)}`);
  };
  const runMsg = (dst: Id, state: unknown, src: Id, msg: unknown): Written => {
    const out = new Out();
    const actor = sys.actors[dst]!;
    let r: unknown;
    try {
      r = actor.onMsg ? actor.onMsg(dst, state, src, msg, out) : undefined;
    } catch (e) {
      fail(`${nameOf(dst)} on message ${show(msg)} from ${nameOf(src)}`, e, state);
    }
    return { written: r !== undefined, state: r, out };
  };
  const runTimeout = (i: Id, state: unknown, timer: unknown): Written => {
    const out = new Out();
    const actor = sys.actors[i]!;
    let r: unknown;
    try {
      r = actor.onTimeout ? actor.onTimeout(i, state, timer, out) : undefined;
    } catch (e) {
      fail(`${nameOf(i)} on timer ${show(timer)}`, e, state);
    }
    return { written: r !== undefined, state: r, out };
  };
  const runStart = (i: Id, storage: unknown): { state: unknown; out: Out } => {
    const out = new Out();
    try {
      return { state: sys.actors[i]!.onStart(i, out, storage ?? undefined), out };
    } catch (e) {
      return fail(`${nameOf(i)} on start`, e, storage ?? null);
    }
  };

  // The network, by kind.
  const send = (net: ActorState['network'], env: Envelope): ActorState['network'] => {
    if (kind === 'unordered-duplicating') return (net as ISet<Envelope>).add(env);
    if (kind === 'unordered-nonduplicating') return (net as IMap<Envelope, number>).update(env, 0, (c) => c + 1);
    const flow = Flow({ src: env.src, dst: env.dst });
    return (net as IMap<Flow, List<unknown>>).update(flow, List(), (q) => q.push(env.msg));
  };
  const removeOne = (net: ActorState['network'], env: Envelope): ActorState['network'] => {
    if (kind === 'unordered-duplicating') return (net as ISet<Envelope>).remove(env);
    if (kind === 'unordered-nonduplicating') {
      const m = net as IMap<Envelope, number>;
      const c = m.get(env) ?? 0;
      return c <= 1 ? m.remove(env) : m.set(env, c - 1);
    }
    const flow = Flow({ src: env.src, dst: env.dst });
    const m = net as IMap<Flow, List<unknown>>;
    const q = m.get(flow);
    if (!q) return m;
    const at = q.findIndex((x) => is(x, env.msg));
    const rest = at < 0 ? q : q.remove(at);
    return rest.size === 0 ? m.remove(flow) : m.set(flow, rest);
  };
  const deliverable = deliverableEnvelopes;

  const processCommands = (i: Id, out: Out, s: ActorState): ActorState => {
    if (out.commands.length === 0) return s;
    let history = s.history as H;
    let network = s.network;
    let timers = s.timers.get(i)!;
    let storage = s.storages.get(i);
    let storageSet = false;
    for (const c of out.commands) {
      switch (c.kind) {
        case 'send': {
          if (!Number.isInteger(c.dst) || c.dst < 0 || (c.dst >= n && !sys.allowUndeliverable)) {
            throw new ActorThrew(`actor ${nameOf(i)} sent ${show(c.msg)} to actor ${String(c.dst)}, which does not exist (actors are 0..${n - 1})`);
          }
          const env = Envelope({ src: i, dst: c.dst, msg: c.msg });
          if (hooks?.onSend) {
            const h = hooks.onSend(history, env);
            if (h !== undefined) history = h;
          }
          network = send(network, env);
          break;
        }
        case 'set-timer':
          timers = timers.add(c.timer);
          break;
        case 'cancel-timer':
          timers = timers.remove(c.timer);
          break;
        case 'save':
          storage = c.storage;
          storageSet = true;
          break;
      }
    }
    return s.withMutations((m) => {
      m.set('history', history).set('network', network).set('timers', s.timers.set(i, timers));
      if (storageSet) m.set('storages', s.storages.set(i, storage));
    });
  };

  // The initial state: actors start in Id order, each one's commands processed before the next starts.
  let init = ActorState({
    actors: List(),
    network: kind === 'unordered-duplicating' ? ISet() : IMap(),
    timers: List(Array.from({ length: n }, () => ISet())),
    crashed: List(Array.from({ length: n }, () => false)),
    history: hooks ? hooks.init : null,
    storages: List(Array.from({ length: n }, () => null)),
    paused: List(Array.from({ length: n }, () => false)),
  });
  try {
    for (let i = 0; i < n; i++) {
      const { state, out } = runStart(i, undefined);
      init = processCommands(i, out, init.set('actors', init.actors.push(state)));
    }
  } catch (e) {
    // Built before the engine runs anything: report it as the engine reports model code that throws.
    throw new QuorumError('MODEL_THREW', e instanceof Error ? e.message : String(e), 'the initial state');
  }

  const separated = (s: ActorState, a: Id, b: Id): boolean => {
    const p = s.partition;
    if (p === null) return false;
    const ga = p.findIndex((g) => g.has(a));
    const gb = p.findIndex((g) => g.has(b));
    return ga >= 0 && gb >= 0 && ga !== gb;
  };

  // Sender and receiver by name first, so fairness can name them (WF Deliver(c3, s0)); the envelope itself last.
  type EnvArgs = { src: string; dst: string; msg: unknown; env: Envelope };
  const envArgs = (e: Envelope): EnvArgs => ({ src: nameOf(e.src), dst: nameOf(e.dst), msg: e.msg, env: e });
  const envOf = (a: EnvArgs): Envelope => a.env;

  const actions: { [name: string]: ActionDef<ActorState, any> } = {};
  if (lossy) {
    actions.Drop = {
      params: (s: ActorState) => deliverable(s).map(envArgs),
      step: (s: ActorState, a: EnvArgs) => s.set('network', removeOne(s.network, envOf(a))),
      format: (a: EnvArgs) => `drop ${a.src}→${a.dst} ${show(a.msg)}`,
    };
  }
  actions.Deliver = {
    params: (s: ActorState) => {
      const out: EnvArgs[] = [];
      for (const e of deliverable(s)) {
        if (e.dst >= n || s.crashed.get(e.dst) || s.paused.get(e.dst) || separated(s, e.src, e.dst)) continue;
        out.push(envArgs(e));
      }
      return out;
    },
    step: (s: ActorState, a: EnvArgs) => {
      const env = envOf(a);
      const r = runMsg(env.dst, s.actors.get(env.dst), env.src, env.msg);
      if (!r.written && r.out.commands.length === 0 && kind !== 'ordered') return undefined; // ignored: no transition
      let history = s.history;
      if (hooks?.onDeliver) {
        const h = hooks.onDeliver(s.history as H, env);
        if (h !== undefined) history = h;
      }
      let next = s.withMutations((m) => {
        if (kind === 'unordered-duplicating') m.set('lastMsg', env);
        else m.set('network', removeOne(s.network, env));
        if (r.written) m.set('actors', s.actors.set(env.dst, r.state));
        m.set('history', history);
      });
      next = processCommands(env.dst, r.out, next);
      return next;
    },
    format: (a: EnvArgs) => `${a.src}→${a.dst} ${show(a.msg)}`,
  };
  if (sys.actors.some((a) => a.onTimeout)) actions.Timeout = {
    params: (s: ActorState) => {
      const out: { node: string; timer: unknown }[] = [];
      s.timers.forEach((ts, i) => {
        if (s.paused.get(i)) return;
        const guard = sys.actors[i]!.timerEnabled;
        ts.forEach((t) => void (guard && !guard(i, s.actors.get(i), t, s) ? undefined : out.push({ node: nameOf(i), timer: t })));
      });
      return out;
    },
    step: (s: ActorState, a: { node: string; timer: unknown }) => {
      const i = idOf.get(a.node)!;
      const r = runTimeout(i, s.actors.get(i), a.timer);
      const cs = r.out.commands;
      if (!r.written && cs.length === 1 && cs[0]!.kind === 'set-timer' && is(cs[0]!.timer, a.timer)) return undefined; // only re-armed
      let next = s.set('timers', s.timers.set(i, s.timers.get(i)!.remove(a.timer)));
      if (r.written) next = next.set('actors', next.actors.set(i, r.state));
      return processCommands(i, r.out, next);
    },
    format: (a: { node: string; timer: unknown }) => `timeout ${a.node} ${show(a.timer)}`,
  };
  const crashedCount = (s: ActorState) => s.crashed.count((c) => c);
  if (maxCrashes > 0) {
    actions.Crash = {
      params: (s: ActorState) => (crashedCount(s) < maxCrashes ? crashTargets.filter((i) => !s.crashed.get(i)).map((i) => ({ node: nameOf(i) })) : []),
      step: (s: ActorState, a: { node: string }) => {
        const i = idOf.get(a.node)!;
        return s.set('timers', s.timers.set(i, ISet())).set('crashed', s.crashed.set(i, true));
      },
      format: (a: { node: string }) => `crash ${a.node}`,
    };
    actions.Restart = {
      params: (s: ActorState) => crashTargets.filter((i) => s.crashed.get(i)).map((i) => ({ node: nameOf(i) })),
      step: (s: ActorState, a: { node: string }) => {
        const i = idOf.get(a.node)!;
        const { state, out } = runStart(i, s.storages.get(i));
        return processCommands(i, out, s.set('actors', s.actors.set(i, state)).set('crashed', s.crashed.set(i, false)));
      },
      format: (a: { node: string }) => `restart ${a.node}`,
    };
  }
  if (maxPartitions > 0) {
    actions.Partition = {
      params: (s: ActorState) => (s.partition === null && s.partitionsUsed < maxPartitions ? splits.map((split) => ({ split })) : []),
      step: (s: ActorState, a: { split: List<ISet<Id>> }) => s.set('partition', a.split).set('partitionsUsed', s.partitionsUsed + 1),
      format: (a: { split: List<ISet<Id>> }) => `partition ${showSplit(a.split, names)}`,
    };
    actions.Heal = {
      step: (s: ActorState) => (s.partition === null ? undefined : s.set('partition', null)),
      format: () => 'heal',
    };
  }
  if (maxPauses > 0) {
    actions.Pause = {
      params: (s: ActorState) => (s.pausesUsed < maxPauses ? targets.filter((i) => !s.paused.get(i) && !s.crashed.get(i)).map((i) => ({ node: nameOf(i) })) : []),
      step: (s: ActorState, a: { node: string }) => {
        const i = idOf.get(a.node)!;
        return s.set('paused', s.paused.set(i, true)).set('pausesUsed', s.pausesUsed + 1);
      },
      format: (a: { node: string }) => `pause ${a.node}`,
    };
    actions.Resume = {
      params: (s: ActorState) => targets.filter((i) => s.paused.get(i)).map((i) => ({ node: nameOf(i) })),
      step: (s: ActorState, a: { node: string }) => s.set('paused', s.paused.set(idOf.get(a.node)!, false)),
      format: (a: { node: string }) => `resume ${a.node}`,
    };
  }

  const historyColumn = sys.historyView && !names.includes('history') ? 'history' : undefined;
  const nodeView: NodeView<ActorState> = {
    nodes: historyColumn ? [...names, historyColumn] : names,
    view: (s, node) => {
      if (node === historyColumn) return sys.historyView!(s.history as H, names);
      const i = idOf.get(node)!;
      const st = s.actors.get(i);
      const fields: { [k: string]: unknown } =
        st !== null && typeof st === 'object' && 'toSeq' in (st as object) && (st as { _keys?: unknown })._keys
          ? { ...(st as unknown as { toObject(): { [k: string]: unknown } }).toObject() }
          : { state: st };
      const timers = s.timers.get(i)!;
      if (timers.size > 0) fields.timers = timers;
      if (s.storages.get(i) !== null) fields.storage = s.storages.get(i);
      if (s.crashed.get(i)) fields.crashed = true;
      if (s.paused.get(i)) fields.paused = true;
      return fields;
    },
  };
  const messageView: MessageView<ActorState> = {
    messages: (s) => deliverable(s),
    describe: (m) => {
      const e = m as Envelope;
      return { from: nameOf(e.src), to: nameOf(e.dst), label: show(e.msg) };
    },
  };

  return {
    init: [init],
    actions,
    invariants: sys.invariants,
    properties: sys.properties,
    constraints: sys.constraints,
    records: [ActorState, Envelope, Flow, ...(sys.records ?? [])],
    nodeView,
    messageView,
    showValue: (v) => (v instanceof Envelope ? show(v) : custom?.(v)),
    deliverable,
    names,
    kind,
    historyOf: (s) => s.history as H,
  };
}

function resolveSplits(family: PartitionFamily | readonly Split[], targets: readonly Id[], names: readonly string[], idOf: Map<string, Id>): List<ISet<Id>>[] {
  let groups: (readonly Id[])[][];
  if (typeof family === 'string') {
    if (family === 'isolate-one') groups = isolateOne(targets);
    else if (family === 'majority-minority') groups = majorityMinority(targets);
    else throw new QuorumError('CFG_INVALID', `unknown partition family '${String(family)}'; expected isolate-one, majority-minority or a set of splits`);
  } else {
    groups = family.map((split) =>
      split.map((g) =>
        g.map((name) => {
          const id = idOf.get(name);
          if (id === undefined) throw new QuorumError('CFG_INVALID', `partition split names ${name}, which is not an actor; actors are ${names.join(', ')}`);
          return id;
        }),
      ),
    );
  }
  return groups.map((split) => List(split.map((g) => ISet(g))));
}
