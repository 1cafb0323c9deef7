// SYMMETRY must count exactly one state per equivalence class (orbit). On random symmetric models,
// the count with symmetry equals the number of orbits of the full reachable set, computed by brute force.
import fc from 'fast-check';
import { List, Map as IMap, OrderedMap, Set as ISet, is } from 'immutable';
import { describe, expect, it } from 'vitest';
import { checkModel } from './index.js';
import { rename, symmetryRenamings } from './symmetry.js';
import { fingerprint, fingerprintRenamedInto } from './fingerprint.js';
import { defineModel } from '../model/model.js';

const PROCS = ['p1', 'p2', 'p3'];
type S = IMap<string, unknown>;

/** Processes with a local value in 0..K-1 and a shared counter in 0..G-1; one rule table for every process. */
function symmetricModel(K: number, G: number, rules: [number, number, number, number][]) {
  return defineModel({
    name: 'random-symmetric',
    constants: {},
    build() {
      return {
        init: [IMap<string, unknown>({ g: 0, local: IMap(PROCS.map((p) => [p, 0] as const)), last: null })],
        actions: {
          Step: {
            params: { p: PROCS, r: rules.map((_, i) => i) },
            step: (s: S, { p, r }: { p: string; r: number }) => {
              const [fromL, fromG, toL, toG] = rules[r]!;
              const local = s.get('local') as IMap<string, number>;
              if (local.get(p) !== fromL % K || s.get('g') !== fromG % G) return undefined;
              // `last` records which process moved: a model value inside the state, renamed by symmetry.
              return s.set('local', local.set(p, toL % K)).set('g', toG % G).set('last', p);
            },
          },
        },
      };
    },
  });
}

function reachable(def: ReturnType<typeof symmetricModel>, nRules: number): S[] {
  const inst = def.build({} as never);
  const seen = new Map<bigint, S>();
  const queue = [...inst.init];
  for (const s of queue) seen.set(fingerprint(s), s);
  for (let i = 0; i < queue.length; i++) {
    const s = queue[i]!;
    const step = inst.actions.Step!;
    for (const p of PROCS) {
      for (let r = 0; r < nRules; r++) {
        const t = step.step(s, { p, r }) as S | undefined;
        if (t && !seen.has(fingerprint(t))) {
          seen.set(fingerprint(t), t);
          queue.push(t);
        }
      }
    }
  }
  return [...seen.values()];
}

describe('symmetry reduction', () => {
  it('renames model values everywhere in a value', () => {
    const v = IMap({ a: 'p1', b: IMap({ p1: 'p2' }) });
    expect(is(rename(v, new Map([['p1', 'p2'], ['p2', 'p1']])), IMap({ a: 'p2', b: IMap({ p2: 'p1' }) }))).toBe(true);
    expect(symmetryRenamings([PROCS])).toHaveLength(5); // 3! permutations minus the identity
    expect(symmetryRenamings([['a', 'b'], ['x', 'y']])).toHaveLength(3);
  });

  it('fingerprints under a renaming equal the fingerprints of the renamed values', () => {
    const v = IMap({ a: 'p1', s: ISet(['p1', 'p2', 'x']), l: List(['p2', 'p3']), m: IMap({ p1: 'p3', p3: 1 }), o: OrderedMap({ p2: 'p1' }) });
    const out = new Uint32Array(2);
    const all = symmetryRenamings([PROCS]);
    for (const [k, r] of all.entries()) {
      fingerprintRenamedInto(v, all, k, out, 0);
      expect((BigInt(out[0]!) << 32n) | BigInt(out[1]!)).toBe(fingerprint(rename(v, r)));
    }
  });

  it('counts one state per orbit on random symmetric models', async () => {
    const rule = fc.tuple(fc.nat(5), fc.nat(5), fc.nat(5), fc.nat(5));
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.array(rule, { minLength: 1, maxLength: 8 }), async (K, G, rules) => {
        const def = symmetricModel(K, G, rules);
        const all = reachable(def, rules.length);
        const renamings = symmetryRenamings([PROCS]);
        const orbits = new Set<bigint>();
        for (const s of all) {
          let min = fingerprint(s);
          for (const r of renamings) {
            const f = fingerprint(rename(s, r));
            if (f < min) min = f;
          }
          orbits.add(min);
        }
        const plain = await checkModel(def, { constants: {}, checkDeadlock: false });
        const reduced = await checkModel(def, { constants: {}, checkDeadlock: false, symmetrySets: [PROCS] });
        expect(plain.distinctStates).toBe(all.length);
        expect(reduced.distinctStates).toBe(orbits.size);
      }),
      { numRuns: 40 },
    );
  });
});
