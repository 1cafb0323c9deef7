// The explorer against a plain reference BFS on random small transition systems, with TLC's
// conventions (../shared/reference/tlc-conventions.md): distinct states (initial ones included),
// depth in levels (initial states at level 1), states generated (initial states plus every successor,
// duplicates included), CONSTRAINT (a violating successor is generated and checked against the
// invariants but neither stored nor expanded), deadlock (no successor at all), and a shortest
// counterexample. Like the engine, the reference finishes the level it is expanding when it finds a
// violation, so the counts on a violation are those of every level through the violating state's.
import fc from 'fast-check';
import { List, Map as IMap, Record, Set as ISet, is } from 'immutable';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkModel, type CheckResult } from './index.js';
import { fingerprintHex } from './fingerprint.js';
import { defineModel, type ModelDefinition } from '../model/model.js';
import twoPhase from '../../models/two-phase-commit.js';
import throwing from './test-models/throwing.js';
import jumpy from './test-models/jumpy.js';

// ---------------------------------------------------------------------------------------------------
// Random transition systems: states 0..n-1, actions A0..Ak with a parameter p, and a successor table.

type Repr = 'int' | 'map' | 'record';
type Disabled = 'undefined' | 'null' | 'false' | 'array';

interface Sys {
  n: number;
  /** Initial states, possibly repeated. */
  init: number[];
  /** table[p][x]: the successors of x under action(p), possibly repeated. */
  actions: { table: number[][][]; disabled: Disabled; bareSingle: boolean }[];
  /** INVARIANT Inv: the state is not in `bad` (null: no invariant selected). */
  bad: number[] | null;
  /** CONSTRAINT C: the state is not in `cut`. */
  cut: number[] | null;
  /** ACTION_CONSTRAINT AC: the step x -> y is not in `forbid`. */
  forbid: [number, number][] | null;
  checkDeadlock: boolean;
  repr: Repr;
}

const sysArb: fc.Arbitrary<Sys> = fc.integer({ min: 1, max: 16 }).chain((n) => {
  const st = fc.nat(n - 1);
  // Initial states mostly low, bad and cut states mostly high: violations at every depth.
  const low = fc.oneof({ arbitrary: fc.nat(Math.min(2, n - 1)), weight: 4 }, { arbitrary: st, weight: 1 });
  const high = fc.oneof({ arbitrary: fc.integer({ min: Math.min(3, n - 1), max: n - 1 }), weight: 4 }, { arbitrary: st, weight: 1 });
  const succs = fc.oneof({ arbitrary: fc.constant<number[]>([]), weight: 2 }, { arbitrary: fc.array(st, { minLength: 1, maxLength: 3 }), weight: 3 });
  const action = fc.integer({ min: 1, max: 3 }).chain((P) =>
    fc.record({
      table: fc.array(fc.array(succs, { minLength: n, maxLength: n }), { minLength: P, maxLength: P }),
      disabled: fc.constantFrom<Disabled>('undefined', 'null', 'false', 'array'),
      bareSingle: fc.boolean(),
    }),
  );
  return fc.record({
    n: fc.constant(n),
    init: fc.array(low, { minLength: 1, maxLength: 3 }),
    actions: fc.array(action, { minLength: 1, maxLength: 3 }),
    bad: fc.option(fc.uniqueArray(high, { maxLength: 3 }), { nil: null, freq: 3 }),
    cut: fc.option(fc.uniqueArray(high, { maxLength: 4 }), { nil: null, freq: 2 }),
    forbid: fc.option(fc.array(fc.tuple(st, st), { maxLength: 8 }), { nil: null, freq: 2 }),
    checkDeadlock: fc.boolean(),
    repr: fc.constantFrom<Repr>('int', 'map', 'record'),
  });
});

const XRec = Record({ x: 0, tag: List<number>() }, 'XRec');

function encoder(repr: Repr): (x: number) => unknown {
  if (repr === 'int') return (x) => x;
  if (repr === 'map') return (x) => IMap({ x, parity: ISet([x % 2]) });
  return (x) => XRec({ x, tag: List([x % 3]) });
}
const decode = (s: unknown): number => (typeof s === 'number' ? s : ((s as IMap<string, number>).get('x') as number));

