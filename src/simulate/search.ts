// One seed of a simulation: fast-check runs `walks` random walks from the seed and, at the first that
// violates a property, shrinks it to a shorter walk violating the same property. The same seed and
// fast-check's path of the shrunk walk replay it exactly (fc.check with { seed, path }).
import fc from 'fast-check';
import type { CompiledModel } from '../engine/compiled-model.js';
import { fingerprintHex } from '../engine/fingerprint.js';
import type { TraceStep } from '../engine/trace.js';

import { Cells, PairNovelty } from './cells.js';
import { QuorumError } from '../model/errors.js';
import { Finisher } from './finisher.js';
import { VariableNovelty } from './width.js';
import { choiceFor, Expander, runWalk, type Balance, type Novelty, type WalkPlan, type WalkViolation } from './walk.js';

/** How walks are drawn: everything that, with the seed and path, determines a walk. */
export interface WalkSettings {
  /** States per walk at most (the initial state counts), as TLC's -depth. */
  readonly depth: number;
  /** Walks per seed (fast-check's numRuns). */
  readonly walks: number;
  /** Swarm runs: each walk takes only a random half of the actions while one of them is possible. */
  readonly swarm: boolean;
  /** Weighted swarm: instead, each walk weighs each action by its own random factor from 1/16 to 16. */
  readonly weighted?: boolean;
  readonly balance: Balance;
  /**
   * Prefer successors this seed has not seen: the walks of a seed run in order with one set of seen
   * states, and a violating walk is handed to fast-check as an example (as the plain walk of the same
   * choices) to shrink. Still a function of the seed: a path replays after the seed's walks run again.
   */
  readonly novelty?: boolean;
  /**
   * Go-Explore on an abstraction of the state (cells.ts) instead of whole states: only states holding a
   * (variable, key, value) atom or a pair of them not reached before, or in a new cell of the slow
   * variables, are archived; walks restart from them (the least picked of a few drawn at random).
   */
  readonly explore?: boolean;
  /**
   * With explore: after each walk, a breadth-first search of a few steps and states from an archived
   * state not started from yet (finisher.ts); the states it reaches are archived as the walks' are
   * (when new), and a violation it meets is the walk to shrink.
   */
  readonly finish?: boolean;
  /**
   * The width search instead of walks (width.ts): one breadth-first search from the initial states that
   * keeps only states new by width-K novelty over the variables (K = 1 or 2); the seed only drives
   * the shrinking of what it finds.
   */
  readonly width?: number;
  /** With width: novelty is counted separately for each value of these variables. */
  readonly widthBy?: readonly string[];
}

export interface SeedStats {
  readonly walks: number;
  /** Transitions taken (each walk's states minus one). */
  readonly steps: number;
  /** Successors generated and checked along the walks. */
  readonly deepest: number;
  /** Fingerprints (53 bits as a number) of states this call saw first, when asked. */
  readonly fresh?: number[];
}

export interface SeedFinding {
  readonly seed: number;
  readonly path: string;
  readonly violation: WalkViolation;
  /** States in the first violating walk's counterexample, before shrinking. */
  readonly originalLength: number;
  /** Shrinks fast-check kept (each a shorter or smaller walk still violating the property). */
  readonly shrinks: number;
  /** Time from the first violating walk to the end of shrinking. */
  readonly shrinkMs: number;
  readonly plan: WalkPlan;
}

export interface SeedResult extends SeedStats {
  readonly seed: number;
  readonly finding?: SeedFinding;
  readonly elapsedMs: number;
}

