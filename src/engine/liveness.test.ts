// Liveness under fairness on small hand-made state graphs whose answers are known.
import { describe, expect, it } from 'vitest';
import { checkModel } from './index.js';
import { constant } from '../model/constants.js';
import { defineModel } from '../model/model.js';
import { alwaysEventually, eventually, eventuallyAlways, leadsTo, sometimes, always } from '../model/properties.js';
import type { Fairness } from '../model/properties.js';
import { fileURLToPath } from 'node:url';
import wide from './test-models/wide-levels.js';

// A ring 0 → 1 → 2 → 0 (Spin); Exit goes from ring state `exitFrom` (or every ring state) to 3, where P holds.
const ring = defineModel({
  name: 'ring',
  constants: { ExitEverywhere: constant.bool({ default: true }) },
  build({ ExitEverywhere }) {
    return {
      init: [0],
      actions: {
        Spin: { step: (x: number) => (x < 3 ? (x + 1) % 3 : undefined) },
        Exit: { step: (x: number) => (x < 3 && (ExitEverywhere || x === 0) ? 3 : undefined) },
        Done: { step: (x: number) => (x === 3 ? 3 : undefined) }, // stuttering: not a deadlock
      },
      properties: {
        EventuallyDone: eventually((x: number) => x === 3),
        InfinitelyOftenZero: alwaysEventually((x: number) => x === 0),
        EventuallyAlwaysDone: eventuallyAlways((x: number) => x === 3),
        OneLeadsToDone: leadsTo((x: number) => x === 1, (x: number) => x === 3),
        ReachesTwo: sometimes((x: number) => x === 2),
        ReachesFive: sometimes((x: number) => x === 5),
        NeverBackwards: always.step((s: number, t: number) => t === 0 || t > s),
        NoExitFromTwo: always.step((s: number, t: number) => !(s === 2 && t === 3)),
      },
    };
  },
});

const wf = (action: string): Fairness => ({ kind: 'weak', group: [{ action, args: [] }], text: `WF(${action})` });
const sf = (action: string): Fairness => ({ kind: 'strong', group: [{ action, args: [] }], text: `SF(${action})` });

async function check(property: string, fairness: Fairness[], exitEverywhere = true) {
  return checkModel(ring, { constants: { ExitEverywhere: exitEverywhere }, properties: [property], fairness });
}

describe('liveness', () => {
  it('without fairness, <>P fails by stuttering in the initial state', async () => {
    const r = await check('EventuallyDone', []);
    expect(r.violation?.kind).toBe('liveness');
    expect(r.violation?.stuttering).toBe(true);
    expect(r.violation?.trace.length).toBe(1);
  });

  it('with fairness of Spin only, <>P fails with a lasso through the ring', async () => {
    const r = await check('EventuallyDone', [wf('Spin')]);
    expect(r.violation?.kind).toBe('liveness');
    expect(r.violation?.stuttering).toBeUndefined();
    expect(r.violation?.loopStart).toBe(0);
    expect(r.violation?.trace.map((s) => s.state)).toEqual([0, 1, 2]);
    expect(r.violation?.loopAction).toBe('Spin');
  });

  it('WF of an action enabled everywhere on the ring forces the exit', async () => {
    const r = await check('EventuallyDone', [wf('Spin'), wf('Exit')]);
    expect(r.status).toBe('ok');
  });

  it('WF of an action enabled only sometimes does not force it; SF does', async () => {
    const weak = await check('EventuallyDone', [wf('Spin'), wf('Exit')], false);
    expect(weak.violation?.kind).toBe('liveness');
    expect(weak.violation?.loopStart).toBe(0);
    const strong = await check('EventuallyDone', [wf('Spin'), sf('Exit')], false);
    expect(strong.status).toBe('ok');
  });

  it('[]<>P, <>[]P and P ~> Q', async () => {
    // With WF(Exit) the run ends in 3 forever: 0 is not visited infinitely often.
    expect((await check('InfinitelyOftenZero', [wf('Spin'), wf('Exit')])).violation?.kind).toBe('liveness');
    expect((await check('InfinitelyOftenZero', [wf('Spin')])).violation?.kind).toBe('liveness'); // may stutter at 3… or exit
    expect((await check('EventuallyAlwaysDone', [wf('Spin'), wf('Exit')])).status).toBe('ok');
    expect((await check('EventuallyAlwaysDone', [wf('Spin')])).violation?.loopStart).toBeDefined();
    expect((await check('OneLeadsToDone', [wf('Spin'), wf('Exit')])).status).toBe('ok');
    const lt = await check('OneLeadsToDone', [wf('Spin')]);
    expect(lt.violation?.kind).toBe('liveness');
    expect(lt.violation?.trace.some((s) => s.state === 1)).toBe(true);
  });

  it('records the graph across tasks resumed after the seen table grew (in-process and 2 workers)', async () => {
    // 1 + 240 + 57,600 states: more than the initial seen table's headroom, so tasks stop mid-chunk.
    const modelPath = fileURLToPath(new URL('./test-models/wide-levels.ts', import.meta.url));
    const opts = { constants: { Width: 240 }, modelPath, checkDeadlock: false, properties: ['ReachesLastLevel'] };
    for (const workers of [0, 2]) {
      const fair = await checkModel(wide, { ...opts, workers, fairness: [wf('Branch')] });
      expect([fair.status, fair.distinctStates, fair.failure]).toEqual(['ok', 57_841, null]);
      expect(fair.seenTableBytes).toBeGreaterThan(8 * (1 << 16)); // it grew
      expect(fair.livenessGraphBytes).toBeGreaterThan(0);
    }
    const unfair = await checkModel(wide, opts);
    expect(unfair.violation).toMatchObject({ kind: 'liveness', stuttering: true });
    expect(unfair.violation?.trace.map((s) => s.state)).toEqual([0]);
  });

  it('reachability: a shortest witness, or a failure when nothing satisfies it', async () => {
    const yes = await check('ReachesTwo', []);
    expect(yes.status).toBe('ok');
    expect(yes.reachability).toHaveLength(1);
    expect(yes.reachability[0]!.holds).toBe(true);
    expect(yes.reachability[0]!.trace!.map((s) => s.state)).toEqual([0, 1, 2]);
    const no = await check('ReachesFive', []);
    expect(no.violation).toMatchObject({ kind: 'reachability', name: 'ReachesFive', trace: [] });
  });

  it('action properties: the offending step ends the trace', async () => {
    const r = await check('NeverBackwards', []);
    // 0 → 3 (Exit) is fine, 2 → 0 is allowed by the property; 3 → 3 stutters. Nothing violates it.
    expect(r.status).toBe('ok');
    const bad = await check('NoExitFromTwo', []);
    expect(bad.violation?.kind).toBe('action');
    expect(bad.violation?.trace.map((s) => s.action)).toEqual(['Init', 'Spin', 'Spin', 'Exit']);
  });
});
