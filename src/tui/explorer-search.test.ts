// The explorer's search for any property (invariants, action properties, reachability, deadlock)
// with a budget set in the prompt, and saving the path walked as a trace file `quorum trace` opens.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { CompiledModel } from '../engine/compiled-model.js';
import { always, sometimes } from '../model/properties.js';
import { defineModel } from '../model/model.js';
import { readTraceFile, type TraceFile } from '../trace/trace-file.js';
import { renderTraceText } from '../trace/render-text.js';
import lostUpdate from '../engine/test-models/lost-update.js';
import { parseSearch, searchTargets } from './explorer-core.js';
import { ExplorerSession } from './explorer-session.js';

// x counts 0..4 by Inc, Dec goes back one step; Twice doubles (a step the action property forbids).
const counter = defineModel({
  name: 'counter-props',
  constants: {},
  build: () => ({
    init: [0],
    actions: {
      Inc: { step: (x: number) => (x < 4 ? x + 1 : undefined) },
      Twice: { step: (x: number) => (x === 2 ? 4 : undefined) },
    },
    invariants: { Small: (x: number) => x < 9 },
    properties: { ByOne: always.step((x: number, y: number) => y - x <= 1), ReachesThree: sometimes((x: number) => x === 3) },
  }),
});

function session(opts: ConstructorParameters<typeof ExplorerSession>[1] = {}) {
  const m = new CompiledModel(counter, counter.build({} as never), { invariants: ['Small'] }) as CompiledModel<unknown>;
  return new ExplorerSession(m, opts);
}

function search(s: ExplorerSession, text: string): void {
  s.key('/', {});
  for (const ch of text) s.key(ch, {});
  s.key('', { return: true });
  s.finishSearch();
}

describe('explorer search', () => {
  test('targets: invariants, action and reachability properties, and deadlock', () => {
    expect(searchTargets(session().model)).toEqual(['Small', 'ByOne', 'ReachesThree', 'Deadlock']);
  });

  test('an action property: the shortest path ending with a step that violates it', () => {
    const s = session();
    search(s, 'ByOne');
    expect(s.history.map((e) => e.label ?? 'Init')).toEqual(['Init', 'Inc', 'Inc', 'Twice']);
    expect(s.message).toEqual({ text: 'Found a step violating ByOne, 3 steps away (searched 4 states).', color: 'red' });
  });

  test('a reachability property: a shortest witness; a deadlock: the state with no successor', () => {
    const s = session();
    search(s, 'ReachesThree');
    expect(s.history.map((e) => e.label ?? 'Init')).toEqual(['Init', 'Inc', 'Inc', 'Inc']);
    expect(s.message?.text).toMatch(/^Found a state satisfying ReachesThree, 3 steps away/);
    search(s, 'Deadlock');
    expect(s.history.at(-1)!.state).toBe(4);
    expect(s.message?.text).toMatch(/^Found a deadlock, 1 step away/);
  });

  test('a deadlock search skips terminal states', () => {
    const m = new CompiledModel(lostUpdate, lostUpdate.build({ Client: ['c1'], Atomic: true, Terminal: true } as never), {}) as CompiledModel<unknown>;
    const s = new ExplorerSession(m);
    search(s, 'Deadlock');
    expect(s.message?.text).toMatch(/^Nothing reachable from here is a deadlock \(all 2 states searched\)/);
  });

  test('the budget is set in the prompt, and a search past it suggests a larger one', () => {
    expect(parseSearch('Agreement 500k')).toEqual({ name: 'Agreement', budget: 500_000 });
    expect(parseSearch('Agreement 1,000')).toEqual({ name: 'Agreement', budget: 1000 });
    expect(parseSearch('Agreement')).toEqual({ name: 'Agreement' });
    expect(parseSearch('Agreement lots')).toEqual({ error: "the budget is a number of states (e.g. 500000 or 500k), got 'lots'" });
    const s = session();
    search(s, 'Deadlock 2');
    expect(s.message).toEqual({ text: 'No deadlock within 2 states (depth 1); a larger budget: / Deadlock 8', color: 'yellow' });
    expect(s.budget()).toBe(2);
    search(s, 'Deadlock 8');
    expect(s.message?.text).toMatch(/^Found a deadlock/);
  });
});

describe('saving the path', () => {
  test('w writes the path walked as a trace file that quorum trace reads', () => {
    const dir = mkdtempSync(join(tmpdir(), 'quorum-explorer-save-'));
    let saved: TraceFile | undefined;
    const s = session({
      spec: 'counter.cfg',
      save: (t) => {
        saved = t;
        const file = join(dir, 'path.json');
        writeFileSync(file, JSON.stringify(t));
        return file;
      },
    });
    s.key('', { return: true }); // Inc
    s.key('', { return: true }); // Inc
    s.key('w', {});
    expect(s.message).toEqual({ text: `Saved the path (3 states) to ${join(dir, 'path.json')}: quorum trace ${join(dir, 'path.json')} opens it.`, color: 'green' });
    const back = readTraceFile(join(dir, 'path.json'));
    expect(back).toEqual(saved);
    expect(back.violation).toEqual({ kind: 'path', name: 'explored' });
    expect(back.trace.map((x) => [x.action, x.actionName])).toEqual([['Init', 'Init'], ['Inc', 'Inc'], ['Inc', 'Inc']]);
    expect(renderTraceText(back).split('\n')[0]).toBe('A path saved from the explorer. It has 3 states (2 steps):');
  });

  test('without a place to save, it says so', () => {
    const s = session();
    s.key('w', {});
    expect(s.message?.text).toBe('Saving is not available here.');
  });
});
