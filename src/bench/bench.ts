// `npm run bench`: distinct states per second with 1 and with N workers, the ratio N/1 measured in the
// same run, TLC 2.20 on the same configuration in the same run (tlc.ts), and peak memory per distinct state.
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
//   npm run bench -- --spill 9    2PC with 9 RMs in memory and under memory budgets (spill-bench.ts);
//                                 the full bench runs it last
//
// Under each target, "model code alone" is the time the model's own code takes on the states the check
// stores (model-cost.ts), per successor and as a share of the 1-worker run, and the rate N workers could
// reach at best if the checker itself cost nothing and scaled perfectly: what no engine change can beat.
//
// Where ../shared/tlc/ has the target's TLA+ specification, each repeat runs TLC first (N workers), then
// quorum with 1 and N workers, each in a process of its own, and the ratio of the medians of the
// processes' wall-clock times is printed (start-up included on both sides: JVM and parsing for TLC,
// Node, loading the spec and the workers for quorum). Without Java or the jar, quorum's figures alone.
//   npm run bench -- --no-tlc     skip TLC
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { checkSpec } from '../engine/index.js';
import { defaultWorkers } from '../engine/pool.js';
import { parseConstantOverride } from '../spec/cfg.js';
import { measureModelCost, type ModelCost } from './model-cost.js';
import { median, runTlc, tlcUnavailable, type TlcRun, type TlcSpec } from './tlc.js';

interface Target {
  name: string;
  spec: string;
  consts?: string[];
  /** Reference distinct-state count (TLC / Stateright), checked on every run. */
  expectDistinct: number;
  /** The same configuration for TLC, in ../shared/tlc/. */
  tlc?: TlcSpec;
  big?: boolean;
  /** A liveness target: the violation it must report (none: the properties hold); the time after the search is shown apart. */
  liveness?: { violation?: string };
}

