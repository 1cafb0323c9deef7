// Live progress of a simulation (what the dashboard shows): a seed's counts while it runs, the
// violation while it is shrunk, the seeds in flight on this thread and on workers, and Ctrl-C.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CompiledModel } from '../engine/compiled-model.js';
import counters from './test-models/counters.js';
import { simulateSpec, type SimulateProgress } from './index.js';
import { runSeed, type SeedLive, type WalkSettings } from './search.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '../../..');
const settings: WalkSettings = { depth: 40, walks: 50, swarm: true, balance: 'action' };
const dir = mkdtempSync(join(tmpdir(), 'quorum-sim-progress-'));

function specFile(limit: number): string {
  const f = join(dir, `counters-${limit}.cfg`);
  writeFileSync(f, `MODEL ${join(ROOT, 'src/simulate/test-models/counters.ts')}\nCONSTANTS Limit = ${limit}\nINVARIANT XBelowLimit\n`);
  return f;
}

describe('runSeed onWalk', () => {
  it('reports the counts before each walk, then the shrinking of the violation down to the shrunk length', () => {
    const model = new CompiledModel<unknown>(counters as never, counters.build({ Limit: 4 }) as never, { invariants: ['XBelowLimit'] });
    const live: SeedLive[] = [];
    const r = runSeed(model, settings, 42, { onWalk: (l) => live.push(l) });
    const f = r.finding!;
    expect(f.violation.length).toBe(5);
    const searching = live.filter((l) => l.shrinking === null);
    // One report before each walk of the search; the last walk's counts arrive with the result.
    expect(searching.map((l) => l.walks)).toEqual(Array.from({ length: r.walks }, (_, i) => i));
    const shrinking = live.filter((l) => l.shrinking !== null).map((l) => l.shrinking!);
    expect(shrinking.length).toBeGreaterThan(0);
    expect(shrinking[0]).toMatchObject({ kind: 'invariant', name: 'XBelowLimit', originalLength: f.originalLength, length: f.originalLength, tries: 1, shrinks: 0 });
    expect(shrinking.map((s) => s.tries)).toEqual(shrinking.map((_, i) => i + 1));
    for (let i = 1; i < shrinking.length; i++) expect(shrinking[i]!.length).toBeLessThanOrEqual(shrinking[i - 1]!.length);
    expect(shrinking.at(-1)!.length).toBe(5);
    expect(shrinking.at(-1)!.shrinks).toBe(f.shrinks);
    // Shrinking counts no walks.
    for (const l of live.filter((x) => x.shrinking !== null)) expect(l.walks).toBe(r.walks);
  });
});

describe('simulateSpec progress', () => {
  it('on this thread: the running seed with its live counts, then the violation being shrunk', async () => {
    const seen: SimulateProgress[] = [];
    const r = await simulateSpec(specFile(4), { workers: 0, settings, firstSeed: 42, lastSeed: 42, onProgress: (p) => seen.push(p), progressIntervalMs: 0 });
    expect(r.status).toBe('violation');
    const walking = seen.filter((p) => p.running?.length === 1 && p.running[0]!.walks > 0 && p.running[0]!.shrinking === null);
    expect(walking.length).toBeGreaterThan(0);
    expect(walking[0]!.running![0]).toMatchObject({ seed: 42, worker: 0 });
    const shrinking = seen.filter((p) => p.finding?.shrinking);
    expect(shrinking.length).toBeGreaterThan(0);
    expect(shrinking[0]!.finding).toMatchObject({ seed: 42, kind: 'invariant', name: 'XBelowLimit', originalLength: r.finding!.originalLength });
  });

  it('on a worker: live counts arrive while a seed runs, and Ctrl-C (the signal) ends the run without waiting for it', async () => {
    const abort = new AbortController();
    let live: SimulateProgress | undefined;
    // Seeds of a million walks: the run ends only by the signal, sent once a live count has arrived.
    const r = await simulateSpec(specFile(1_000_000), {
      workers: 1,
      settings: { ...settings, walks: 1_000_000 },
      firstSeed: 7,
      progressIntervalMs: 20,
      signal: abort.signal,
      onProgress: (p) => {
        if (!live && p.running?.some((s) => s.walks > 0)) {
          live = p;
          abort.abort();
        }
      },
    });
    expect(live!.running![0]).toMatchObject({ seed: 7, worker: 1, shrinking: null });
    expect(live!.running![0]!.steps).toBeGreaterThan(0);
    expect(r.status).toBe('stopped');
    expect(r.interrupted).toBe(true);
    expect(r.seedsDone).toBeNull();
  }, 60_000);
});
