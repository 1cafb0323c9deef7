// A frontier chunk: states in their compact encoding plus their fingerprints and their parents'
// fingerprints. The bytes cross threads as transferable buffers; the fingerprint arrays are what
// the run keeps per level to rebuild counterexamples (16 bytes per distinct state).
import { ByteWriter, type StateCodec } from './codec.js';

export interface Chunk {
  readonly count: number;
  readonly bytes: Uint8Array;
  /** offsets[i]..offsets[i+1] are state i's bytes. */
  readonly offsets: Uint32Array;
  /** [hi, lo] per state. */
  readonly fps: Uint32Array;
  /** [hi, lo] of each state's parent; [0, 0] for an initial state. */
  readonly parents: Uint32Array;
}

export const CHUNK_STATES = 2048;

// Scratch space for building chunks, kept between tasks: a worker builds chunks of hundreds of kilobytes
// task after task, and fresh buffers each time (grown by doubling) cost allocations, copies and page faults.
interface Scratch {
  writer: ByteWriter;
  offsets: Uint32Array;
  fps: Uint32Array;
  parents: Uint32Array;
}
const spare: Scratch[] = [];

function grow(a: Uint32Array, need: number): Uint32Array {
  if (need <= a.length) return a;
  const b = new Uint32Array(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

export class ChunkBuilder {
  private scratch: Scratch;
  /** States in the chunk being built. */
  private n = 0;
  readonly done: Chunk[] = [];

  constructor(private readonly codec: StateCodec, private readonly limit = CHUNK_STATES) {
    this.scratch = spare.pop() ?? { writer: new ByteWriter(1 << 16), offsets: new Uint32Array(1024), fps: new Uint32Array(2048), parents: new Uint32Array(2048) };
    this.scratch.writer.pos = 0;
    this.scratch.offsets[0] = 0;
  }

  add(state: unknown, hi: number, lo: number, parentHi: number, parentLo: number): void {
    const sc = this.scratch;
    this.codec.encode(state, sc.writer);
    const n = this.n;
    if (n + 2 > sc.offsets.length) sc.offsets = grow(sc.offsets, n + 2);
    if (2 * n + 2 > sc.fps.length) {
      sc.fps = grow(sc.fps, 2 * n + 2);
      sc.parents = grow(sc.parents, 2 * n + 2);
    }
    sc.offsets[n + 1] = sc.writer.pos;
    sc.fps[2 * n] = hi;
    sc.fps[2 * n + 1] = lo;
    sc.parents[2 * n] = parentHi;
    sc.parents[2 * n + 1] = parentLo;
    this.n = n + 1;
    if (this.n >= this.limit) this.flush();
  }

  flush(): void {
    const n = this.n;
    if (n === 0) return;
    const sc = this.scratch;
    // Copies of their own, exactly sized: chunks are transferred to other threads and kept per level.
    this.done.push({
      count: n,
      bytes: sc.writer.take(),
      offsets: sc.offsets.slice(0, n + 1),
      fps: sc.fps.slice(0, 2 * n),
      parents: sc.parents.slice(0, 2 * n),
    });
    this.n = 0;
  }

  /** All chunks built, the partial one included. The builder is not used after this. */
  take(): Chunk[] {
    this.flush();
    if (spare.length < 4) spare.push(this.scratch);
    return this.done.splice(0);
  }
}