const TARGETS: Target[] = [
  { name: 'paxos (specs/paxos.cfg)', spec: 'specs/paxos.cfg', expectDistinct: 185_369, tlc: { dir: 'paxos', module: 'BenchPaxos', cfg: 'BenchPaxos.cfg' } },
  { name: '2pc 7 RMs', spec: 'specs/two-phase-commit.cfg', expectDistinct: 296_448, tlc: { dir: '2pc', module: 'TwoPhase', cfg: 'TP7.cfg' } },
  { name: '2pc 8 RMs', spec: 'specs/two-phase-commit.cfg', consts: ['RM={r1,r2,r3,r4,r5,r6,r7,r8}'], expectDistinct: 1_745_408, tlc: { dir: '2pc', module: 'TwoPhase', cfg: 'TP8.cfg' }, big: true },
  { name: '2pc 9 RMs', spec: 'specs/two-phase-commit.cfg', consts: ['RM={r1,r2,r3,r4,r5,r6,r7,r8,r9}'], expectDistinct: 10_340_352, big: true },
  { name: 'raft (specs/raft.cfg)', spec: 'specs/raft.cfg', expectDistinct: 73_837 },
  // The long specs of the Zab and consistency models (specs/long/); TLC 2.20 -workers 1 counts from ../shared/reference.
  { name: 'zab 3 servers 2/2/1/1', spec: 'specs/long/zab-3-servers-2-2-1-1.cfg', expectDistinct: 219_331, big: true },
  { name: 'lww-map-fixed 2 keys', spec: 'specs/long/lww-map-fixed-2-keys.cfg', expectDistinct: 71_566, big: true },
  { name: 'kv-store 2 keys', spec: 'specs/long/kv-store-2-keys.cfg', expectDistinct: 28_305, big: true },
  { name: 'g-counter reduction', spec: 'specs/long/g-counter-reduction.cfg', expectDistinct: 25_000, big: true },
  // Liveness: the graph is recorded by the search; the analysis runs after it (src/engine/liveness.ts).
  {
    name: 'paxos liveness ballot 2',
    spec: 'specs/long/paxos-liveness-ballot2.cfg',
    expectDistinct: 185_369,
    tlc: { dir: 'paxos', module: 'LivePaxos', cfg: 'LivePaxos.cfg' },
    liveness: {},
  },
  // No TLA+ counterpart here: 50,607 is quorum's own count (specs/raft.cfg's bounds, MODEL raft-no-restart).
  { name: 'raft liveness (leader)', spec: 'specs/long/raft-eventually-leader.cfg', expectDistinct: 50_607, liveness: { violation: 'EventuallyLeader' } },
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
  /** Wall-clock time of the process the check ran in, as its parent saw it (start-up included). */
  processMs: number;
  /** Liveness targets: the analysis after the search (ms), and the graph's memory. */
  livenessMs?: number;
  graphBytes?: number;
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
    const wanted = t.liveness?.violation;
    const got = r.status === 'violation' && r.violation?.kind === 'liveness' ? r.violation.name : undefined;
    if (wanted !== undefined ? got !== wanted : r.status !== 'ok') {
      throw new Error(`${t.name}: expected ${wanted ? `liveness violation ${wanted}` : 'no violation'}, got ${r.status} ${r.violation?.name ?? r.failure?.message ?? ''}`);
    }
    if (r.distinctStates !== t.expectDistinct) throw new Error(`${t.name}: ${r.distinctStates} distinct states, the reference says ${t.expectDistinct}`);
    return {
      rate: r.distinctStates / (r.elapsedMs / 1000),
      elapsedMs: r.elapsedMs,
      distinct: r.distinctStates,
      generated: r.statesGenerated,
      peakRss: peakRss - before,
      seenBytes: r.seenTableBytes,
      logBytes: r.parentLogBytes,
      processMs: NaN,
      livenessMs: r.livenessMs,
      graphBytes: r.livenessGraphBytes,
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

/** One check with `workers` workers in a process of its own, as the quorum command runs it. */
async function measureProcess(t: Target, workers: number): Promise<Sample> {
  const t0 = performance.now();
  const out = await benchChild(t, ['--sample', t.name, '--workers', String(workers)]);
  const processMs = performance.now() - t0;
  const json = /sample (.*)/.exec(out)?.[1];
  if (json === undefined) throw new Error(`${t.name}: sample process printed ${out.trim()}`);
  return { ...(JSON.parse(json) as Sample), processMs };
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
      sample: { type: 'string' },
      'no-tlc': { type: 'boolean' },
      'no-ceiling': { type: 'boolean' },
      repeat: { type: 'string' },
      'no-model-cost': { type: 'boolean' },
      'model-cost': { type: 'string' },
      history: { type: 'boolean' },
      spill: { type: 'string' },
    },
  });
  if (values.spill !== undefined) {
    // --spill 9: 2PC with 9 RMs in memory and under budgets of a quarter and a half of its peak (spill-bench.ts).
    const rms = Number(values.spill);
    const counts: Record<number, number> = { 7: 296_448, 8: 1_745_408, 9: 10_340_352, 10: 61_515_776 };
    if (!(rms in counts)) throw new Error('--spill takes 7, 8, 9 or 10 (RMs of two-phase commit)');
    const { runSpillBench } = await import('./spill-bench.js');
    await runSpillBench({ rms, expectDistinct: counts[rms]! });
    return;
  }
  if (values.history) {
    const { runHistoryBench } = await import('./history-bench.js');
    await runHistoryBench(values.workers ? Number(values.workers) : defaultWorkers(), values.repeat ? Math.max(1, Number(values.repeat)) : 1);
    return;
  }
  if (values.solo !== undefined) {
    console.log(`solo-ms ${(await measure(targetNamed(values.solo), 1)).elapsedMs}`);
    return;
  }
  if (values.sample !== undefined) {
    console.log(`sample ${JSON.stringify(await measure(targetNamed(values.sample), Number(values.workers ?? defaultWorkers())))}`);
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
  const { loadavg } = await import('node:os');
  console.log(`load average at start: ${loadavg().map((x) => x.toFixed(2)).join(', ')} (${new Date().toISOString()})`);
  const noTlc = values['no-tlc'] ? 'skipped (--no-tlc)' : tlcUnavailable();
  if (noTlc !== undefined) console.log(`TLC side by side: ${noTlc}; quorum's figures alone`);
  console.log(
    'target                  | 1 worker ds/s | N workers ds/s | N/1   | ceiling | vs TLC | time (N)  | peak RSS/state | seen set + parent log per state | runs: 1 worker, N workers (ds/s)',
  );
  console.log(
    '  (ds/s: best of the runs, from the check\'s own elapsed time; vs TLC: TLC\'s median process wall time / quorum N workers\' median, same run)',
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
    // Neither the ceiling nor the model-code replay covers the liveness analysis: not measured for those targets.
    const withCeiling = !values['no-ceiling'] && n > 1 && t.expectDistinct < 5_000_000 && !t.liveness;
    // Replaying the 9-RM target's states would hold 10 million of them: the model's cost is skipped there.
    const withModelCost = !values['no-model-cost'] && t.expectDistinct < 5_000_000 && !t.liveness;
    const withTlc = noTlc === undefined && t.tlc !== undefined;
    const ones: Sample[] = [], manys: Sample[] = [], slowest: number[] = [], costs: ModelCost[] = [], tlcs: TlcRun[] = [];
    for (let k = 0; k < repeat; k++) {
      if (withTlc) {
        const r = await runTlc(t.tlc!, n);
        if (r.distinct !== t.expectDistinct) throw new Error(`${t.name}: TLC found ${r.distinct} distinct states, the reference says ${t.expectDistinct}`);
        tlcs.push(r);
      }
      ones.push(await measureProcess(t, 1));
      manys.push(await measureProcess(t, n));
      if (withCeiling) slowest.push(await slowestOfConcurrent(t, n));
      if (withModelCost) costs.push(await modelCostProcess(t));
    }
    const generated = new Set([...ones, ...manys].map((x) => x.generated));
    if (generated.size !== 1) throw new Error(`${t.name}: runs disagree on the states generated: ${[...generated].join(', ')}`);
    const one = best(ones), many = best(manys);
    const ratio = (many.rate / one.rate).toFixed(2) + 'x';
    const ceil = withCeiling ? ((n * one.elapsedMs) / Math.min(...slowest)).toFixed(2) + 'x' : '-';
    const tlcMs = tlcs.length > 0 ? median(tlcs.map((x) => x.wallMs)) : NaN;
    const manyMs = median(manys.map((x) => x.processMs));
    const tlc = tlcs.length > 0 ? (tlcMs / manyMs).toFixed(2) + 'x' : '-';
    console.log(
      `${t.name.padEnd(23)} | ${fmt(one.rate).padStart(13)} | ${fmt(many.rate).padStart(14)} | ${ratio.padStart(5)} | ${ceil.padStart(7)} | ${tlc.padStart(6)} | ${(
        (many.elapsedMs / 1000).toFixed(1) + ' s'
      ).padStart(9)} | ${fmt(many.peakRss / many.distinct).padStart(9)} B | ${`${(many.seenBytes / many.distinct).toFixed(1)} B + ${(many.logBytes / many.distinct).toFixed(1)} B`.padEnd(31)} | ${
        repeat > 1 ? `${spread(ones)}, ${spread(manys)} (best of ${repeat})` : '1 run each'
      }`,
    );
    const secs = (xs: number[]) => `${(median(xs) / 1000).toFixed(1)} s` + (xs.length > 1 ? ` (${(Math.min(...xs) / 1000).toFixed(1)}-${(Math.max(...xs) / 1000).toFixed(1)})` : '');
    const oneMs = median(ones.map((x) => x.processMs));
    if (tlcs.length > 0) {
      console.log(
        `${''.padEnd(23)}   TLC side by side, process wall time, median of ${repeat}: TLC ${n} workers ${secs(tlcs.map((x) => x.wallMs))}, peak RSS ${fmt(
          median(tlcs.map((x) => x.peakRss)) / 1e6,
        )} MB; quorum 1 worker ${secs(ones.map((x) => x.processMs))}, ${n} workers ${secs(manys.map((x) => x.processMs))}; TLC/quorum: ${(tlcMs / oneMs).toFixed(2)}x (1 worker), ${(
          tlcMs / manyMs
        ).toFixed(2)}x (${n} workers)`,
      );
    } else {
      console.log(`${''.padEnd(23)}   quorum process wall time, median of ${repeat}: 1 worker ${secs(ones.map((x) => x.processMs))}, ${n} workers ${secs(manys.map((x) => x.processMs))}${t.tlc ? '' : ' (no TLA+ specification for TLC)'}`);
    }
    if (t.liveness) {
      const live = (xs: Sample[]) => {
        const analysis = median(xs.map((x) => x.livenessMs ?? NaN));
        const search = median(xs.map((x) => x.elapsedMs - (x.livenessMs ?? NaN)));
        return `search ${(search / 1000).toFixed(1)} s, liveness analysis ${(analysis / 1000).toFixed(2)} s (${Math.round((100 * analysis) / search)}% of the search)`;
      };
      console.log(
        `${''.padEnd(23)}   liveness, medians: 1 worker: ${live(ones)}; ${n} workers: ${live(manys)}; graph ${(median(manys.map((x) => x.graphBytes ?? NaN)) / many.distinct).toFixed(1)} B/state, peak RSS ${fmt(
          median(manys.map((x) => x.peakRss)) / 1e6,
        )} MB (${n} workers)`,
      );
    }
    if (costs.length > 0) {
      for (const c of costs) {
        if (c.states !== one.distinct || c.generated !== one.generated) {
          throw new Error(`${t.name}: the model-cost replay saw ${c.states} states and ${c.generated} generated, the check ${one.distinct} and ${one.generated}`);
        }
      }
      const perState = (c: ModelCost) => (c.modelMs * 1000) / c.generated;
      const cost = costs.reduce((a, b) => (b.modelMs < a.modelMs ? b : a));
      const bound = one.distinct / (cost.modelMs / 1000 / n);
      const medianRate = one.distinct / (median(manys.map((x) => x.elapsedMs)) / 1000);
      const range = costs.length > 1 ? ` (runs ${Math.min(...costs.map(perState)).toFixed(2)}-${Math.max(...costs.map(perState)).toFixed(2)})` : '';
      console.log(
        `${''.padEnd(23)}   model code alone: ${perState(cost).toFixed(2)} µs per state generated${range}, ${Math.round(
          (100 * cost.modelMs) / one.elapsedMs,
        )}% of the best 1-worker run; with a checker costing nothing and ${n} workers scaling perfectly: at most ${fmt(bound)} ds/s${
          tlcs.length > 0 ? ` (${((bound * tlcMs) / 1000 / one.distinct).toFixed(1)}x TLC's median)` : ''
        }; the ${n}-worker runs reach ${Math.round((100 * many.rate) / bound)}% of it (best), ${Math.round((100 * medianRate) / bound)}% (median)`,
      );
    }
  }
  if (!values.quick && values.only === undefined) {
    const { runSpillBench } = await import('./spill-bench.js');
    await runSpillBench({ rms: 9, expectDistinct: 10_340_352 });
  }
  console.log(`load average at the end: ${loadavg().map((x) => x.toFixed(2)).join(', ')} (${new Date().toISOString()})`);
}

await main();