function modelOf(sys: Sys): ModelDefinition<any, unknown> {
  const enc = encoder(sys.repr);
  const bad = new Set(sys.bad ?? []);
  const cut = new Set(sys.cut ?? []);
  const forbid = new Set((sys.forbid ?? []).map(([a, b]) => `${a}>${b}`));
  const disabledValue = (d: Disabled) => (d === 'undefined' ? undefined : d === 'null' ? null : d === 'false' ? false : []);
  return defineModel({
    name: 'random-system',
    constants: {},
    build() {
      return {
        init: sys.init.map(enc),
        actions: Object.fromEntries(
          sys.actions.map((a, i) => [
            `A${i}`,
            {
              params: { p: a.table.map((_, p) => p) },
              step: (s: unknown, { p }: { p: number }) => {
                const succ = a.table[p]![decode(s)]!;
                if (succ.length === 0) return disabledValue(a.disabled);
                if (succ.length === 1 && a.bareSingle) return enc(succ[0]!);
                return succ.map(enc);
              },
            },
          ]),
        ),
        invariants: { Inv: (s: unknown) => !bad.has(decode(s)) },
        constraints: { C: (s: unknown) => !cut.has(decode(s)) },
        actionConstraints: { AC: (s: unknown, t: unknown) => !forbid.has(`${decode(s)}>${decode(t)}`) },
        records: [XRec],
      };
    },
  });
}

// ---------------------------------------------------------------------------------------------------
// The reference: a direct BFS over the successor table.

interface RefViolation {
  kind: 'deadlock' | 'invariant';
  level: number;
  state: number;
}

interface RefResult {
  distinct: number;
  generated: number;
  depth: number;
  queue: number;
  /** BFS level of each stored state. */
  levelOf: Map<number, number>;
  fired: number[];
  fresh: number[];
  violations: RefViolation[];
}

function forbiddenStep(sys: Sys, x: number, y: number): boolean {
  return sys.forbid !== null && sys.forbid.some(([a, b]) => a === x && b === y);
}

function referenceBfs(sys: Sys): RefResult {
  const bad = (x: number) => sys.bad !== null && sys.bad.includes(x);
  const cut = (x: number) => sys.cut !== null && sys.cut.includes(x);
  const forbidden = (x: number, y: number) => forbiddenStep(sys, x, y);
  const levelOf = new Map<number, number>();
  const violations: RefViolation[] = [];
  const fired = sys.actions.map(() => 0);
  const fresh = sys.actions.map(() => 0);
  let generated = 0;
  let frontier: number[] = [];
  for (const x of sys.init) {
    generated++;
    if (cut(x)) {
      // Not stored, but checked against the invariants.
      if (bad(x)) violations.push({ kind: 'invariant', level: 1, state: x });
      continue;
    }
    if (!levelOf.has(x)) {
      levelOf.set(x, 1);
      frontier.push(x);
      if (bad(x)) violations.push({ kind: 'invariant', level: 1, state: x });
    }
  }
  let depth = frontier.length > 0 ? 1 : 0;
  let level = 1;
  while (frontier.length > 0 && violations.length === 0) {
    const next: number[] = [];
    for (const x of frontier) {
      let successors = 0;
      sys.actions.forEach((a, i) => {
        for (const row of a.table) {
          for (const y of row[x]!) {
            generated++;
            fired[i]!++;
            successors++; // a step discarded by the action constraint is still a successor
            // A state reached by a step the action constraint discards, or cut by the constraint, is not
            // stored, but it is checked against the invariants (TLC's ModelChecker.doNext).
            if (forbidden(x, y) || cut(y)) {
              if (bad(y)) violations.push({ kind: 'invariant', level: level + 1, state: y });
              continue;
            }
            if (!levelOf.has(y)) {
              levelOf.set(y, level + 1);
              fresh[i]!++;
              next.push(y);
              if (bad(y)) violations.push({ kind: 'invariant', level: level + 1, state: y });
            }
          }
        }
      });
      if (successors === 0 && sys.checkDeadlock) violations.push({ kind: 'deadlock', level, state: x });
    }
    if (next.length > 0) depth = level + 1;
    frontier = next;
    level++;
  }
  return { distinct: levelOf.size, generated, depth, queue: violations.length > 0 ? frontier.length : 0, levelOf, fired, fresh, violations };
}

