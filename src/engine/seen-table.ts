// The set of fingerprints seen so far: open addressing with linear probing in a SharedArrayBuffer,
// so every worker inserts directly with atomic compare-and-swap and no thread is a bottleneck.
// A slot is two 32-bit words (high, low); neither half of a fingerprint is ever 0, so 0 means empty.
// A slot is claimed by CAS on the low word; the high word follows, and readers that see a claimed slot
// whose high word is still 0 wait for it. The table only grows between tasks (when no worker runs),
// by 1.5x at 80% load, so it always holds at least 53% and costs at most 15 bytes per distinct state.

export const MAX_LOAD = 0.8;
const GROWTH = 1.5;
const HEADER_WORDS = 2; // [count, capacity]

export interface SeenTableHandle {
  readonly sab: SharedArrayBuffer;
}

export class SeenTable {
  readonly capacity: number;
  private readonly header: Int32Array;
  private readonly slots: Int32Array;

  private constructor(readonly sab: SharedArrayBuffer) {
    this.header = new Int32Array(sab, 0, HEADER_WORDS);
    this.capacity = this.header[1]!;
    this.slots = new Int32Array(sab, HEADER_WORDS * 4, this.capacity * 2);
  }

  static create(capacity = 1 << 16): SeenTable {
    const sab = new SharedArrayBuffer(HEADER_WORDS * 4 + capacity * 8);
    new Int32Array(sab, 0, HEADER_WORDS)[1] = capacity;
    return new SeenTable(sab);
  }

  /** A table from the bytes `raw()` gave (a checkpoint's); undefined when they are not a table. */
  static restore(bytes: Uint8Array): SeenTable | undefined {
    if (bytes.byteLength < HEADER_WORDS * 4 || bytes.byteLength % 8 !== 0) return undefined;
    const sab = new SharedArrayBuffer(bytes.byteLength);
    new Uint8Array(sab).set(bytes);
    const capacity = new Int32Array(sab, 0, HEADER_WORDS)[1]!;
    if (capacity <= 0 || HEADER_WORDS * 4 + capacity * 8 !== bytes.byteLength) return undefined;
    return new SeenTable(sab);
  }

  /** The table as bytes (header included), for a checkpoint. Call only while no other thread inserts. */
  raw(): Uint8Array {
    return new Uint8Array(this.sab);
  }

  static attach(handle: SeenTableHandle): SeenTable {
    return new SeenTable(handle.sab);
  }

  handle(): SeenTableHandle {
    return { sab: this.sab };
  }

  get count(): number {
    return Atomics.load(this.header, 0);
  }

  get bytes(): number {
    return this.sab.byteLength;
  }

  /** The number of states that may still be inserted before the table must grow. */
  get room(): number {
    return Math.floor(this.capacity * MAX_LOAD) - this.count;
  }

  private home(lo: number): number {
    // Multiply-shift over the well-mixed low word: any capacity, not just powers of two.
    return Math.floor(((lo >>> 0) * this.capacity) / 4294967296);
  }

  /** Inserts a fingerprint; true when it was not there before. Safe to call from many threads at once. */
  insert(hi: number, lo: number): boolean {
    const slots = this.slots;
    const cap = this.capacity;
    const h = hi | 0, l = lo | 0;
    let i = this.home(lo);
    for (let probes = 0; probes < cap; probes++) {
      const at = i * 2;
      // A plain read suffices to probe: a slot never returns to 0, and an empty-looking one is claimed
      // by compare-and-swap, which sees the true value. (Atomics.load is a builtin call here.)
      let cur = slots[at + 1]!;
      if (cur === 0) {
        const prev = Atomics.compareExchange(slots, at + 1, 0, l);
        if (prev === 0) {
          Atomics.store(slots, at, h);
          Atomics.add(this.header, 0, 1);
          return true;
        }
        cur = prev;
      }
      if (cur === l) {
        let other = Atomics.load(slots, at);
        while (other === 0) other = Atomics.load(slots, at); // the claimer is writing the high word
        if (other === h) return false;
      }
      i = i + 1 === cap ? 0 : i + 1;
    }
    throw new Error('seen table is full');
  }

  has(hi: number, lo: number): boolean {
    const slots = this.slots;
    const cap = this.capacity;
    const h = hi | 0, l = lo | 0;
    let i = this.home(lo);
    for (let probes = 0; probes < cap; probes++) {
      const at = i * 2;
      const cur = Atomics.load(slots, at + 1);
      if (cur === 0) return false;
      if (cur === l && Atomics.load(slots, at) === h) return true;
      i = i + 1 === cap ? 0 : i + 1;
    }
    return false;
  }

  /** The bytes the next grown() allocates. */
  get grownBytes(): number {
    return HEADER_WORDS * 4 + Math.ceil(this.capacity * GROWTH) * 8;
  }

  /** A larger table with the same contents (`capacity` slots if given). Call only while no other thread inserts. */
  grown(minRoom = 0, capacity = Math.ceil(this.capacity * GROWTH)): SeenTable {
    while (capacity * MAX_LOAD - this.count < minRoom) capacity = Math.ceil(capacity * GROWTH);
    const next = SeenTable.create(capacity);
    const slots = this.slots;
    for (let i = 0; i < this.capacity; i++) {
      const lo = slots[i * 2 + 1]!;
      if (lo !== 0) next.insert(slots[i * 2]!, lo);
    }
    return next;
  }
}
