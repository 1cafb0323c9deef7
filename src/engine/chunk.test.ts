// Chunks are how the frontier is stored and shipped: every state added must come back, in order,
// with its fingerprint and its parent's, whatever the chunk sizes and however often the builder's
// scratch buffers are reused.
import { List, Map as IMap } from 'immutable';
import { describe, expect, it } from 'vitest';
import { ChunkBuilder, CHUNK_STATES } from './chunk.js';
import { ByteReader, StateCodec } from './codec.js';

function stateOf(i: number): unknown {
  // Sizes vary, so offsets matter; some states are big enough to make the byte buffer grow.
  return IMap({ i, tag: `s${i % 7}`, pad: List(Array.from({ length: (i * 13) % 40 }, (_, k) => k + i)) });
}

function readBack(codec: StateCodec, chunks: ReturnType<ChunkBuilder['take']>): { states: unknown[]; fps: number[]; parents: number[] } {
  const states: unknown[] = [], fps: number[] = [], parents: number[] = [];
  for (const c of chunks) {
    expect(c.offsets.length).toBe(c.count + 1);
    expect(c.offsets[c.count]).toBe(c.bytes.length);
    const r = new ByteReader(c.bytes);
    for (let i = 0; i < c.count; i++) {
      r.pos = c.offsets[i]!;
      states.push(codec.decode(r));
      expect(r.pos).toBe(c.offsets[i + 1]);
    }
    fps.push(...c.fps);
    parents.push(...c.parents);
  }
  return { states, fps, parents };
}

describe('ChunkBuilder', () => {
  it('gives back every state, fingerprint and parent in order, across chunk limits and reused scratch buffers', () => {
    const codec = new StateCodec();
    for (const [n, limit] of [
      [5000, CHUNK_STATES],
      [3000, 1024],
      [1030, 5000],
      [1, 64],
      [0, 64],
      [4097, 2048],
    ] as const) {
      const b = new ChunkBuilder(codec, limit);
      for (let i = 0; i < n; i++) b.add(stateOf(i), i + 1, 2 * i + 1, i, 7);
      const chunks = b.take();
      expect(chunks.map((c) => c.count)).toEqual([...Array.from({ length: Math.floor(n / limit) }, () => limit), ...(n % limit ? [n % limit] : [])]);
      const { states, fps, parents } = readBack(codec, chunks);
      expect(states.length).toBe(n);
      for (let i = 0; i < n; i++) {
        expect(IMap.isMap(states[i]) && (states[i] as IMap<string, unknown>).equals(stateOf(i) as IMap<string, unknown>)).toBe(true);
        expect([fps[2 * i], fps[2 * i + 1], parents[2 * i], parents[2 * i + 1]]).toEqual([i + 1, 2 * i + 1, i, 7]);
      }
    }
  });

  it('chunks taken from one builder are not changed by the next builder (the scratch is copied out)', () => {
    const codec = new StateCodec();
    const first = new ChunkBuilder(codec, 100);
    for (let i = 0; i < 150; i++) first.add(stateOf(i), 1, i + 1, 0, 0);
    const a = first.take();
    const second = new ChunkBuilder(codec, 100);
    for (let i = 500; i < 800; i++) second.add(stateOf(i), 2, i + 1, 0, 0);
    second.take();
    const { states, fps } = readBack(codec, a);
    expect(states.length).toBe(150);
    states.forEach((s, i) => expect((s as IMap<string, unknown>).get('i')).toBe(i));
    expect(fps.filter((_, k) => k % 2 === 1)).toEqual(Array.from({ length: 150 }, (_, i) => i + 1));
  });
});
