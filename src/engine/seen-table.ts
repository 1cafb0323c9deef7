// The set of fingerprints seen so far, in shared memory, so every worker inserts directly with atomic
// compare-and-swap and no thread is a bottleneck.
//
// It is split into SEGMENTS tables by the top bits of the high word. Each is open addressing with linear
// probing in a growable SharedArrayBuffer, and grows in place, one at a time, through a scratch copy of
// one segment: growing the set costs a 64th of it on top, not a second table beside the old one, so a
// run under a memory budget can use nearly all of it for the set.
//
// A slot is two 32-bit words (high, low); neither half of a fingerprint is ever 0, so 0 means empty.
// A slot is claimed by CAS on the low word; the high word follows, and readers that see a claimed slot
// whose high word is still 0 wait for it. Segments grow only between tasks (when no worker runs).

import { totalmem } from 'node:os';

export const MAX_LOAD = 0.8;
/** Past this load of a segment, an insert asks its caller to stop at once (see `insert`). */
export const HARD_LOAD = 0.95;
export const SEGMENTS = 64;
const SEGMENT_SHIFT = 26; // 32 - log2(SEGMENTS)
const GROWTH = 1.5;
/** Segments at this load or more grow together (they all fill at about the same pace), each to MAX_LOAD / GROWTH. */
const GROW_WITH = 0.7;
const MIN_SEGMENT = 1024;
// The address space each segment reserves (not memory: pages are only backed once written).
const MAX_SEGMENT_BYTES = Math.min(2 ** 30, Math.max(2 ** 24, Math.ceil((2 * totalmem()) / SEGMENTS / 8) * 8));
// meta words: [count of each segment] [capacity of each segment] [generation] [table id]
const GENERATION = 2 * SEGMENTS;
const ID = 2 * SEGMENTS + 1;
const META_WORDS = 2 * SEGMENTS + 2;
let nextId = 1;
// The checkpoint form: magic, SEGMENTS, then each segment's count and capacity, then the segments' slots.
const MAGIC = 0x51534731; // "QSG1"
const HEADER_WORDS = 2 + 2 * SEGMENTS;

// Growable SharedArrayBuffers (ES2024, in Node 20) are not in the ES2022 library the project compiles against.
interface Growable {
  grow(bytes: number): void;
}
const GrowableSab = SharedArrayBuffer as unknown as new (bytes: number, options: { maxByteLength: number }) => SharedArrayBuffer;

/** What insert found. Truthy exactly when the fingerprint is new. */
export const PRESENT = 0;
export const INSERTED = 1;
/** Inserted, and its segment is past MAX_LOAD: finish the state at hand, then let the table grow. */
export const INSERTED_GROW = 2;
/** Inserted, and its segment is past HARD_LOAD: stop now. */
export const INSERTED_FULL = 3;

export interface SeenTableHandle {
  readonly meta: SharedArrayBuffer;
  readonly segments: readonly SharedArrayBuffer[];
}

/** How a growth went: whether every segment that had to grow did. */
export interface GrowthResult {
  readonly grown: number;
  readonly complete: boolean;
}

export class SeenTable {
  private readonly meta: Int32Array;
  private caps: number[] = [];
  private soft: number[] = [];
  private hard: number[] = [];
  private slots: Int32Array[] = [];
  /** The generation these views were made for; a growth makes a new one. */
  private generation = -1;
  private scratch: Int32Array | undefined;

  private constructor(
    private readonly metaSab: SharedArrayBuffer,
    private readonly segs: readonly SharedArrayBuffer[],
  ) {
    this.meta = new Int32Array(metaSab);
    this.refresh();
  }

  private refresh(): void {
    const m = this.meta;
    this.caps = [];
    this.soft = [];
    this.hard = [];
    this.slots = [];
    for (let s = 0; s < SEGMENTS; s++) {
      const cap = m[SEGMENTS + s]!;
      this.caps.push(cap);
      this.soft.push(Math.floor(cap * MAX_LOAD));
      this.hard.push(Math.floor(cap * HARD_LOAD));
      this.slots.push(new Int32Array(this.segs[s]!, 0, cap * 2));
    }
    this.generation = m[GENERATION]!;
  }

  /** A table of about `capacity` slots in all. */
  static create(capacity = 1 << 16): SeenTable {
    const per = Math.max(MIN_SEGMENT, Math.ceil(capacity / SEGMENTS));
    return SeenTable.withCapacities(new Array<number>(SEGMENTS).fill(per));
  }

  private static withCapacities(caps: readonly number[]): SeenTable {
    const meta = new SharedArrayBuffer(META_WORDS * 4);
    const m = new Int32Array(meta);
    m[ID] = (process.pid * 65536 + nextId++) | 0;
    const segs: SharedArrayBuffer[] = [];
    for (let s = 0; s < SEGMENTS; s++) {
      const bytes = caps[s]! * 8;
      if (bytes > MAX_SEGMENT_BYTES) throw new Error(`seen table segment of ${bytes} bytes is over the ${MAX_SEGMENT_BYTES} reserved`);
      segs.push(new GrowableSab(bytes, { maxByteLength: MAX_SEGMENT_BYTES }));
      m[SEGMENTS + s] = caps[s]!;
    }
    return new SeenTable(meta, segs);
  }

