// `npm run bench -- --time-to-bug`: how fast `simulate` finds each known bug, and how short its shrunk
// counterexample is against the shortest one breadth-first search finds. Per target and walk strategy,
// runs with different first seeds; medians of the time to the first violation (the search), of the time
// with shrinking and worker start-up (what a user waits), and of the lengths before and after shrinking.
//   npm run bench -- --time-to-bug [--runs K] [--workers N] [--only NAME] [--strategies swarm,uniform,novelty,explore,finish,width,width-by] [--limit SECONDS]
import { parseArgs } from 'node:util';
import { defaultWorkers } from '../engine/pool.js';
import { parseConstantOverride } from '../spec/cfg.js';
import { simulateSpec } from '../simulate/index.js';
import type { WalkSettings } from '../simulate/search.js';

interface Target {
  readonly name: string;
  readonly spec: string;
  readonly consts?: string[];
  readonly property: string;
  /** States in the shortest counterexample breadth-first search finds (Figure 8: the hand-written trace its test replays). */
  readonly shortest: number;
  readonly shortestFrom: string;
  readonly limitS: number;
  /** The variables the width-by strategy partitions novelty by (targets without them skip it). */
  readonly widthBy?: string[];
}

const TARGETS: Target[] = [
  { name: 'paxos-naive', spec: 'specs/paxos-naive.cfg', property: 'Agreement', shortest: 13, shortestFrom: 'BFS', limitS: 120 },
  { name: 'raft-vote-any-log', spec: 'specs/long/raft-vote-any-log.cfg', property: 'LeaderCompleteness', shortest: 26, shortestFrom: 'BFS', limitS: 120, widthBy: ['log', 'commitIndex'] },
  { name: 'raft-append-unchecked', spec: 'specs/long/raft-append-unchecked.cfg', property: 'StateMachineSafety', shortest: 30, shortestFrom: 'BFS', limitS: 120, widthBy: ['log', 'commitIndex'] },
  { name: 'raft-commit-old-term (Figure 8, MaxTerm 5)', spec: 'specs/long/raft-commit-old-term.cfg', property: 'LeaderCompleteness', shortest: 52, shortestFrom: 'hand-written trace', limitS: 120, widthBy: ['log', 'commitIndex'] },
];

const STRATEGIES: Record<string, Omit<WalkSettings, 'depth'>> = {
  swarm: { walks: 100, swarm: true, balance: 'action' },
  weighted: { walks: 100, swarm: true, weighted: true, balance: 'action' },
  uniform: { walks: 100, swarm: false, balance: 'action' },
  successor: { walks: 100, swarm: false, balance: 'successor' },
  novelty: { walks: 2000, swarm: true, weighted: true, balance: 'action', novelty: true },
  explore: { walks: 2000, swarm: true, weighted: true, balance: 'action', explore: true },
  finish: { walks: 2000, swarm: true, weighted: true, balance: 'action', explore: true, finish: true },
  // The width search does not depend on the seed: one run each.
  width: { walks: 1, swarm: false, balance: 'action', width: 2 },
  'width-by': { walks: 1, swarm: false, balance: 'action', width: 2 },
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { runs: { type: 'string' }, workers: { type: 'string' }, only: { type: 'string' }, strategies: { type: 'string' }, limit: { type: 'string' }, depth: { type: 'string' } },
  });
  const runs = Number(values.runs ?? 5);
  const workers = values.workers ? Number(values.workers) : defaultWorkers();
  const strategies = (values.strategies ?? 'swarm,uniform').split(',');
  for (const s of strategies) if (!(s in STRATEGIES)) throw new Error(`unknown strategy ${s}; strategies: ${Object.keys(STRATEGIES).join(', ')}`);
  const depth = Number(values.depth ?? 100);
  const targets = TARGETS.filter((t) => !values.only || t.name.includes(values.only));
  console.log(`quorum time to bug: ${runs} runs per target and strategy (first seeds 1000, 2000, ...), ${workers} workers, depth ${depth}, Node ${process.version}`);
  console.log('target | strategy | found | median time to violation | median with shrinking | median length found | median shrunk | best shrunk | shortest (BFS) | runs: shrunk length @ seconds');
  for (const t of targets) {
    for (const name of strategies) {
      if (name === 'width-by' && t.widthBy === undefined) continue;
      const settings: WalkSettings = { depth, ...STRATEGIES[name]!, ...(name === 'width-by' ? { widthBy: t.widthBy } : {}) };
      const limitS = values.limit ? Number(values.limit) : t.limitS;
      const samples: { found: boolean; toViolation: number; total: number; original: number; shrunk: number; seed: number }[] = [];
      const n = settings.width !== undefined ? 1 : runs;
      for (let k = 1; k <= n; k++) {
        const r = await simulateSpec(t.spec, { workers, overrides: (t.consts ?? []).map(parseConstantOverride), settings, firstSeed: k * 1000, timeLimitMs: limitS * 1000 });
        const f = r.finding;
        if (f && f.violation.name !== t.property) throw new Error(`${t.name}: found ${f.violation.kind} ${f.violation.name}, expected ${t.property}`);
        samples.push(
          f
            ? { found: true, toViolation: (r.stats.elapsedMs - f.shrinkMs) / 1000, total: r.stats.elapsedMs / 1000, original: f.originalLength, shrunk: f.violation.length, seed: f.seed }
            : { found: false, toViolation: Infinity, total: Infinity, original: NaN, shrunk: NaN, seed: NaN },
        );
      }
      const found = samples.filter((s) => s.found);
      const med = (f: (s: (typeof samples)[number]) => number) => (found.length ? median(samples.map(f)) : Infinity);
      const sec = (x: number) => (Number.isFinite(x) ? `${x.toFixed(1)} s` : `> ${limitS} s`);
      console.log(
        [
          t.name,
          name,
          `${found.length}/${n}`,
          sec(med((s) => s.toViolation)),
          sec(med((s) => s.total)),
          found.length ? String(median(found.map((s) => s.original))) : '-',
          found.length ? String(median(found.map((s) => s.shrunk))) : '-',
          found.length ? String(Math.min(...found.map((s) => s.shrunk))) : '-',
          `${t.shortest} (${t.shortestFrom})`,
          samples.map((s) => (s.found ? `${s.shrunk}@${s.total.toFixed(1)}` : `none@${limitS}`)).join(' '),
        ].join(' | '),
      );
    }
  }
}

await main();
