// The explore search's breadth-first finisher, on the combination lock: walks rarely take its exact
// sequence of keys, a small breadth-first search from a state they reached does.
import { describe, expect, it } from 'vitest';
import { Map as IMap } from 'immutable';
import { CompiledModel } from '../engine/compiled-model.js';
import lock from './test-models/lock.js';
import { Finisher } from './finisher.js';
import { runSeed, type WalkSettings } from './search.js';
import { Expander } from './walk.js';
import { replayFinding } from './index.js';

function lockModel(length: number): CompiledModel<unknown> {
  return new CompiledModel<unknown>(lock as never, lock.build({ Length: length }) as never, { invariants: ['Locked'] });
}

describe('Finisher', () => {
  it('finds the shortest path to a violation, within its depth', () => {
    const model = lockModel(5);
    const ex = new Expander(model);
    expect(new Finisher(model, ex).run(IMap({ stage: 0 }), 3, 1000, null)).toBeUndefined();
    const hit = new Finisher(model, ex).run(IMap({ stage: 0 }), 4, 1000, null)!;
    // Four presses reach stage 4; expanding it finds the fifth key's successor violating Locked.
    expect(hit.steps.length).toBe(4);
    let s: unknown = IMap({ stage: 0 });
    for (const i of hit.steps) {
      ex.expand(s);
      s = ex.cands[i]!.t;
    }
    expect(s).toEqual(IMap({ stage: 4 }));
  });

  it('searches share the states reached: a state is expanded again only with more steps to go', () => {
    const model = lockModel(12);
    const f = new Finisher(model, new Expander(model));
    f.run(IMap({ stage: 0 }), 3, 1000, null);
    // Stages 0..3 expanded (stage 3 at the depth, expanded for its violations only).
    expect(f.expanded).toBe(4);
    f.run(IMap({ stage: 0 }), 3, 1000, null);
    expect(f.expanded).toBe(5); // only the start again
    f.run(IMap({ stage: 0 }), 5, 2, null);
    expect(f.expanded).toBe(7); // the budget: stages 0 and 1; stage 2 stays in the queue
    f.run(IMap({ stage: 2 }), 3, 1000, null);
    expect(f.expanded).toBe(11); // stage 2 was not expanded for 3 more steps: stages 2..5
  });
});

describe('explore with the finisher', () => {
  const settings = (finish: boolean): WalkSettings => ({ depth: 40, walks: 50, swarm: true, weighted: true, balance: 'action', explore: true, finish });

  it('opens the lock that 50 explore walks of the same seed do not, shortest, and replays it from seed and path', () => {
    const model = lockModel(8);
    expect(runSeed(model, settings(false), 4).finding).toBeUndefined();
    const r = runSeed(model, settings(true), 4);
    const f = r.finding!;
    expect(r.walks).toBe(1);
    expect(f.violation).toEqual({ kind: 'invariant', name: 'Locked', length: 9 });
    const again = runSeed(model, settings(true), 4, { path: f.path });
    expect(again.finding?.plan).toEqual(f.plan);
    const trace = replayFinding(model, settings(true), again.finding!);
    expect(trace.map((t) => t.actionName)).toEqual(['Init', ...Array(8).fill('Press')]);
    expect((trace.at(-1)!.state as IMap<string, number>).get('stage')).toBe(8);
  });
});
