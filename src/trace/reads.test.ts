// The variables a violated property reads, highlighted in the violating state: a lost update writes
// 1 over 1, so its last step changes no count, and the count must still be visible and marked.
import { Map as IMap } from 'immutable';
import { describe, expect, it } from 'vitest';
import { CompiledModel } from '../engine/compiled-model.js';
import { checkModel } from '../engine/index.js';
import { always } from '../model/properties.js';
import { defineModel } from '../model/model.js';
import lostUpdate from '../engine/test-models/lost-update.js';
import { variablesRead } from './reads.js';
import { renderTraceText } from './render-text.js';
import { buildTraceFile } from './trace-file.js';

describe('the violating state', () => {
  it('a lost update: the last step changes no count, and the count is shown in full and marked', async () => {
    const r = await checkModel(lostUpdate, { constants: { Client: ['c1', 'c2'] }, invariants: ['AllCounted'] });
    const v = r.violation!;
    const t = buildTraceFile(r.compiled as CompiledModel<unknown>, v, v.trace);
    expect(t.violation.reads).toEqual(['count', 'pc']);
    const last = t.trace.at(-1)!;
    expect(last.changes.map((c) => c.path.join('.'))).not.toContain('count');
    const text = renderTraceText(t).split('\n');
    const at = text.indexOf('The violating state (state 5) in full (» marks what AllCounted reads):');
    expect(at).toBeGreaterThan(0);
    expect(text.slice(at + 1)).toEqual(['» count = 1', '  tmp = [c1 |-> 0, c2 |-> 0]', '» pc = [c1 |-> done, c2 |-> done]']);
  });

  it('an action property reads both states; get, getIn and fields are followed', () => {
    const m = defineModel({
      name: 'reads',
      constants: {},
      build: () => ({
        init: [],
        actions: {},
        invariants: { ByGet: (s: any) => s.get('x') < 1, ByPath: (s: any) => s.getIn(['y', 'k']) === undefined },
        properties: { Step: always.step((s: any, t: any) => s.z <= t.z) },
      }),
    });
    const s = IMap({ x: 1, y: IMap({ k: 2 }), z: 3 });
    const compiled = new CompiledModel(m, m.build({} as never), {}) as CompiledModel<unknown>;
    expect(variablesRead(compiled, { kind: 'invariant', name: 'ByGet' }, [s])).toEqual(['x']);
    expect(variablesRead(compiled, { kind: 'invariant', name: 'ByPath' }, [s])).toEqual(['y']);
    expect(variablesRead(compiled, { kind: 'action', name: 'Step' }, [s, s.set('z', 2)])).toEqual(['z']);
    // Not known: a deadlock reads nothing; a state without variables has none to mark.
    expect(variablesRead(compiled, { kind: 'deadlock', name: 'Deadlock' }, [s])).toBeUndefined();
    expect(variablesRead(compiled, { kind: 'invariant', name: 'ByGet' }, [3])).toBeUndefined();
  });
});
