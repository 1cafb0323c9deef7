// The nemesis: partitions from a family, heal, crash and restart (volatile state lost, durable kept,
// timers reset), pause and resume; trace labels; bad configuration.
import { Set as ISet } from 'immutable';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkModel, checkSpec } from '../engine/index.js';
import { defineModel } from '../model/model.js';
import { isolateOne, majorityMinority } from './nemesis.js';
import { actorModel, type ActorState, type Actor, type CompiledActorSystem } from './system.js';

/** Node 0 greets nodes 1 and 2 at start; a node counts greetings in its volatile state and saves the count. */
const node: Actor<number, string, string, number> = {
  onStart(id, out, storage) {
    if (id === 0 && storage === undefined) {
      out.broadcast([1, 2], 'hi');
      out.save(0); // so that a restart does not greet again (the space stays finite)
    }
    out.setTimer('tick');
    return storage ?? 0;
  },
  onMsg(_id, n, _src, msg, out) {
    if (msg !== 'hi') return undefined;
    out.save(n + 1);
    return n + 1;
  },
  onTimeout: () => undefined,
};

function system(nemesis: Parameters<typeof actorModel>[0]['nemesis']): CompiledActorSystem<unknown> {
  return actorModel({ actors: [node, node, node], nemesis });
}

type Step = { label: string; state: ActorState };
function steps(m: CompiledActorSystem<unknown>, s: ActorState): Step[] {
  const out: Step[] = [];
  for (const def of Object.values(m.actions)) {
    const argsList = typeof def.params === 'function' ? [...def.params(s)] : def.params === undefined ? [{}] : [];
    for (const a of argsList) {
      const t = def.step(s, a);
      if (t) out.push({ label: def.format!(a), state: t as ActorState });
    }
  }
  return out;
}
const take = (m: CompiledActorSystem<unknown>, s: ActorState, label: string) => {
  const st = steps(m, s).find((x) => x.label === label);
  if (!st) throw new Error(`no step ${label}; there are ${steps(m, s).map((x) => x.label).join(', ')}`);
  return st.state;
};

describe('partition families', () => {
  it('isolate-one and majority-minority', () => {
    expect(isolateOne([0, 1, 2])).toEqual([[[0], [1, 2]], [[1], [0, 2]], [[2], [0, 1]]]);
    expect(majorityMinority([0, 1, 2, 3]).length).toBe(4);
    expect(majorityMinority([0, 1, 2, 3, 4]).map((s) => s[0]!.length)).toEqual([1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2]);
  });
});

describe('nemesis actions', () => {
  it('a partition blocks delivery across its cut (messages wait), heal restores it; trace labels', () => {
    const m = system({ maxPartitions: 1, partitions: 'isolate-one' });
    const s0 = m.init[0]!;
    const labels = steps(m, s0).map((x) => x.label);
    expect(labels).toEqual(expect.arrayContaining(['n0→n1 hi', 'n0→n2 hi', 'partition {n0} | {n1, n2}', 'partition {n1} | {n0, n2}', 'partition {n2} | {n0, n1}']));
    const cut = take(m, s0, 'partition {n1} | {n0, n2}');
    const after = steps(m, cut).map((x) => x.label);
    expect(after).toContain('n0→n2 hi');
    expect(after).not.toContain('n0→n1 hi');
    expect(after).toContain('heal');
    expect(after.filter((l) => l.startsWith('partition'))).toEqual([]); // the budget is spent
    const healed = take(m, cut, 'heal');
    expect(steps(m, healed).map((x) => x.label)).toContain('n0→n1 hi');
    expect(steps(m, healed).map((x) => x.label).filter((l) => l.startsWith('partition'))).toEqual([]);
  });

  it('an explicit list of splits', () => {
    const m = system({ maxPartitions: 2, partitions: [[['n0', 'n1'], ['n2']]] });
    expect(steps(m, m.init[0]!).map((x) => x.label).filter((l) => l.startsWith('partition'))).toEqual(['partition {n0, n1} | {n2}']);
    expect(() => system({ maxPartitions: 1, partitions: [[['n0'], ['n9']]] })).toThrow(/n9, which is not an actor/);
    expect(() => system({ maxPartitions: 1, partitions: 'halves' as never })).toThrow(/unknown partition family 'halves'/);
  });

  it('crash keeps nothing running; restart loses volatile state, keeps durable storage, re-arms only what onStart arms', () => {
    const m = system({ maxCrashes: 1 });
    let s = take(m, m.init[0]!, 'n0→n1 hi');
    expect(s.actors.get(1)).toBe(1);
    expect(s.storages.get(1)).toBe(1);
    s = take(m, s, 'timeout n1 tick');
    expect(s.timers.get(1)!.size).toBe(0);
    const crashed = take(m, s, 'crash n1');
    expect(crashed.crashed.get(1)).toBe(true);
    expect(crashed.timers.get(1)!.size).toBe(0);
    const labels = steps(m, crashed).map((x) => x.label);
    expect(labels.filter((l) => l.startsWith('crash'))).toEqual([]); // at most one crashed at a time
    expect(labels).toContain('restart n1');
    const restarted = take(m, crashed, 'restart n1');
    expect(restarted.actors.get(1)).toBe(1); // from storage
    expect(restarted.timers.get(1)).toEqual(ISet(['tick']));
    // A crashed node gets no delivery.
    const c2 = take(m, m.init[0]!, 'crash n2');
    expect(steps(m, c2).map((x) => x.label)).not.toContain('n0→n2 hi');
  });

  it('a paused node takes no step (no delivery, no timeout) while the others move on', () => {
    const m = system({ maxPauses: 1 });
    const paused = take(m, m.init[0]!, 'pause n1');
    const labels = steps(m, paused).map((x) => x.label);
    expect(labels).not.toContain('n0→n1 hi');
    expect(labels).not.toContain('timeout n1 tick');
    expect(labels).toContain('n0→n2 hi');
    expect(labels).toContain('timeout n2 tick');
    expect(labels).toContain('resume n1');
    expect(labels.filter((l) => l.startsWith('pause'))).toEqual([]);
    expect(steps(m, take(m, paused, 'resume n1')).map((x) => x.label)).toContain('n0→n1 hi');
  });

  it('whole state spaces stay finite and deterministic', async () => {
    const def = defineModel({ name: 'nemesis', constants: {}, build: () => system({ maxPartitions: 1, maxCrashes: 1, maxPauses: 1 }) });
    const r = await checkModel(def, { constants: {}, workers: 0, checkDeadlock: false });
    expect(r.status).toBe('ok');
    const again = await checkModel(def, { constants: {}, workers: 0, checkDeadlock: false });
    expect(again.distinctStates).toBe(r.distinctStates);
  });
});