const MAX_CHOICE = 0x7fffffff;
/** States the novelty search keeps to restart walks from. */
const ARCHIVE_MAX = 100_000;
/** The explore search restarts from the least picked of this many archived states drawn at random. */
const TOURNAMENT = 4;
/** Steps an explore walk goes beyond the archived state it restarts from. */
const HORIZON = 25;
/** Steps the explore search learns its slow variables from, and their threshold (cells.ts). */
const CELL_WARMUP = 2000;
const CELL_CHURN = 0.5;
/** The finisher (settings.finish): after each walk, a breadth-first search of at most this many steps and expanded states. */
const FINISH_DEPTH = 12;
const FINISH_BUDGET = 100;
/**
 * The finisher runs after a walk while it has expanded at most this share of the states the walks
 * took (its expansions cost about three walk steps each: it checks every successor of every state).
 */
const FINISH_SHARE = 0.1;

/**
 * One choice: uniform on generation; shrinks only to 0 (another step at that point of the walk). The
 * integer shrinker's halving would try ~31 values per step, each a replay, for little gain.
 */
class ChoiceArbitrary extends fc.Arbitrary<number> {
  generate(mrng: fc.Random): fc.Value<number> {
    return new fc.Value(mrng.nextInt(0, MAX_CHOICE), undefined);
  }
  canShrinkWithoutContext(value: unknown): value is number {
    return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_CHOICE;
  }
  shrink(value: number): fc.Stream<fc.Value<number>> {
    return value === 0 ? fc.Stream.nil() : fc.Stream.of(new fc.Value(0, undefined));
  }
}

/** Walk plans: generated at full depth, shrunk by fast-check's array shrinker on the choices (swarm and salt kept). */
class WalkArbitrary extends fc.Arbitrary<WalkPlan> {
  private readonly choicesArb: fc.Arbitrary<number[]>;
  constructor(private readonly depth: number, private readonly actions: number, private readonly swarm: boolean, private readonly weighted = false) {
    super();
    this.choicesArb = fc.array(new ChoiceArbitrary(), { maxLength: depth });
  }
  generate(mrng: fc.Random): fc.Value<WalkPlan> {
    return new fc.Value(this.draw(mrng), undefined);
  }
  draw(mrng: { nextInt(min: number, max: number): number }): WalkPlan {
    const salt = mrng.nextInt(0, MAX_CHOICE);
    let weights: number[] | null = null;
    if (this.swarm) {
      weights = [];
      for (let a = 0; a < this.actions; a++) weights.push(this.weighted ? 2 ** mrng.nextInt(-4, 4) : mrng.nextInt(0, 1));
    }
    const choices: number[] = [];
    for (let i = 0; i < this.depth; i++) choices.push(mrng.nextInt(0, MAX_CHOICE));
    return { salt, weights, choices };
  }
  canShrinkWithoutContext(value: unknown): value is WalkPlan {
    return typeof value === 'object' && value !== null && this.choicesArb.canShrinkWithoutContext((value as WalkPlan).choices);
  }
  shrink(value: WalkPlan, context: unknown): fc.Stream<fc.Value<WalkPlan>> {
    return this.choicesArb.shrink([...value.choices], context).map((v) => new fc.Value({ salt: value.salt, weights: value.weights, choices: v.value }, v.context));
  }
}

export interface RunSeedOptions {
  /** Replay: fast-check's path of one walk of this seed (shrinks from there on, if any still apply). */
  readonly path?: string;
  /** Report the fingerprints of states not seen before by this `seen` set (which is updated). */
  readonly seen?: Set<number>;
  /** Live progress: called before each walk and each shrink try with this seed's counts so far. */
  readonly onWalk?: (live: SeedLive) => void;
}

/** A seed's counts while it runs; `shrinking` once a walk violated a property (shrinks: the shorter walks kept). */
export interface SeedLive {
  readonly walks: number;
  readonly steps: number;
  readonly deepest: number;
  readonly shrinking: null | { readonly kind: string; readonly name: string; readonly originalLength: number; readonly length: number; readonly tries: number; readonly shrinks: number };
}

const fpOut = new Uint32Array(2);

