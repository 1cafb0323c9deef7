// The liveness analysis on the graph the search records (live-graph.ts, liveness.ts) against the one it
// replaced (a second exploration keeping states and edge objects, test-models/liveness-reference.ts), on
// random small models with random fairness: the same verdict and the same counterexample, step by step.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkModel } from './index.js';
import { CompiledModel } from './compiled-model.js';
import { buildGraph, checkLiveness as referenceCheck } from './test-models/liveness-reference.js';
import { defineModel } from '../model/model.js';
import { alwaysEventually, eventually, eventuallyAlways, leadsTo, type Fairness, type Property } from '../model/properties.js';

interface Shape {
  states: number;
  init: number[];
  /** next[action][p][state]: the successors of `state` by action(p). */
  next: number[][][][];
  p: boolean[];
  q: boolean[];
  fairness: { strong: boolean; members: { action: number; p: number | null }[] }[];
  /** Steps to states >= limit are cut by a CONSTRAINT. */
  limit: number;
}

const ACTIONS = 3;

const shape: fc.Arbitrary<Shape> = fc.integer({ min: 1, max: 7 }).chain((states) =>
  fc.record({
    states: fc.constant(states),
    init: fc.uniqueArray(fc.nat(states - 1), { minLength: 1, maxLength: 2 }),
    next: fc.array(fc.array(fc.array(fc.array(fc.nat(states - 1), { maxLength: 2 }), { minLength: states, maxLength: states }), { minLength: 2, maxLength: 2 }), {
      minLength: ACTIONS,
      maxLength: ACTIONS,
    }),
    p: fc.array(fc.boolean(), { minLength: states, maxLength: states }),
    q: fc.array(fc.boolean(), { minLength: states, maxLength: states }),
    fairness: fc.array(
      fc.record({
        strong: fc.boolean(),
        members: fc.array(fc.record({ action: fc.nat(ACTIONS - 1), p: fc.option(fc.nat(1)) }), { minLength: 1, maxLength: 2 }),
      }),
      { maxLength: 4 },
    ),
    limit: fc.oneof(fc.constant(states), fc.integer({ min: 1, max: states })),
  }),
);

function modelOf(sh: Shape) {
  const actions: Record<string, { params: { p: number[] }; step: (s: number, a: { p: number }) => number[] }> = {};
  for (let a = 0; a < ACTIONS; a++) actions[`A${a}`] = { params: { p: [0, 1] }, step: (s, { p }) => sh.next[a]![p]![s]! };
  return defineModel({
    name: 'random-graph',
    constants: {},
    build() {
      return {
        init: sh.init.filter((s) => s < sh.limit).length > 0 ? sh.init : [...sh.init, 0],
        actions,
        constraints: { Below: (s: number) => s < sh.limit },
        properties: {
          EventuallyP: eventually((s: number) => sh.p[s]!),
          InfinitelyOftenP: alwaysEventually((s: number) => sh.p[s]!),
          EventuallyAlwaysP: eventuallyAlways((s: number) => sh.p[s]!),
          PLeadsToQ: leadsTo((s: number) => sh.p[s]!, (s: number) => sh.q[s]!),
        },
      };
    },
  });
}

const fairnessOf = (sh: Shape): Fairness[] =>
  sh.fairness.map((f) => ({
    kind: f.strong ? 'strong' : 'weak',
    group: f.members.map((m) => ({ action: `A${m.action}`, args: m.p === null ? [] : [m.p] })),
    text: 'random',
  }));

const PROPERTIES = ['EventuallyP', 'InfinitelyOftenP', 'EventuallyAlwaysP', 'PLeadsToQ'];

describe('liveness on the recorded graph, against the previous analysis', () => {
  it('gives the same verdict and counterexample on random models with random fairness', async () => {
    await fc.assert(
      fc.asyncProperty(shape, fc.constantFrom(...PROPERTIES), async (sh, property) => {
        const def = modelOf(sh);
        const fairness = fairnessOf(sh);
        const opts = { properties: [property], fairness, constraints: ['Below'], checkDeadlock: false };
        const instance = def.build({} as never);
        const compiled = new CompiledModel(def, instance, opts);
        const ref = referenceCheck(compiled, buildGraph(compiled), property, compiled.liveness[0]![1] as Property<number>);
        const r = await checkModel(def, { constants: {}, ...opts });
        expect(r.failure).toBeNull();
        if (ref === undefined) {
          expect(r.status).toBe('ok');
          return;
        }
        expect(r.violation?.kind).toBe('liveness');
        const v = r.violation!;
        expect(v.trace.map((s) => [s.action, s.state])).toEqual(ref.trace.map((s) => [s.action, s.state]));
        expect(v.loopStart).toBe(ref.loopStart);
        expect(v.stuttering).toBe(ref.stuttering);
        expect(v.loopAction).toBe(ref.loopAction);
      }),
      { numRuns: 250 },
    );
  });
});
