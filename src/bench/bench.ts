// `npm run bench`: distinct states per second with 1 and with N workers, the ratio N/1 measured in the
// same run, the ratio to TLC's published rate on this kind of machine, and peak memory per distinct state.
// Counts are checked against the references as they go (and states generated must agree between all runs
// of a target): a fast wrong answer is not a result.
//
// The "ceiling" column is what the machine allows for that very workload: N independent quorum
// processes, one worker each, check the spec at the same time. They share nothing but the hardware
// (caches, memory bandwidth), so no in-process design can be expected to scale past them. Reported as
// N x (1-worker time) / (time of the slowest of the N), start-up included, as the N-worker time is.
//   npm run bench                 all targets
//   npm run bench -- --quick      skip the multi-million-state targets
//   npm run bench -- --only paxos only targets whose name contains "paxos"
//   npm run bench -- --no-ceiling skip the ceiling runs
//   npm run bench -- --repeat K   measure each K times (default 3, 1 for the multi-million-state targets)
//   npm run bench -- --no-model-cost skip measuring the model's own share (model-cost.ts)
//   npm run bench -- --history    the history checker's targets instead (history-bench.ts)
//
// Under each target, "model code alone" is the time the model's own code takes on the states the check
// stores (model-cost.ts), per successor and as a share of the 1-worker run, and the rate N workers could
// reach at best if the checker itself cost nothing and scaled perfectly: what no engine change can beat.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { checkSpec } from '../engine/index.js';
import { defaultWorkers } from '../engine/pool.js';
import { parseConstantOverride } from '../spec/cfg.js';
import { measureModelCost, type ModelCost } from './model-cost.js';

interface Target {
  name: string;
  spec: string;
  consts?: string[];
  /** Reference distinct-state count (TLC / Stateright), checked on every run. */
  expectDistinct: number;
  /** TLC 2.20 with 2 workers on this kind of machine, distinct states per second (from the issues). */
  tlcRate?: number;
  big?: boolean;
}

const TARGETS: Target[] = [
  { name: 'paxos (specs/paxos.cfg)', spec: 'specs/paxos.cfg', expectDistinct: 185_369, tlcRate: 185_369 / 16 },
  { name: '2pc 7 RMs', spec: 'specs/two-phase-commit.cfg', expectDistinct: 296_448, tlcRate: 296_448 / 22 },
  { name: '2pc 8 RMs', spec: 'specs/two-phase-commit.cfg', consts: ['RM={r1,r2,r3,r4,r5,r6,r7,r8}'], expectDistinct: 1_745_408, tlcRate: 25_000, big: true },
  { name: '2pc 9 RMs', spec: 'specs/two-phase-commit.cfg', consts: ['RM={r1,r2,r3,r4,r5,r6,r7,r8,r9}'], expectDistinct: 10_340_352, big: true },
  { name: 'raft (specs/raft.cfg)', spec: 'specs/raft.cfg', expectDistinct: 73_837, tlcRate: 73_837 / 25 },
  // The long specs of the Zab and consistency models (specs/long/); TLC 2.20 -workers 1 counts from ../shared/reference.
  { name: 'zab 3 servers 2/2/1/1', spec: 'specs/long/zab-3-servers-2-2-1-1.cfg', expectDistinct: 219_331, big: true },
  { name: 'lww-map-fixed 2 keys', spec: 'specs/long/lww-map-fixed-2-keys.cfg', expectDistinct: 71_566, big: true },
  { name: 'kv-store 2 keys', spec: 'specs/long/kv-store-2-keys.cfg', expectDistinct: 28_305, big: true },
  { name: 'g-counter reduction', spec: 'specs/long/g-counter-reduction.cfg', expectDistinct: 25_000, big: true },
];

interface Sample {
  rate: number;
  elapsedMs: number;
  distinct: number;
  /** States generated: the same in every run of a target (each state is expanded once, whatever the workers). */
  generated: number;
  peakRss: number;
  seenBytes: number;
  logBytes: number;
}