/** Runs one seed's walks, shrinking the first violation. Deterministic in (model, settings, seed, path). */
export function runSeed(model: CompiledModel<unknown>, settings: WalkSettings, seed: number, opts: RunSeedOptions = {}): SeedResult {
  const started = performance.now();
  const arb = new WalkArbitrary(settings.depth, model.actions.length, settings.swarm, settings.weighted);
  let walks = 0;
  let steps = 0;
  let deepest = 0;
  let target: WalkViolation | undefined;
  let original: WalkViolation | undefined;
  let last: { violation: WalkViolation; plan: WalkPlan } | undefined;
  let firstFailureAt = 0;
  const seen = opts.seen;
  const fresh: number[] | undefined = seen ? [] : undefined;
  let tries = 0;
  let kept = 0;
  let lastSeen: typeof last;
  const report = opts.onWalk
    ? () => {
        if (original !== undefined) tries++;
        if (last !== lastSeen) {
          if (lastSeen !== undefined) kept++;
          lastSeen = last;
        }
        const shrinking = original === undefined ? null : { kind: original.kind, name: original.name, originalLength: original.length, length: last?.violation.length ?? original.length, tries, shrinks: kept };
        opts.onWalk!({ walks, steps, deepest, shrinking });
      }
    : undefined;
  const visit = seen
    ? (s: unknown) => {
        model.keyFingerprintInto(s, fpOut, 0);
        const k = (fpOut[0]! & 0x1fffff) * 4294967296 + fpOut[1]!;
        if (!seen.has(k)) {
          seen.add(k);
          fresh!.push(k);
        }
      }
    : undefined;
  const property = fc.property(arb, (plan) => {
    report?.(); // live counts, before each walk (the last walk's arrive with the seed's result)
    // While shrinking, only walks that violate the same property count as failures, and nothing is counted.
    const searching = target === undefined;
    const outcome = runWalk(model, plan, { balance: settings.balance, visit: searching ? visit : undefined });
    if (searching) {
      walks++;
      steps += Math.max(0, outcome.states - 1);
      if (outcome.states > deepest) deepest = outcome.states;
    }
    const v = outcome.violation;
    if (v === undefined) return true;
    if (searching) {
      target = v;
      original = v;
      firstFailureAt = performance.now();
    } else if (v.kind !== target!.kind || v.name !== target!.name) return true;
    last = { violation: v, plan };
    return false;
  });
  let examples: [WalkPlan][] | undefined;
  if (settings.width !== undefined) {
    // The width search, outside fast-check: the path it finds, as a walk, is the one example to shrink.
    const expander = new Expander(model);
    const search = new Finisher(model, expander);
    const novelty = new VariableNovelty(settings.width, settings.widthBy ?? [], model.init[0]);
    // Live counts while it runs (the dashboard's steps and deepest), every 4,096 states reached.
    let reached = 0;
    const onReach =
      visit || report
        ? (t: unknown) => {
            visit?.(t);
            if (report && (++reached & 4095) === 0) {
              steps = search.expanded;
              deepest = search.deepest + 1;
              report();
            }
          }
        : undefined;
    for (let i = 0; i < model.init.length && examples === undefined; i++) {
      const s0 = model.init[i]!;
      visit?.(s0);
      novelty.add(s0, undefined);
      // A walk of `depth` states expands its states up to position depth - 2.
      const hit = search.run(s0, settings.depth - 2, Infinity, null, onReach, (t, s) => novelty.add(t, s));
      if (hit === undefined) continue;
      const more = stepsAsChoices(expander, s0, 1, hit.steps, 0, null, settings.balance);
      const plan: WalkPlan | undefined = more && { salt: 0, weights: null, choices: [Math.ceil((i * 0x80000000) / model.init.length), ...more, 0].reverse() };
      const v = plan && runWalk(model, plan, { balance: settings.balance }).violation;
      if (!plan || !v) throw new QuorumError('INTERNAL', `the width search's path of ${hit.steps.length} steps does not replay as a walk (is the model deterministic?)`);
      examples = [[cutLoops(model, settings.balance, plan, v)]];
    }
    walks = 1;
    steps = search.expanded;
    deepest = search.deepest + 1;
    if (!examples) return { seed, walks, steps, deepest, elapsedMs: performance.now() - started, ...(fresh ? { fresh } : {}) };
    const [w0, s0, d0] = [walks, steps, deepest];
    const r = fc.check(property, { seed, numRuns: 1, examples, path: opts.path, verbose: 0 });
    [walks, steps, deepest] = [w0, s0, d0];
    return finish(r);
  }
  if (settings.novelty || settings.explore) {
    // The novelty search, outside fast-check: its walk, if one violates a property, is the one example.
    const mrng = seededInts(seed);
    const novelSeen = new Set<number>();
    const key = (s: unknown) => fingerprintKey(model, s);
    const pairs = settings.explore ? new PairNovelty() : undefined;
    const cells = new Cells(CELL_WARMUP, CELL_CHURN);
    // Go-Explore: most walks restart from a state already reached (by the choices that reached it,
    // under that walk's salt and weights) and go on from there with fresh choices. The explore search
    // archives only states new by width-2 novelty or in a new cell (cells.ts), restarts from the archived
    // state itself for at most HORIZON steps, and picks the least picked of a few at random.
    // An archived state: `length` states from the initial state, reached by the choices `prefix` of a
    // walk under `salt` and `weights`, or (found by a finisher) by `steps` from the state of `base`,
    // encoded as choices when first needed.
    type Entry = {
      salt: number;
      weights: readonly number[] | null;
      prefix: number[] | undefined;
      length: number;
      base?: Entry;
      steps?: number[];
      picked: number;
      state: unknown;
      finished: boolean;
    };
    const archive: Entry[] = [];
    const expander = new Expander(model);
    const finisher = pairs && settings.finish ? new Finisher(model, expander) : undefined;
    let walkSteps = 0;
    // The finisher starts from the deepest of a few archived states drawn that it has not started from.
    const finishFrom = (): Entry | undefined => {
      let best: Entry | undefined;
      for (let k = 0; k < TOURNAMENT; k++) {
        const e = archive[mrng.nextInt(0, archive.length - 1)]!;
        if (!e.finished && (best === undefined || e.length > best.length)) best = e;
      }
      return best;
    };
    // Steps from e's state as choices of a walk of e's plan, at positions e.length.. (undefined if a step cannot be encoded).
    const encodeSteps = (e: Entry, steps: readonly number[]) => stepsAsChoices(expander, e.state, e.length, steps, e.salt, e.weights, settings.balance);
    const prefixOf = (e: Entry): number[] | undefined => {
      if (e.prefix === undefined && e.base !== undefined) {
        const base = prefixOf(e.base);
        const more = base && encodeSteps(e.base, e.steps!);
        if (base && more) e.prefix = [...base, ...more];
      }
      return e.prefix;
    };
    // A finisher's path from e to a violation, as a walk of e's plan.
    const encode = (e: Entry, steps: number[]): WalkPlan | undefined => {
      const prefix = prefixOf(e);
      const more = prefix && encodeSteps(e, steps);
      if (!prefix || !more) return undefined;
      const all = [...prefix, ...more, 0];
      if (all.length > depth) return undefined;
      return { salt: e.salt, weights: e.weights, choices: all.reverse() };
    };
    const depth = settings.depth;
    // The least picked wins; among as often picked, the deeper.
    const better = (a: Entry, b: Entry) => a.picked < b.picked || (a.picked === b.picked && a.length > b.length);
    const pick = () => {
      if (!pairs) return archive[mrng.nextInt(0, archive.length - 1)]!;
      let best = archive[mrng.nextInt(0, archive.length - 1)]!;
      for (let k = 1; k < TOURNAMENT; k++) {
        const e = archive[mrng.nextInt(0, archive.length - 1)]!;
        if (better(e, best)) best = e;
      }
      best.picked++;
      return best;
    };
    for (let w = 0; w < settings.walks; w++) {
      const drawn = arb.draw(mrng);
      let plan: WalkPlan = drawn;
      let follow = 0;
      let start: { state: unknown; position: number } | undefined;
      if (archive.length > 0 && mrng.nextInt(0, 9) < 8) {
        const e = pick();
        const prefix = prefixOf(e);
        if (prefix !== undefined) {
          // The explore search goes on from the archived state itself, at most HORIZON steps further.
          const len = pairs ? Math.min(depth, prefix.length + HORIZON) : depth;
          const choices = drawn.choices.slice(depth - len);
          for (let i = 0; i < prefix.length; i++) choices[len - 1 - i] = prefix[i]!;
          plan = { salt: e.salt, weights: e.weights, choices };
          follow = prefix.length - 1;
          if (pairs) start = { state: e.state, position: follow };
        }
      }
      const choices = [...plan.choices];
      const len = choices.length;
      const archiveAt = (state: unknown, position: number) => {
        if (archive.length >= ARCHIVE_MAX) return;
        const prefix: number[] = [];
        for (let i = 0; i <= position; i++) prefix.push(choices[len - 1 - i]!);
        archive.push({ salt: plan.salt, weights: plan.weights, prefix, length: position + 1, picked: 0, state: pairs ? state : undefined, finished: false });
      };
      const novelty: Novelty = pairs
        ? {
            // Pure Go-Explore: novelty chooses where walks restart, not their steps (preferring new
            // successors too was slower to progress on the Raft variants).
            isNew: () => false,
            add: (s, parent, position) => {
              if (parent !== undefined) cells.observe(parent, s);
              const newCell = cells.add(s);
              if ((pairs.add(s, parent) > 0 || newCell) && position > follow) archiveAt(s, position);
            },
            choices,
            follow,
          }
        : {
            isNew: (t) => !novelSeen.has(key(t)),
            add: (s, _parent, position) => {
              const k = key(s);
              if (novelSeen.has(k)) return;
              novelSeen.add(k);
              archiveAt(s, position);
            },
            choices,
            follow,
          };
      report?.();
      const outcome = runWalk(model, plan, { balance: settings.balance, visit, novelty, ...(start ? { start } : {}) });
      walks++;
      steps += Math.max(0, outcome.states - 1);
      walkSteps += Math.max(0, outcome.states - 1);
      if (outcome.states > deepest) deepest = outcome.states;
      if (outcome.violation) {
        examples = [[cutLoops(model, settings.balance, { salt: plan.salt, weights: plan.weights, choices }, outcome.violation)]];
        break;
      }
      // After a walk (within FINISH_SHARE), a small breadth-first search from an archived state: its new states are
      // archived as the walks' are, and a violation it meets becomes the walk to shrink.
      if (finisher !== undefined && archive.length > 0 && finisher.expanded <= FINISH_SHARE * walkSteps) {
        const e = finishFrom();
        if (e !== undefined) {
          e.finished = true;
          const before = finisher.expanded;
          const onReach = (t: unknown, s: unknown, path: () => number[]) => {
            visit?.(t);
            const newCell = cells.add(t);
            if ((pairs!.add(t, s) > 0 || newCell) && archive.length < ARCHIVE_MAX) {
              const p = path();
              archive.push({ salt: e.salt, weights: e.weights, prefix: undefined, length: e.length + p.length, base: e, steps: p, picked: 0, state: t, finished: false });
            }
          };
          const hit = finisher.run(e.state, Math.min(FINISH_DEPTH, depth - 1 - e.length), FINISH_BUDGET, e.weights, onReach);
          steps += finisher.expanded - before;
          const found = hit && encode(e, hit.steps);
          const v = found && runWalk(model, found, { balance: settings.balance }).violation;
          if (found && v) {
            examples = [[cutLoops(model, settings.balance, found, v)]];
            break;
          }
        }
      }
    }
    if (!examples) return { seed, walks, steps, deepest, elapsedMs: performance.now() - started, ...(fresh ? { fresh } : {}) };
    const [w0, s0, d0] = [walks, steps, deepest];
    const r = fc.check(property, { seed, numRuns: 1, examples, path: opts.path, verbose: 0 });
    [walks, steps, deepest] = [w0, s0, d0];
    return finish(r);
  }
  return finish(fc.check(property, { seed, numRuns: settings.walks, path: opts.path, verbose: 0 }));

  function finish(details: fc.RunDetails<[WalkPlan]>): SeedResult {
    const elapsedMs = performance.now() - started;
    const stats = { seed, walks, steps, deepest, elapsedMs, ...(fresh ? { fresh } : {}) };
    if (!details.failed || details.counterexample === null || details.counterexamplePath === null) return stats;
    const plan = details.counterexample[0];
    // fast-check reports the last failing value; it is the one recorded last.
    const violation = last !== undefined && last.plan === plan ? last.violation : runWalk(model, plan, { balance: settings.balance }).violation!;
    return {
      ...stats,
      finding: { seed, path: details.counterexamplePath, violation, originalLength: original!.length, shrinks: details.numShrinks, shrinkMs: performance.now() - firstFailureAt, plan },
    };
  }
}