describe('network and nemesis constants in .cfg', () => {
  const dir = mkdtempSync(join(tmpdir(), 'quorum-actor-'));
  const write = (name: string, body: string) => {
    const f = join(dir, name);
    writeFileSync(f, `MODEL single-copy-register\nCONSTANTS\n  Servers = 1\n  Clients = 2\n${body}\nINVARIANT Linearizable\nCHECK_DEADLOCK FALSE\n`);
    return f;
  };
  it('an unknown network kind is a CONSTANT_TYPE error at its line', async () => {
    await expect(checkSpec(write('net.cfg', '  Network = "tcp"'), { workers: 0 })).rejects.toMatchObject({ code: 'CONSTANT_TYPE', where: expect.stringMatching(/net\.cfg:5/) });
    await expect(checkSpec(write('net.cfg', '  Network = "tcp"'), { workers: 0 })).rejects.toThrow(/unknown network kind "tcp"/);
  });
  it('an unknown partition family is a CONSTANT_TYPE error at its line', async () => {
    await expect(checkSpec(write('part.cfg', '  MaxPartitions = 1\n  Partitions = "halves"'), { workers: 0 })).rejects.toMatchObject({ code: 'CONSTANT_TYPE', where: expect.stringMatching(/part\.cfg:6/) });
  });
  it('the duplicating network keeps the last delivered message in the state (1 server: the reference figure 1,323 reachable)', async () => {
    const inst = (await import('../../models/single-copy-register.js')).default;
    const whole = await checkModel(inst, {
      constants: { Servers: 1, Clients: 2, Network: 'unordered-duplicating', Lossy: false, MaxCrashes: 0, MaxPartitions: 0, Partitions: 'isolate-one', MaxPauses: 0 },
      workers: 0,
      checkDeadlock: false,
    });
    expect(whole.distinctStates).toBe(1323);
  });
  it('explicit splits from the .cfg', async () => {
    const r = await checkSpec(write('split.cfg', '  MaxPartitions = 1\n  Partitions = {{{s0}, {c1}}}'), { workers: 0 });
    expect(r.status).toBe('ok');
    expect(r.coverage.find((c) => c.action === 'Partition')!.fired).toBeGreaterThan(0);
  });
});

describe('networks', () => {
  it('ordered: only the head of each channel is deliverable; lossy: every deliverable message can be dropped', () => {
    const two: Actor<number> = {
      onStart(id, out) {
        if (id === 0) {
          out.send(1, 'first');
          out.send(1, 'second');
        }
        return 0;
      },
      onMsg: (_id, n) => n + 1,
    };
    const m = actorModel({ actors: [two, two], network: { kind: 'ordered', lossy: true } });
    expect(steps(m, m.init[0]!).map((x) => x.label)).toEqual(['drop n0→n1 first', 'n0→n1 first']);
    const after = take(m, m.init[0]!, 'drop n0→n1 first');
    expect(steps(m, after).map((x) => x.label)).toEqual(['drop n0→n1 second', 'n0→n1 second']);
    const empty = take(m, after, 'drop n0→n1 second');
    expect(empty.network.size).toBe(0); // an empty channel leaves the state
  });

  it('a lossy network breaks "every operation eventually completes" even with fair delivery', async () => {
    const singleCopy = (await import('../../models/single-copy-register.js')).default;
    const constants = { Servers: 1, Clients: 1, Network: 'unordered-nonduplicating', MaxCrashes: 0, MaxPartitions: 0, Partitions: 'isolate-one', MaxPauses: 0 };
    const fairness = [{ kind: 'weak' as const, group: [{ action: 'Deliver', args: [] }], text: 'WF(Deliver)' }];
    const lossless = await checkModel(singleCopy, { constants: { ...constants, Lossy: false }, properties: ['OperationsComplete'], fairness, workers: 0, checkDeadlock: false });
    expect(lossless.status).toBe('ok');
    const lossy = await checkModel(singleCopy, { constants: { ...constants, Lossy: true }, properties: ['OperationsComplete'], fairness, workers: 0, checkDeadlock: false });
    expect(lossy.status).toBe('violation');
    expect(lossy.violation!.trace.map((t) => t.action)).toEqual(['Init', "drop c1→s0 Put(1, 'A')"]);
  });
});