  static attach(handle: SeenTableHandle): SeenTable {
    return new SeenTable(handle.meta, handle.segments);
  }

  handle(): SeenTableHandle {
    return { meta: this.metaSab, segments: this.segs };
  }

  /** Whether a handle (from a later task) still shows these views: false once the table has grown. */
  isCurrent(): boolean {
    return Atomics.load(this.meta, GENERATION) === this.generation;
  }

  /** Whether a handle is this table's (handles that come in messages are new objects each time). */
  sameAs(handle: SeenTableHandle): boolean {
    return new Int32Array(handle.meta, ID * 4, 1)[0] === this.meta[ID];
  }

  get count(): number {
    let n = 0;
    for (let s = 0; s < SEGMENTS; s++) n += Atomics.load(this.meta, s);
    return n;
  }

  get capacity(): number {
    let n = 0;
    for (const c of this.caps) n += c;
    return n;
  }

  /** The memory the slots hold (what is backed, not the address space reserved). */
  get bytes(): number {
    return this.capacity * 8 + META_WORDS * 4;
  }

  /** The number of states that may surely be inserted before some segment must grow. */
  get room(): number {
    let least = Infinity;
    for (let s = 0; s < SEGMENTS; s++) least = Math.min(least, this.soft[s]! - Atomics.load(this.meta, s));
    return Math.max(0, least);
  }

  /** Whether some segment is past MAX_LOAD. */
  get mustGrow(): boolean {
    for (let s = 0; s < SEGMENTS; s++) if (Atomics.load(this.meta, s) >= this.soft[s]!) return true;
    return false;
  }

  /** Inserts a fingerprint: PRESENT, or INSERTED (or _GROW, _FULL: see those). Safe from many threads at once. */
  insert(hi: number, lo: number): number {
    const seg = hi >>> SEGMENT_SHIFT;
    const slots = this.slots[seg]!;
    const cap = this.caps[seg]!;
    const h = hi | 0, l = lo | 0;
    // Multiply-shift over the well-mixed low word: any capacity, not just powers of two.
    let i = Math.floor(((lo >>> 0) * cap) / 4294967296);
    for (let probes = 0; probes < cap; probes++) {
      const at = i * 2;
      // A plain read suffices to probe: a slot never returns to 0, and an empty-looking one is claimed
      // by compare-and-swap, which sees the true value. (Atomics.load is a builtin call here.)
      let cur = slots[at + 1]!;
      if (cur === 0) {
        const prev = Atomics.compareExchange(slots, at + 1, 0, l);
        if (prev === 0) {
          Atomics.store(slots, at, h);
          const n = Atomics.add(this.meta, seg, 1) + 1;
          return n < this.soft[seg]! ? INSERTED : n < this.hard[seg]! ? INSERTED_GROW : INSERTED_FULL;
        }
        cur = prev;
      }
      if (cur === l) {
        let other = Atomics.load(slots, at);
        while (other === 0) other = Atomics.load(slots, at); // the claimer is writing the high word
        if (other === h) return PRESENT;
      }
      i = i + 1 === cap ? 0 : i + 1;
    }
    throw new Error('seen table is full');
  }

  has(hi: number, lo: number): boolean {
    const seg = hi >>> SEGMENT_SHIFT;
    const slots = this.slots[seg]!;
    const cap = this.caps[seg]!;
    const h = hi | 0, l = lo | 0;
    let i = Math.floor(((lo >>> 0) * cap) / 4294967296);
    for (let probes = 0; probes < cap; probes++) {
      const at = i * 2;
      const cur = Atomics.load(slots, at + 1);
      if (cur === 0) return false;
      if (cur === l && Atomics.load(slots, at) === h) return true;
      i = i + 1 === cap ? 0 : i + 1;
    }
    return false;
  }

  /**
   * Grows, in place, every segment past GROW_WITH to a load of MAX_LOAD / GROWTH (or less, to keep within
   * `maxExtraBytes`), so the table stays at least 53% full: at most 15 bytes per fingerprint.
   * `complete` is false when a segment past MAX_LOAD could not grow enough: the table is full for that
   * budget. Call only while no other thread inserts.
   */
  grow(maxExtraBytes = Infinity): GrowthResult {
    const m = this.meta;
    const due: { s: number; extra: number }[] = [];
    let dueBytes = 0;
    for (let s = 0; s < SEGMENTS; s++) {
      const cap = this.caps[s]!;
      if (m[s]! < cap * GROW_WITH) continue;
      const target = Math.min(Math.ceil((m[s]! * GROWTH) / MAX_LOAD), Math.floor(MAX_SEGMENT_BYTES / 8));
      due.push({ s, extra: Math.max(0, target - cap) });
      dueBytes += Math.max(0, target - cap) * 8;
    }
    if (due.length === 0) return { grown: 0, complete: true };
    // Within the limit, each segment due gets the same share of what it asked for.
    const share = dueBytes <= maxExtraBytes ? 1 : maxExtraBytes / dueBytes;
    let grown = 0;
    let complete = true;
    for (const { s, extra } of due) {
      const cap = this.caps[s]!;
      const next = cap + Math.floor(extra * share);
      // A step under 2% would only move the stop a little further; past MAX_LOAD it counts as full.
      if (next < cap * 1.02 || next - m[s]! < 64) {
        if (m[s]! >= this.soft[s]!) complete = false;
        continue;
      }
      this.rehash(s, next);
      grown++;
    }
    if (grown > 0) {
      Atomics.add(m, GENERATION, 1);
      this.refresh();
    }
    return { grown, complete };
  }