/**
 * Shrinking's pre-pass: the plain walk of a plan cut to the violation, with every loop removed (the steps
 * between two visits of one state), which keeps the walk a walk to the same violation: from the same
 * state the same choice takes the same step. fast-check then shrinks a walk without loops, which is much
 * cheaper than finding them by dropping steps one at a time.
 */
export function cutLoops(model: CompiledModel<unknown>, balance: Balance, plan: WalkPlan, violation: WalkViolation): WalkPlan {
  let good = plan;
  let best = { ...plan, choices: plan.choices.slice(plan.choices.length - violation.length) };
  for (;;) {
    const trace: TraceStep[] = [];
    const out = runWalk(model, best, { balance, trace });
    if (out.violation?.kind !== violation.kind || out.violation.name !== violation.name) return good;
    good = best;
    const len = best.choices.length;
    const first = new Map<string, number>();
    let cut: [number, number] | undefined;
    for (let j = 0; j < trace.length - 1 && cut === undefined; j++) {
      const k = fingerprintHex(trace[j]!.state);
      const i = first.get(k);
      if (i !== undefined) cut = [i, j];
      else first.set(k, j);
    }
    if (cut === undefined) return best;
    // Positions i+1..j go: their choices sit at len-1-j .. len-1-(i+1).
    const [i, j] = cut;
    best = { ...best, choices: [...best.choices.slice(0, len - 1 - j), ...best.choices.slice(len - 1 - i)] };
  }
}

