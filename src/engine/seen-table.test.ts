// The seen table: a set of 64-bit fingerprints (two non-zero 32-bit halves) in shared memory.
import fc from 'fast-check';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { HARD_LOAD, INSERTED, INSERTED_FULL, INSERTED_GROW, MAX_LOAD, PRESENT, SEGMENTS, SeenTable } from './seen-table.js';

/** A non-zero 32-bit half. */
const half = fc.integer({ min: 1, max: 0xffffffff });
const fpArb = fc.tuple(half, half);
const key = (h: number, l: number) => `${h >>> 0}:${l >>> 0}`;

describe('SeenTable', () => {
  it('insert is new the first time and present afterwards; has and count follow (against a JS Set)', () => {
    fc.assert(
      fc.property(fc.array(fpArb, { maxLength: 400 }), fc.integer({ min: 0, max: 1 << 17 }), (fps, capacity) => {
        const t = SeenTable.create(capacity); // any capacity, not only powers of two
        const ref = new Set<string>();
        for (const [h, l] of fps) {
          const fresh = !ref.has(key(h, l));
          expect(t.insert(h, l) !== PRESENT).toBe(fresh);
          ref.add(key(h, l));
          expect(t.has(h, l)).toBe(true);
          expect(t.count).toBe(ref.size);
        }
        for (const [h, l] of fps) expect(t.insert(h, l)).toBe(PRESENT);
        expect(t.count).toBe(ref.size);
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
    for (const [h, l] of fps) expect(t.insert(h, l)).toBe(INSERTED);
    for (const [h, l] of fps) expect(t.has(h, l)).toBe(true);
    expect(t.has(4, 7)).toBe(false);
    expect(t.has(7, 3)).toBe(false);
    expect(t.has(9, 9)).toBe(false);
    expect(t.count).toBe(fps.length);
    // Values above 2^31 and their int32 views are the same fingerprint.
    expect(t.insert(0xffffffff | 0, 7)).toBe(PRESENT);
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

  it('wraps around the end of a segment when probing', () => {
    const t = SeenTable.create(0);
    // A low word of 0xffffffff has its home in the last slot of its segment; these high words share segment 0.
    const fps: [number, number][] = Array.from({ length: 8 }, (_, i) => [i + 1, 0xffffffff]);
    for (const [h, l] of fps) expect(t.insert(h, l)).toBe(INSERTED);
    for (const [h, l] of fps) expect(t.has(h, l)).toBe(true);
    expect(t.count).toBe(8);
  });

  it('an insert says when its segment is past MAX_LOAD and HARD_LOAD, and a full segment says so instead of looping', () => {
    const t = SeenTable.create(0);
    const perSegment = t.capacity / SEGMENTS;
    // All in segment 0 (the top bits of the high word are 0).
    const results: number[] = [];
    for (let i = 1; i <= perSegment; i++) results.push(t.insert(i, Math.imul(i, 0x9e3779b1) | 1));
    const firstGrow = results.indexOf(INSERTED_GROW) + 1;
    const firstFull = results.indexOf(INSERTED_FULL) + 1;
    expect(firstGrow).toBe(Math.floor(perSegment * MAX_LOAD));
    expect(firstFull).toBe(Math.floor(perSegment * HARD_LOAD));
    expect(results.slice(0, firstGrow - 1).every((r) => r === INSERTED)).toBe(true);
    expect(t.mustGrow).toBe(true);
    expect(t.room).toBe(0);
    expect(() => t.insert(perSegment + 1, 99)).toThrow(/full/);
    expect(t.has(perSegment + 1, 99)).toBe(false);
    expect(t.insert(2, Math.imul(2, 0x9e3779b1) | 1)).toBe(PRESENT); // present ones are still found
    // Another segment is untouched.
    expect(t.insert(0x80000000 | 5, 5)).toBe(INSERTED);
  });

  it('grow() keeps every fingerprint, in place, and leaves no segment past MAX_LOAD', () => {
    fc.assert(
      fc.property(fc.array(fpArb, { minLength: 1, maxLength: 3000 }), (fps) => {
        const t = SeenTable.create(0);
        const handle = t.handle();
        const ref = new Set<string>();
        for (const [h, l] of fps) {
          t.insert(h, l);
          ref.add(key(h, l));
        }
        const before = t.capacity;
        const r = t.grow();
        expect(r.complete).toBe(true);
        expect(t.count).toBe(ref.size);
        expect(t.capacity).toBeGreaterThanOrEqual(before);
        expect(t.mustGrow).toBe(false);
        for (const [h, l] of fps) expect(t.has(h, l)).toBe(true);
        for (const [h, l] of fps) expect(t.insert(h, l)).toBe(PRESENT);
        // The same shared memory: a handle taken before the growth sees the grown table once re-attached.
        const again = SeenTable.attach(handle);
        expect(again.capacity).toBe(t.capacity);
        for (const [h, l] of fps) expect(again.has(h, l)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('grows repeatedly from a small table (as the explorer does at 80% load) without losing anything', () => {
    const t = SeenTable.create(0);
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      // A cheap scramble so entries spread over the segments.
      const h = (Math.imul(i + 1, 0x9e3779b1) >>> 0) || 1;
      const l = (Math.imul(i + 1, 0x85ebca6b) >>> 0) || 1;
      expect(t.add(h, l)).toBe(true);
    }
    expect(t.count).toBe(n);
    expect(t.count).toBeLessThanOrEqual(t.capacity * MAX_LOAD);
    // Growth keeps every segment that grew at least 53% full: at most 15 bytes per fingerprint.
    expect(t.bytes / n).toBeLessThan(15.1);
    for (let i = 0; i < n; i += 97) {
      expect(t.has((Math.imul(i + 1, 0x9e3779b1) >>> 0) || 1, (Math.imul(i + 1, 0x85ebca6b) >>> 0) || 1)).toBe(true);
    }
  });

  it('grow() within a byte limit grows less, and says when a full segment could not grow', () => {
    const t = SeenTable.create(0);
    const perSegment = t.capacity / SEGMENTS;
    for (let i = 1; i <= perSegment * MAX_LOAD; i++) t.insert(i, Math.imul(i, 0x9e3779b1) | 1); // segment 0 at MAX_LOAD
    expect(t.mustGrow).toBe(true);
    expect(t.grow(0).complete).toBe(false);
    expect(t.capacity).toBe(perSegment * SEGMENTS);
    const asked = Math.ceil((Math.floor(perSegment * MAX_LOAD) * 1.5) / MAX_LOAD) - perSegment; // to 53% full
    const limited = t.grow(perSegment * 8 * 0.1); // room for 10% more of segment 0
    expect(limited.complete).toBe(true);
    expect(t.capacity).toBe(perSegment * SEGMENTS + Math.floor(asked * ((perSegment * 8 * 0.1) / (asked * 8))));
    expect(t.mustGrow).toBe(false);
  });

  it('parts() and restore() round-trip the table, and reject bytes that are not one', () => {
    const t = SeenTable.create(0);
    const fps: [number, number][] = Array.from({ length: 5000 }, (_, i) => [(Math.imul(i + 1, 0x9e3779b1) >>> 0) || 1, (Math.imul(i + 7, 0x85ebca6b) >>> 0) || 1]);
    for (const [h, l] of fps) t.add(h, l);
    const parts = t.parts();
    const bytes = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
    let at = 0;
    for (const p of parts) {
      bytes.set(p, at);
      at += p.byteLength;
    }
    const reader = (b: Uint8Array) => {
      let pos = 0;
      return (into: Uint8Array) => {
        const n = Math.min(into.byteLength, b.byteLength - pos);
        into.set(b.subarray(pos, pos + n));
        pos += n;
        return n;
      };
    };
    const back = SeenTable.restore(bytes.byteLength, reader(bytes))!;
    expect(back.count).toBe(t.count);
    expect(back.capacity).toBe(t.capacity);
    for (const [h, l] of fps) expect(back.has(h, l)).toBe(true);
    expect(back.insert(1, 1)).toBe(t.has(1, 1) ? PRESENT : INSERTED);
    expect(SeenTable.restore(bytes.byteLength - 8, reader(bytes.subarray(0, bytes.byteLength - 8)))).toBeUndefined();
    const badCount = bytes.slice();
    new Int32Array(badCount.buffer)[2] = 1 << 30; // segment 0's count above its capacity
    expect(SeenTable.restore(badCount.byteLength, reader(badCount))).toBeUndefined();

    // An earlier quorum's checkpoint: [count, capacity] and one table's slots.
    const cap = 8000;
    const old = new Int32Array(2 + cap * 2);
    old[0] = fps.length;
    old[1] = cap;
    fps.forEach(([h, l], i) => {
      old[2 + i * 2] = h | 0;
      old[3 + i * 2] = l | 0;
    });
    const oldBytes = new Uint8Array(old.buffer);
    const fromOld = SeenTable.restore(oldBytes.byteLength, reader(oldBytes))!;
    expect(fromOld.count).toBe(fps.length);
    for (const [h, l] of fps) expect(fromOld.has(h, l)).toBe(true);
  });

  it('attach() sees the same memory: inserts through one handle are seen through the other', () => {
    const a = SeenTable.create(100);
    const b = SeenTable.attach(a.handle());
    expect(a.insert(3, 4)).toBe(INSERTED);
    expect(b.has(3, 4)).toBe(true);
    expect(b.insert(3, 4)).toBe(PRESENT);
    expect(b.insert(5, 6)).toBe(INSERTED);
    expect(a.count).toBe(2);
    expect(b.capacity).toBe(a.capacity);
    expect(b.sameAs(a.handle())).toBe(true);
    expect(b.sameAs(SeenTable.create(100).handle())).toBe(false);
    expect(b.isCurrent()).toBe(true);
    for (let i = 1; i <= 1000; i++) a.insert(i, i); // all in segment 0: past MAX_LOAD
    a.grow();
    expect(b.isCurrent()).toBe(false);
  });

  it('threads inserting overlapping fingerprints at once: each is new to exactly one of them', async () => {
    const t = SeenTable.create(1 << 17);
    const n = 20_000;
    // Plain JS in the workers: the same algorithm is under test through the shared memory, so the
    // workers import the TypeScript module through tsx, as the engine's workers do.
    const code = `
      const { workerData, parentPort } = require('node:worker_threads');
      (async () => {
        const { register } = await import('tsx/esm/api');
        register();
        const { SeenTable } = await import(workerData.module);
        const t = SeenTable.attach(workerData.handle);
        let fresh = 0;
        const mine = [];
        for (let k = 0; k < workerData.n; k++) {
          // Every thread inserts the same fingerprints, each starting at a different place.
          const i = (k + workerData.offset) % workerData.n;
          const h = (Math.imul(i + 1, 0x9e3779b1) >>> 0) || 1;
          const l = ((i % 50) + 1) * 0x01000193 >>> 0; // only 50 low words: heavy probing and contention
          if (t.insert(h, l) !== 0) { fresh++; mine.push(i); }
        }
        parentPort.postMessage({ fresh, mine });
      })();
    `;
    const module = new URL('./seen-table.ts', import.meta.url).href;
    const run = (offset: number) =>
      new Promise<{ fresh: number; mine: number[] }>((resolve, reject) => {
        const w = new Worker(code, { eval: true, workerData: { handle: t.handle(), n, offset, module } });
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
