// The seen table: a set of 64-bit fingerprints (two non-zero 32-bit halves) in shared memory.
import fc from 'fast-check';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { MAX_LOAD, SeenTable } from './seen-table.js';

/** A non-zero 32-bit half. */
const half = fc.integer({ min: 1, max: 0xffffffff });
const fpArb = fc.tuple(half, half);
const key = (h: number, l: number) => `${h >>> 0}:${l >>> 0}`;

describe('SeenTable', () => {
  it('insert is true the first time and false afterwards; has and count follow (against a JS Set)', () => {
    fc.assert(
      fc.property(fc.array(fpArb, { maxLength: 400 }), fc.integer({ min: 1, max: 700 }), (fps, extra) => {
        const capacity = Math.ceil(fps.length / MAX_LOAD) + extra; // any capacity, not only powers of two
        const t = SeenTable.create(capacity);
        const ref = new Set<string>();
        for (const [h, l] of fps) {
          const fresh = !ref.has(key(h, l));
          expect(t.insert(h, l)).toBe(fresh);
          ref.add(key(h, l));
          expect(t.has(h, l)).toBe(true);
          expect(t.count).toBe(ref.size);
        }
        for (const [h, l] of fps) expect(t.insert(h, l)).toBe(false);
        expect(t.count).toBe(ref.size);
        expect(t.room).toBe(Math.floor(capacity * MAX_LOAD) - ref.size);
      }),
      { numRuns: 200 },
    );
  });

  it('fingerprints sharing a half are distinct entries (same low word, same high word, swapped halves)', () => {
    const t = SeenTable.create(64);
    const fps: [number, number][] = [
      [1, 7], [2, 7], [3, 7], [0xffffffff, 7], // same low word: same home slot, probing
      [7, 1], [7, 2], // same high word
      [5, 9], [9, 5], // swapped
    ];
    for (const [h, l] of fps) expect(t.insert(h, l)).toBe(true);
    for (const [h, l] of fps) expect(t.has(h, l)).toBe(true);
    expect(t.has(4, 7)).toBe(false);
    expect(t.has(7, 3)).toBe(false);
    expect(t.has(9, 9)).toBe(false);
    expect(t.count).toBe(fps.length);
    // Values above 2^31 and their int32 views are the same fingerprint.
    expect(t.insert(0xffffffff | 0, 7)).toBe(false);
    expect(t.has(-1, 7)).toBe(true);
  });

  it('has is false on an empty table and for absent fingerprints', () => {
    fc.assert(
      fc.property(fc.array(fpArb, { maxLength: 100 }), fc.array(fpArb, { maxLength: 100 }), (ins, probes) => {
        const t = SeenTable.create(256);
        const ref = new Set<string>();
        for (const [h, l] of ins) {
          t.insert(h, l);
          ref.add(key(h, l));
        }
        for (const [h, l] of probes) expect(t.has(h, l)).toBe(ref.has(key(h, l)));
      }),
      { numRuns: 200 },
    );
  });

  it('wraps around the end of the table when probing', () => {
    const cap = 10;
    const t = SeenTable.create(cap);
    // A low word of 0xffffffff has its home in the last slot.
    const fps: [number, number][] = Array.from({ length: 8 }, (_, i) => [i + 1, 0xffffffff]);
    for (const [h, l] of fps) expect(t.insert(h, l)).toBe(true);
    for (const [h, l] of fps) expect(t.has(h, l)).toBe(true);
    expect(t.count).toBe(8);
  });

  it('a full table says so instead of looping', () => {
    const t = SeenTable.create(4);
    for (let i = 1; i <= 4; i++) expect(t.insert(i, i * 12345)).toBe(true);
    expect(() => t.insert(99, 99)).toThrow(/full/);
    expect(t.has(99, 99)).toBe(false);
    expect(t.insert(2, 2 * 12345)).toBe(false); // present ones are still found
  });

  it('grown() keeps every fingerprint, at least 1.5x the capacity, and the requested room', () => {
    fc.assert(
      fc.property(fc.array(fpArb, { minLength: 1, maxLength: 300 }), fc.nat(5000), (fps, minRoom) => {
        let t = SeenTable.create(Math.ceil(fps.length / MAX_LOAD) + 1);
        const ref = new Set<string>();
        for (const [h, l] of fps) {
          t.insert(h, l);
          ref.add(key(h, l));
        }
        const g = t.grown(minRoom);
        expect(g.capacity).toBeGreaterThanOrEqual(Math.ceil(t.capacity * 1.5));
        expect(g.room).toBeGreaterThanOrEqual(minRoom);
        expect(g.count).toBe(ref.size);
        for (const [h, l] of fps) expect(g.has(h, l)).toBe(true);
        for (const [h, l] of fps) expect(g.insert(h, l)).toBe(false);
        // The old table is untouched, and the new one takes new entries.
        expect(t.count).toBe(ref.size);
        expect(g.insert(0x12345678, 0x9abcdef0)).toBe(!ref.has(key(0x12345678, 0x9abcdef0)));
        t = g;
      }),
      { numRuns: 100 },
    );
  });

  it('grows repeatedly from a tiny table (as the explorer does at 80% load) without losing anything', () => {
    let t = SeenTable.create(2);
    const n = 50_000;
    for (let i = 0; i < n; i++) {
      if (t.room <= 0) t = t.grown();
      // A cheap scramble so entries spread over the table.
      const h = (Math.imul(i + 1, 0x9e3779b1) >>> 0) || 1;
      const l = (Math.imul(i + 1, 0x85ebca6b) >>> 0) || 1;
      expect(t.insert(h, l)).toBe(true);
    }
    expect(t.count).toBe(n);
    expect(t.count).toBeLessThanOrEqual(t.capacity * MAX_LOAD);
    for (let i = 0; i < n; i += 97) {
      expect(t.has((Math.imul(i + 1, 0x9e3779b1) >>> 0) || 1, (Math.imul(i + 1, 0x85ebca6b) >>> 0) || 1)).toBe(true);
    }
    expect(t.bytes).toBe(8 + t.capacity * 8);
  });

  it('attach() sees the same memory: inserts through one handle are seen through the other', () => {
    const a = SeenTable.create(100);
    const b = SeenTable.attach(a.handle());
    expect(a.insert(3, 4)).toBe(true);
    expect(b.has(3, 4)).toBe(true);
    expect(b.insert(3, 4)).toBe(false);
    expect(b.insert(5, 6)).toBe(true);
    expect(a.count).toBe(2);
    expect(b.capacity).toBe(100);
  });

  it('threads inserting overlapping fingerprints at once: each is new to exactly one of them', async () => {
    const t = SeenTable.create(1 << 15);
    const n = 20_000;
    // Plain JS in the workers: the same algorithm is under test through the shared memory, so the
    // workers import the TypeScript module through tsx, as the engine's workers do.
    const code = `
      const { workerData, parentPort } = require('node:worker_threads');
      (async () => {
        const { register } = await import('tsx/esm/api');
        register();
        const { SeenTable } = await import(workerData.module);
        const t = SeenTable.attach({ sab: workerData.sab });
        let fresh = 0;
        const mine = [];
        for (let k = 0; k < workerData.n; k++) {
          // Every thread inserts the same fingerprints, each starting at a different place.
          const i = (k + workerData.offset) % workerData.n;
          const h = (Math.imul(i + 1, 0x9e3779b1) >>> 0) || 1;
          const l = ((i % 50) + 1) * 0x01000193 >>> 0; // only 50 low words: heavy probing and contention
          if (t.insert(h, l)) { fresh++; mine.push(i); }
        }
        parentPort.postMessage({ fresh, mine });
      })();
    `;
    const module = new URL('./seen-table.ts', import.meta.url).href;
    const run = (offset: number) =>
      new Promise<{ fresh: number; mine: number[] }>((resolve, reject) => {
        const w = new Worker(code, { eval: true, workerData: { sab: t.sab, n, offset, module } });
        w.once('message', (m) => {
          resolve(m);
          void w.terminate();
        });
        w.once('error', reject);
      });
    const results = await Promise.all([run(0), run(n / 2)]);
    expect(results.reduce((s, r) => s + r.fresh, 0)).toBe(n);
    const all = results.flatMap((r) => r.mine).sort((x, y) => x - y);
    expect(all).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(t.count).toBe(n);
  }, 60_000);
});