/** Steps from state s (at walk position `position`) as choices of a walk under salt and weights (undefined if a step cannot be encoded). */
function stepsAsChoices(expander: Expander, s: unknown, position: number, steps: readonly number[], salt: number, weights: readonly number[] | null, balance: Balance): number[] | undefined {
  const out: number[] = [];
  for (let j = 0; j < steps.length; j++) {
    expander.expand(s);
    const want = expander.cands[steps[j]!]!;
    const c = choiceFor(expander.cands, want, mix32(position + j), salt, weights, balance, 1 << 20);
    if (c === undefined) return undefined;
    out.push(c);
    s = want.t;
  }
  return out;
}

function mix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) & 0x7fffffff;
}

/** A small seeded generator (mulberry32) for the novelty search's walks, which run outside fast-check. */
function seededInts(seed: number): { nextInt(min: number, max: number): number } {
  let a = seed >>> 0;
  return {
    nextInt(min, max) {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      return min + Math.floor(u * (max - min + 1));
    },
  };
}

/** The 53 bits of a state's fingerprint that distinct states are counted by. */
export function fingerprintKey(model: CompiledModel<unknown>, s: unknown): number {
  model.keyFingerprintInto(s, fpOut, 0);
  return (fpOut[0]! & 0x1fffff) * 4294967296 + fpOut[1]!;
}
