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

export class ChunkBuilder {
  private readonly writer = new ByteWriter(1 << 16);
  private offsets: number[] = [0];
  private fps: number[] = [];
  private parents: number[] = [];
  readonly done: Chunk[] = [];

  constructor(private readonly codec: StateCodec, private readonly limit = CHUNK_STATES) {}

  add(state: unknown, hi: number, lo: number, parentHi: number, parentLo: number): void {
    this.codec.encode(state, this.writer);
    this.offsets.push(this.writer.pos);
    this.fps.push(hi, lo);
    this.parents.push(parentHi, parentLo);
    if (this.fps.length >= this.limit * 2) this.flush();
  }

  flush(): void {
    if (this.fps.length === 0) return;
    this.done.push({
      count: this.fps.length / 2,
      bytes: this.writer.take(),
      offsets: Uint32Array.from(this.offsets),
      fps: Uint32Array.from(this.fps),
      parents: Uint32Array.from(this.parents),
    });
    this.offsets = [0];
    this.fps = [];
    this.parents = [];
  }

  /** All chunks built, the partial one included. */
  take(): Chunk[] {
    this.flush();
    return this.done.splice(0);
  }
}