/** The violation a BFS must report: lowest level, then deadlock before invariant; among equals, any state. */
function expectedViolation(ref: RefResult): { kind: RefViolation['kind']; level: number; states: Set<number> } | null {
  if (ref.violations.length === 0) return null;
  const order = { deadlock: 0, invariant: 1 };
  let best = ref.violations[0]!;
  for (const v of ref.violations) if (v.level < best.level || (v.level === best.level && order[v.kind] < order[best.kind])) best = v;
  const states = new Set(ref.violations.filter((v) => v.level === best.level && v.kind === best.kind).map((v) => v.state));
  return { kind: best.kind, level: best.level, states };
}

function checkRandom(sys: Sys): Promise<CheckResult<unknown>> {
  return checkModel(modelOf(sys), {
    constants: {},
    invariants: sys.bad !== null ? ['Inv'] : [],
    constraints: sys.cut !== null ? ['C'] : [],
    actionConstraints: sys.forbid !== null ? ['AC'] : [],
    checkDeadlock: sys.checkDeadlock,
    workers: 0,
  });
}

describe('explore: against a reference BFS on random transition systems', () => {
  it('same counts, verdict, coverage and a shortest valid counterexample', async () => {
    await fc.assert(
      fc.asyncProperty(sysArb, async (sys) => {
        const r = await checkRandom(sys);
        const ref = referenceBfs(sys);
        const want = expectedViolation(ref);
        expect(r.failure).toBeNull();
        expect(r.status).toBe(want ? 'violation' : 'ok');
        expect(r.distinctStates).toBe(ref.distinct);
        expect(r.depth).toBe(ref.depth);
        expect(r.statesGenerated).toBe(ref.generated);
        expect(r.queue).toBe(ref.queue);
        expect(r.coverage.map((c) => c.fired)).toEqual(ref.fired);
        expect(r.coverage.map((c) => c.distinct)).toEqual(ref.fresh);
        expect(r.coverage.map((c) => c.action)).toEqual(sys.actions.map((_, i) => `A${i}`));
        if (!want) {
          expect(r.violation).toBeNull();
          return;
        }
        const v = r.violation!;
        expect(v.kind).toBe(want.kind);
        expect(v.name).toBe(want.kind === 'deadlock' ? 'Deadlock' : 'Inv');
        // Shortest: the trace has as many states as the violating state's level.
        const trace = v.trace.map((s) => decode(s.state));
        expect(trace).toHaveLength(want.level);
        const last = trace[trace.length - 1]!;
        expect(want.states.has(last)).toBe(true);
        // Among equally short violations, the engine reports the one with the smallest fingerprint.
        const enc = encoder(sys.repr);
        const smallest = [...want.states].sort((a, b) => (fingerprintHex(enc(a)) < fingerprintHex(enc(b)) ? -1 : 1))[0];
        expect(last).toBe(smallest);
        // A valid path: an initial state, then successors by the named action and argument.
        expect(v.trace[0]!.action).toBe('Init');
        expect(sys.init).toContain(trace[0]);
        for (let i = 1; i < trace.length; i++) {
          const step = v.trace[i]!;
          const a = Number(step.actionName.slice(1));
          const p = step.args.p as number;
          expect(step.action).toBe(`A${a}(${p})`);
          expect(sys.actions[a]!.table[p]![trace[i - 1]!]).toContain(trace[i]);
          // Only the last step may be one the action constraint discards.
          if (i < trace.length - 1) expect(forbiddenStep(sys, trace[i - 1]!, trace[i]!)).toBe(false);
        }
        // Every state before the last is stored at its BFS level (so no shorter path exists), and
        // is neither cut by the constraint nor a violation itself.
        for (let i = 0; i < trace.length - 1; i++) {
          expect(ref.levelOf.get(trace[i]!)).toBe(i + 1);
          expect(sys.bad?.includes(trace[i]!) ?? false).toBe(false);
        }
        if (want.kind === 'deadlock') {
          expect(sys.actions.every((a) => a.table.every((row) => row[last]!.length === 0))).toBe(true);
        } else {
          expect(sys.bad).toContain(last);
          // The violating state is stored at its level, or a successor the constraint cut, or reached by
          // a step the action constraint discards.
          const before = trace[trace.length - 2];
          if (before !== undefined && forbiddenStep(sys, before, last)) expect(ref.levelOf.get(before)).toBe(want.level - 1);
          else if (ref.levelOf.has(last)) expect(ref.levelOf.get(last)).toBe(want.level);
          else expect(sys.cut).toContain(last);
        }
        // The trace's states are the model's own values (decoded from the frontier).
        if (sys.repr !== 'int') for (const s of v.trace) expect(is(s.state, enc(decode(s.state)))).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('levels of many chunks, and a seen table that must grow in the middle of a level', async () => {
    // 0 -> 1..FAN (one level of 60,000 states: 30 chunks, past 80% of the initial table), each of
    // them -> J (a diamond), then a chain J -> J+1 -> ... -> J+CHAIN.
    const FAN = 60_000, J = FAN + 1, CHAIN = 100;
    const def = defineModel({
      name: 'wide',
      constants: {},
      build() {
        return {
          init: [0],
          actions: {
            Fan: { step: (x: number) => (x === 0 ? Array.from({ length: FAN }, (_, i) => i + 1) : undefined) },
            Join: { step: (x: number) => (x >= 1 && x <= FAN ? J : undefined) },
            Chain: { step: (x: number) => (x >= J && x < J + CHAIN ? x + 1 : undefined) },
          },
          invariants: { Below: (x: number) => x < J + CHAIN },
        };
      },
    });
    const ok = await checkModel(def, { constants: {}, checkDeadlock: false, workers: 0 });
    expect([ok.status, ok.distinctStates, ok.depth, ok.statesGenerated]).toEqual(['ok', 1 + FAN + 1 + CHAIN, 3 + CHAIN, 1 + FAN + FAN + CHAIN]);
    expect(ok.seenTableBytes).toBeGreaterThan(8 * (1 << 16)); // it grew
    const bad = await checkModel(def, { constants: {}, invariants: ['Below'], checkDeadlock: false, workers: 0 });
    expect(bad.status).toBe('violation');
    expect(bad.depth).toBe(3 + CHAIN);
    // In-process, states are expanded in the order they were found: J's first parent is 1.
    expect(bad.violation!.trace.map((s) => s.state)).toEqual([0, 1, ...Array.from({ length: CHAIN + 1 }, (_, i) => J + i)]);
  });
});

// ---------------------------------------------------------------------------------------------------
// TLC's own constraint check (tlc-conventions.md): x' = x + 1 from 0, CONSTRAINT x < 3.

const counter = defineModel({
  name: 'counter',
  constants: {},
  build() {
    return {
      init: [0],
      actions: { Next: { step: (x: number) => x + 1 } },
      invariants: { Lt3: (x: number) => x < 3, Lt4: (x: number) => x < 4 },
      constraints: { Bound: (x: number) => x < 3 },
    };
  },
});

const jumpyPath = fileURLToPath(new URL('./test-models/jumpy.ts', import.meta.url));

describe("explore: TLC's constraint semantics, pinned", () => {
  it('INVARIANT x < 3: violated at x = 3 (a successor the constraint cuts), 3 distinct states', async () => {
    const r = await checkModel(counter, { constants: {}, invariants: ['Lt3'], constraints: ['Bound'], workers: 0 });
    expect(r.status).toBe('violation');
    expect(r.violation!.kind).toBe('invariant');
    expect(r.violation!.name).toBe('Lt3');
    expect(r.distinctStates).toBe(3);
    expect(r.depth).toBe(3);
    expect(r.statesGenerated).toBe(4);
    expect(r.violation!.trace.map((s) => s.state)).toEqual([0, 1, 2, 3]);
    expect(r.violation!.trace.map((s) => s.action)).toEqual(['Init', 'Next', 'Next', 'Next']);
  });

  it('INVARIANT x < 4: no error, 4 states generated, 3 distinct, depth 3 (x = 2 is not a deadlock)', async () => {
    const r = await checkModel(counter, { constants: {}, invariants: ['Lt4'], constraints: ['Bound'], workers: 0 });
    expect(r.status).toBe('ok');
    expect(r.violation).toBeNull();
    expect(r.statesGenerated).toBe(4);
    expect(r.distinctStates).toBe(3);
    expect(r.depth).toBe(3);
    expect(r.queue).toBe(0);
    expect(r.coverage).toEqual([{ action: 'Next', fired: 3, distinct: 2 }]);
  });

  it('an initial state cut by the constraint is generated, not stored, and still checked', async () => {
    const def = defineModel({
      name: 'cut-init',
      constants: {},
      build() {
        return {
          init: [5, 0],
          actions: { Next: { step: (x: number) => (x < 2 ? x + 1 : undefined) } },
          invariants: { Small: (x: number) => x < 5 },
          constraints: { Bound: (x: number) => x < 3 },
        };
      },
    });
    const ok = await checkModel(def, { constants: {}, constraints: ['Bound'], checkDeadlock: false, workers: 0 });
    expect([ok.status, ok.distinctStates, ok.statesGenerated, ok.depth]).toEqual(['ok', 3, 4, 3]);
    const bad = await checkModel(def, { constants: {}, constraints: ['Bound'], invariants: ['Small'], workers: 0 });
    expect(bad.status).toBe('violation');
    expect(bad.violation!.trace.map((s) => s.state)).toEqual([5]);
    expect([bad.distinctStates, bad.depth]).toEqual([1, 1]);
  });

  // TLC's ModelChecker.doNext: a successor is stored only if it satisfies both the CONSTRAINT and the
  // ACTION_CONSTRAINT, but invariants hold every unstored successor to account, and action properties every step.
  for (const workers of [0, 1]) {
    it(`ACTION_CONSTRAINT: the state of a discarded step is still checked against the invariants (workers: ${workers})`, async () => {
      const opts = { constants: {}, actionConstraints: ['NoJump'], checkDeadlock: false, workers, modelPath: jumpyPath };
      const ok = await checkModel(jumpy, opts);
      expect([ok.status, ok.distinctStates, ok.statesGenerated, ok.depth]).toEqual(['ok', 4, 5, 4]);
      const bad = await checkModel(jumpy, { ...opts, invariants: ['Lt9'] });
      expect(bad.status).toBe('violation');
      expect([bad.violation!.kind, bad.violation!.name]).toEqual(['invariant', 'Lt9']);
      expect(bad.violation!.trace.map((s) => [s.action, s.state])).toEqual([['Init', 0], ['Inc', 1], ['Jump', 9]]);
      const step = await checkModel(jumpy, { ...opts, properties: ['SmallSteps'] });
      expect(step.status).toBe('violation');
      expect([step.violation!.kind, step.violation!.name]).toEqual(['action', 'SmallSteps']);
      expect(step.violation!.trace.map((s) => s.state)).toEqual([0, 1, 9]);
    });
  }

  it('a deadlock is a state without any successor; a stuttering step counts as one', async () => {
    const make = (stutter: boolean) =>
      defineModel({
        name: stutter ? 'stutters-at-2' : 'stuck-at-2',
        constants: {},
        build() {
          return {
            init: [0],
            actions: {
              Up: { step: (x: number) => (x < 2 ? x + 1 : undefined) },
              Stutter: { step: (x: number) => (stutter && x === 2 ? 2 : undefined) },
            },
          };
        },
      });
    const ok = await checkModel(make(true), { constants: {}, workers: 0 });
    expect([ok.status, ok.distinctStates, ok.statesGenerated, ok.depth]).toEqual(['ok', 3, 4, 3]);
    const d = await checkModel(make(false), { constants: {}, workers: 0 });
    expect(d.status).toBe('violation');
    expect(d.violation!.kind).toBe('deadlock');
    expect(d.violation!.name).toBe('Deadlock');
    expect(d.violation!.trace.map((s) => s.state)).toEqual([0, 1, 2]);
    expect(d.violation!.trace.map((s) => s.action)).toEqual(['Init', 'Up', 'Up']);
    expect([d.distinctStates, d.depth, d.statesGenerated]).toEqual([3, 3, 3]);
    const off = await checkModel(make(false), { constants: {}, checkDeadlock: false, workers: 0 });
    expect(off.status).toBe('ok');
  });
});

// ---------------------------------------------------------------------------------------------------
// Worker threads give the same results as the main thread.

const twoPhasePath = fileURLToPath(new URL('../../models/two-phase-commit.ts', import.meta.url));
const throwingPath = fileURLToPath(new URL('./test-models/throwing.ts', import.meta.url));

describe('explore: on a worker pool', () => {
  it('two-phase commit with 3 RMs: workers 2 gives the same results as in-process', async () => {
    const opts = { constants: { RM: ['r1', 'r2', 'r3'] }, invariants: ['Consistent', 'TypeOK'] };
    const local = await checkModel(twoPhase, { ...opts, workers: 0 });
    const pooled = await checkModel(twoPhase, { ...opts, workers: 2, modelPath: twoPhasePath });
    expect(pooled.workers).toBe(2);
    expect(local.workers).toBe(0);
    for (const r of [local, pooled]) {
      expect(r.status).toBe('ok');
      expect(r.failure).toBeNull();
      expect(r.distinctStates).toBe(288);
      expect(r.depth).toBe(11);
    }
    expect(pooled.statesGenerated).toBe(local.statesGenerated);
    expect(pooled.queue).toBe(0);
    // Successors per action do not depend on scheduling (which action first reaches a state may).
    expect(pooled.coverage.map((c) => [c.action, c.fired])).toEqual(local.coverage.map((c) => [c.action, c.fired]));
    expect(pooled.coverage.reduce((n, c) => n + c.distinct, 0)).toBe(local.coverage.reduce((n, c) => n + c.distinct, 0));
  });

  it('workers > 0 without a model path is a usage error', async () => {
    await expect(checkModel(twoPhase, { constants: { RM: ['r1'] }, workers: 1 })).rejects.toMatchObject({ code: 'USAGE' });
  });
});

// ---------------------------------------------------------------------------------------------------
// A model that throws: the run ends with an error naming the action, its arguments and the state.

describe('explore: a model that throws', () => {
  for (const workers of [0, 1]) {
    it(`names the action with its arguments and the state (workers: ${workers})`, async () => {
      const r = await checkModel(throwing, { constants: { At: 2 }, workers, modelPath: throwingPath, invariants: ['Fine'] });
      expect(r.status).toBe('error');
      expect(r.violation).toBeNull();
      expect(r.failure).not.toBeNull();
      expect(r.failure!.code).toBe('MODEL_THREW');
      expect(r.failure!.where).toBe('action Boom(3)');
      expect(r.failure!.message).toContain('boom at x = 2');
      expect(is(r.failure!.state, IMap({ x: 2 }))).toBe(true);
      expect(r.failure!.stack).toMatch(/boom at x = 2/);
      // The level being expanded is finished by whoever is not failing: x = 3 was found before Boom ran.
      expect(r.distinctStates).toBe(4);
    });
  }

  it('an invariant that throws is named too', async () => {
    const r = await checkModel(throwing, { constants: { At: 1 }, workers: 0, invariants: ['Fine', 'Fragile'], checkDeadlock: false });
    expect(r.status).toBe('error');
    expect(r.failure!.code).toBe('MODEL_THREW');
    expect(r.failure!.where).toBe('invariant Fragile');
    expect(r.failure!.message).toContain('TypeError: fragile');
    expect(is(r.failure!.state, IMap({ x: 1 }))).toBe(true);
  });

  it('unknown invariant names are reported before anything runs', async () => {
    await expect(checkModel(throwing, { constants: { At: 1 }, invariants: ['Nope'] })).rejects.toMatchObject({ code: 'UNKNOWN_NAME' });
  });
});