async function measure(t: Target, workers: number): Promise<Sample> {
  let peakRss = process.memoryUsage.rss();
  const before = peakRss;
  const timer = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 100);
  try {
    const r = await checkSpec(t.spec, { workers, overrides: (t.consts ?? []).map(parseConstantOverride) });
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    if (r.status !== 'ok') throw new Error(`${t.name}: expected no violation, got ${r.status} ${r.violation?.name ?? r.failure?.message ?? ''}`);
    if (r.distinctStates !== t.expectDistinct) throw new Error(`${t.name}: ${r.distinctStates} distinct states, the reference says ${t.expectDistinct}`);
    return {
      rate: r.distinctStates / (r.elapsedMs / 1000),
      elapsedMs: r.elapsedMs,
      distinct: r.distinctStates,
      generated: r.statesGenerated,
      peakRss: peakRss - before,
      seenBytes: r.seenTableBytes,
      logBytes: r.parentLogBytes,
    };
  } finally {
    clearInterval(timer);
  }
}

const fmt = (x: number) => Math.round(x).toLocaleString('en-US');

/** Runs this script in a process of its own with `args`; resolves to what it printed. */
function benchChild(t: Target, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const argv = [...process.execArgv, fileURLToPath(new URL('./bench.mjs', import.meta.url)), ...args];
    const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${t.name}: ${args[0]} process exited with ${code}: ${out.trim()}`))));
  });
}

/** One 1-worker check in a process of its own; resolves to its elapsed time (ms). */
async function soloProcess(t: Target): Promise<number> {
  const out = await benchChild(t, ['--solo', t.name]);
  const ms = Number(/solo-ms (\S+)/.exec(out)?.[1]);
  if (!Number.isFinite(ms)) throw new Error(`${t.name}: solo process printed ${out.trim()}`);
  return ms;
}

/** The model's own cost (model-cost.ts), measured in a process of its own so that it holds no state of this one. */
async function modelCostProcess(t: Target): Promise<ModelCost> {
  const out = await benchChild(t, ['--model-cost', t.name]);
  const json = /model-cost (.*)/.exec(out)?.[1];
  if (json === undefined) throw new Error(`${t.name}: model-cost process printed ${out.trim()}`);
  return JSON.parse(json) as ModelCost;
}

/** The time of the slowest of n concurrent 1-worker processes (the ceiling is n * oneMs / that). */
async function slowestOfConcurrent(t: Target, n: number): Promise<number> {
  const times = await Promise.all(Array.from({ length: n }, () => soloProcess(t)));
  return Math.max(...times);
}

function targetNamed(name: string): Target {
  const t = TARGETS.find((x) => x.name === name);
  if (!t) throw new Error(`no bench target named ${name}`);
  return t;
}

const best = (xs: Sample[]): Sample => xs.reduce((a, b) => (b.rate > a.rate ? b : a));
const spread = (xs: Sample[]): string => (xs.length < 2 ? '' : `${fmt(Math.min(...xs.map((x) => x.rate)))}-${fmt(Math.max(...xs.map((x) => x.rate)))}`);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean' },
      only: { type: 'string' },
      workers: { type: 'string' },
      solo: { type: 'string' },
      'no-ceiling': { type: 'boolean' },
      repeat: { type: 'string' },
      'no-model-cost': { type: 'boolean' },
      'model-cost': { type: 'string' },
      history: { type: 'boolean' },
    },
  });
  if (values.history) {
    const { runHistoryBench } = await import('./history-bench.js');
    await runHistoryBench(values.workers ? Number(values.workers) : defaultWorkers(), values.repeat ? Math.max(1, Number(values.repeat)) : 1);
    return;
  }
  if (values.solo !== undefined) {
    console.log(`solo-ms ${(await measure(targetNamed(values.solo), 1)).elapsedMs}`);
    return;
  }
  if (values['model-cost'] !== undefined) {
    const t = targetNamed(values['model-cost']);
    // Two replays: the first also warms the code up; the best of each kind is kept.
    console.log(`model-cost ${JSON.stringify(await measureModelCost(t.spec, (t.consts ?? []).map(parseConstantOverride), 2))}`);
    return;
  }
  const n = values.workers ? Number(values.workers) : defaultWorkers();
  const targets = TARGETS.filter((t) => (!values.quick || !t.big) && (!values.only || t.name.includes(values.only)));
  console.log(`quorum bench: ${targets.length} targets, 1 worker vs ${n} workers, Node ${process.version}`);
  if (!process.execArgv.includes('--single-threaded-gc')) console.log('note: run through `npm run bench` (node --single-threaded-gc), as the quorum command runs');
  console.log(
    'target                  | 1 worker ds/s | N workers ds/s | N/1   | ceiling | vs TLC | time (N)  | peak RSS/state | seen set + parent log per state | runs: 1 worker, N workers (ds/s)',
  );
  for (const t of targets) {
    const { existsSync } = await import('node:fs');
    if (!existsSync(t.spec)) {
      console.log(`${t.name.padEnd(23)} | (skipped: ${t.spec} missing)`);
      continue;
    }
    // The machine is shared: each measurement is repeated, alternating, and the best of each kind kept
    // (the range is printed too). The ceiling runs N more 1-worker checks at once: for the largest target
    // that is many minutes more, so it is skipped there.
    const repeat = values.repeat !== undefined ? Math.max(1, Number(values.repeat)) : t.big ? 1 : 3;
    const withCeiling = !values['no-ceiling'] && n > 1 && t.expectDistinct < 5_000_000;
    // Replaying the 9-RM target's states would hold 10 million of them: the model's cost is skipped there.
    const withModelCost = !values['no-model-cost'] && t.expectDistinct < 5_000_000;
    const ones: Sample[] = [], manys: Sample[] = [], slowest: number[] = [], costs: ModelCost[] = [];
    for (let k = 0; k < repeat; k++) {
      ones.push(await measure(t, 1));
      manys.push(await measure(t, n));
      if (withCeiling) slowest.push(await slowestOfConcurrent(t, n));
      if (withModelCost) costs.push(await modelCostProcess(t));
    }
    const generated = new Set([...ones, ...manys].map((x) => x.generated));
    if (generated.size !== 1) throw new Error(`${t.name}: runs disagree on the states generated: ${[...generated].join(', ')}`);
    const one = best(ones), many = best(manys);
    const ratio = (many.rate / one.rate).toFixed(2) + 'x';
    const ceil = withCeiling ? ((n * one.elapsedMs) / Math.min(...slowest)).toFixed(2) + 'x' : '-';
    const tlc = t.tlcRate ? (many.rate / t.tlcRate).toFixed(1) + 'x' : '-';
    console.log(
      `${t.name.padEnd(23)} | ${fmt(one.rate).padStart(13)} | ${fmt(many.rate).padStart(14)} | ${ratio.padStart(5)} | ${ceil.padStart(7)} | ${tlc.padStart(6)} | ${(
        (many.elapsedMs / 1000).toFixed(1) + ' s'
      ).padStart(9)} | ${fmt(many.peakRss / many.distinct).padStart(9)} B | ${`${(many.seenBytes / many.distinct).toFixed(1)} B + ${(many.logBytes / many.distinct).toFixed(1)} B`.padEnd(31)} | ${
        repeat > 1 ? `${spread(ones)}, ${spread(manys)} (best of ${repeat})` : '1 run each'
      }`,
    );
    if (costs.length > 0) {
      for (const c of costs) {
        if (c.states !== one.distinct || c.generated !== one.generated) {
          throw new Error(`${t.name}: the model-cost replay saw ${c.states} states and ${c.generated} generated, the check ${one.distinct} and ${one.generated}`);
        }
      }
      const perState = (c: ModelCost) => (c.modelMs * 1000) / c.generated;
      const cost = costs.reduce((a, b) => (b.modelMs < a.modelMs ? b : a));
      const bound = one.distinct / (cost.modelMs / 1000 / n);
      const range = costs.length > 1 ? ` (runs ${Math.min(...costs.map(perState)).toFixed(2)}-${Math.max(...costs.map(perState)).toFixed(2)})` : '';
      console.log(
        `${''.padEnd(23)}   model code alone: ${perState(cost).toFixed(2)} µs per state generated${range}, ${Math.round(
          (100 * cost.modelMs) / one.elapsedMs,
        )}% of the best 1-worker run; with a checker costing nothing and ${n} workers scaling perfectly: at most ${fmt(bound)} ds/s${
          t.tlcRate ? ` (${(bound / t.tlcRate).toFixed(1)}x TLC)` : ''
        }`,
      );
    }
  }
}

await main();