  /** Grows segment `s` to `cap` slots in place: its entries go to a scratch copy and come back rehashed. */
  private rehash(s: number, cap: number): void {
    const oldCap = this.caps[s]!;
    const old = this.slots[s]!;
    if (this.scratch === undefined || this.scratch.length < oldCap * 2) this.scratch = new Int32Array(Math.ceil(oldCap * 2 * GROWTH));
    const scratch = this.scratch;
    scratch.set(old);
    (this.segs[s] as unknown as Growable).grow(cap * 8);
    const slots = new Int32Array(this.segs[s]!, 0, cap * 2);
    slots.fill(0, 0, oldCap * 2);
    for (let j = 0; j < oldCap; j++) {
      const l = scratch[j * 2 + 1]!;
      if (l === 0) continue;
      let i = Math.floor(((l >>> 0) * cap) / 4294967296);
      while (slots[i * 2 + 1] !== 0) i = i + 1 === cap ? 0 : i + 1;
      slots[i * 2] = scratch[j * 2]!;
      slots[i * 2 + 1] = l;
    }
    this.meta[SEGMENTS + s] = cap;
  }

  /** Inserts on a single thread, growing as needed; true when the fingerprint is new. */
  add(hi: number, lo: number): boolean {
    const r = this.insert(hi, lo);
    if (r >= INSERTED_GROW) this.grow();
    return r !== PRESENT;
  }

  /** The bytes of the table's checkpoint form, in order (header, then each segment). Only while no thread inserts. */
  parts(): Uint8Array[] {
    const header = new Int32Array(HEADER_WORDS);
    header[0] = MAGIC;
    header[1] = SEGMENTS;
    for (let s = 0; s < SEGMENTS; s++) {
      header[2 + 2 * s] = this.meta[s]!;
      header[3 + 2 * s] = this.caps[s]!;
    }
    return [new Uint8Array(header.buffer), ...this.slots.map((v) => new Uint8Array(v.buffer, 0, v.length * 4))];
  }

  /**
   * A table from its checkpoint form, read with `read(into)`, which fills `into` with the next bytes and
   * returns how many it read. Undefined when the bytes are not a table. `size` is the form's length;
   * a table written by an earlier quorum (one unsegmented table) is read too.
   */
  static restore(size: number, read: (into: Uint8Array) => number): SeenTable | undefined {
    const full = (into: Uint8Array) => read(into) === into.byteLength;
    if (size < 8 || size % 8 !== 0) return undefined;
    const first = new Int32Array(2);
    if (!full(new Uint8Array(first.buffer))) return undefined;
    if (first[0] === MAGIC && first[1] === SEGMENTS) {
      const rest = new Int32Array(HEADER_WORDS - 2);
      if (!full(new Uint8Array(rest.buffer))) return undefined;
      const caps: number[] = [];
      const counts: number[] = [];
      let total = HEADER_WORDS * 4;
      for (let s = 0; s < SEGMENTS; s++) {
        const count = rest[2 * s]!, cap = rest[2 * s + 1]!;
        if (cap < 1 || count < 0 || count > cap || cap * 8 > MAX_SEGMENT_BYTES) return undefined;
        counts.push(count);
        caps.push(cap);
        total += cap * 8;
      }
      if (total !== size) return undefined;
      const t = SeenTable.withCapacities(caps);
      for (let s = 0; s < SEGMENTS; s++) {
        if (!full(new Uint8Array(t.segs[s]!, 0, caps[s]! * 8))) return undefined;
        t.meta[s] = counts[s]!;
      }
      return t;
    }
    // The earlier form: [count, capacity] and the slots of one table.
    const count = first[0]!, cap = first[1]!;
    if (cap <= 0 || count < 0 || count > cap || 8 + cap * 8 !== size) return undefined;
    const t = SeenTable.create(Math.ceil(count / 0.65));
    const buf = new Int32Array(Math.min(cap, 1 << 20) * 2);
    for (let left = cap; left > 0; ) {
      const n = Math.min(left, buf.length / 2);
      const view = new Uint8Array(buf.buffer, 0, n * 8);
      if (!full(view)) return undefined;
      for (let j = 0; j < n; j++) if (buf[j * 2 + 1] !== 0) t.add(buf[j * 2]!, buf[j * 2 + 1]!);
      left -= n;
    }
    return t.count === count ? t : undefined;
  }
}
