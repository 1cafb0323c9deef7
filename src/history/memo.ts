// Lowe's memoization for the Wing & Gong search: the set of (linearized ops, model state) pairs
// already explored (in a depth-first search, every one of them is a dead end). The linearized set is
// a bitset with an incrementally kept Zobrist hash (one random word per op), so a lookup hashes the
// state once and compares bitsets only on a hash match. The table is open addressing over typed
// arrays: no object per entry.
import { hash as immutableHash, is } from 'immutable';

/** Deterministic 32-bit random words (xorshift32), so runs are reproducible. */
export function zobristWords(n: number, seed = 0x9e3779b9): Int32Array {
  const out = new Int32Array(n);
  let x = seed | 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x;
  }
  return out;
}

export class LinearizedSet {
  readonly bits: Uint32Array;
  hash = 0;
  constructor(readonly size: number, private readonly zobrist: Int32Array) {
    this.bits = new Uint32Array((size + 31) >>> 5);
  }
  set(i: number): void {
    this.bits[i >>> 5]! |= 1 << (i & 31);
    this.hash ^= this.zobrist[i]!;
  }
  clear(i: number): void {
    this.bits[i >>> 5]! &= ~(1 << (i & 31));
    this.hash ^= this.zobrist[i]!;
  }
  has(i: number): boolean {
    return (this.bits[i >>> 5]! & (1 << (i & 31))) !== 0;
  }
}

export class MemoTable {
  entries = 0;
  private slots: Int32Array; // entry index + 1; 0 = empty
  private mask: number;
  private keys: Int32Array; // per entry
  private bitsStore: Uint32Array; // per entry, `words` words
  private states: unknown[] = [];
  private readonly words: number;
  constructor(
    size: number,
    private readonly equal: (a: unknown, b: unknown) => boolean = is,
  ) {
    this.words = Math.max(1, (size + 31) >>> 5);
    this.slots = new Int32Array(1024);
    this.mask = 1023;
    this.keys = new Int32Array(512);
    this.bitsStore = new Uint32Array(512 * this.words);
  }

  /** Adds (set, state) unless present; true when it was new. */
  add(set: LinearizedSet, state: unknown, stateHash: number): boolean {
    const key = (set.hash ^ Math.imul(stateHash, 0x9e3779b1)) | 0;
    const words = this.words;
    const bits = set.bits;
    const slots = this.slots;
    const mask = this.mask;
    let s = (key ^ (key >>> 15)) & mask;
    for (;;) {
      const e = slots[s]!;
      if (e === 0) break;
      const i = e - 1;
      if (this.keys[i] === key) {
        const base = i * words;
        let same = true;
        for (let w = 0; w < words; w++)
          if (this.bitsStore[base + w] !== bits[w]) {
            same = false;
            break;
          }
        if (same) {
          const st = this.states[i];
          if (st === state || this.equal(st, state)) return false;
        }
      }
      s = (s + 1) & mask;
    }
    const i = this.entries++;
    if (i >= this.keys.length) this.growEntries();
    this.keys[i] = key;
    this.bitsStore.set(bits, i * words);
    this.states.push(state);
    slots[s] = i + 1;
    if (this.entries * 2 > slots.length) this.rehash();
    return true;
  }

  private growEntries(): void {
    const keys = new Int32Array(this.keys.length * 2);
    keys.set(this.keys);
    this.keys = keys;
    const bits = new Uint32Array(this.bitsStore.length * 2);
    bits.set(this.bitsStore);
    this.bitsStore = bits;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let i = 0; i < this.entries; i++) {
      const key = this.keys[i]!;
      let s = (key ^ (key >>> 15)) & mask;
      while (slots[s] !== 0) s = (s + 1) & mask;
      slots[s] = i + 1;
    }
    this.slots = slots;
    this.mask = mask;
  }

  /** Estimated bytes held: slots, keys, bitsets and state references (states themselves are shared with the search or small). */
  get bytes(): number {
    return this.slots.length * 4 + this.keys.length * (4 + this.words * 4) + this.entries * 16;
  }
}

export function stateHasher(custom?: (s: never) => number): (s: unknown) => number {
  if (custom) return custom as (s: unknown) => number;
  // Immutable.hash is cached on collections; primitives are cheap except long strings.
  return immutableHash;
}

/** MemoTable for integer states (a compiled spec's): states live in a typed array, compared with ===. */
export class IntMemoTable {
  entries = 0;
  private slots = new Int32Array(1024); // entry index + 1; 0 = empty
  private mask = 1023;
  private keys = new Int32Array(512);
  private states = new Int32Array(512);
  private bitsStore: Uint32Array;
  private readonly words: number;
  constructor(size: number) {
    this.words = Math.max(1, (size + 31) >>> 5);
    this.bitsStore = new Uint32Array(512 * this.words);
  }

  /** Adds (set, state) unless present; true when it was new. */
  add(set: LinearizedSet, state: number): boolean {
    return this.addBits(set.bits, set.hash, state);
  }

  /** add() on a bitset and its Zobrist hash kept by the caller. */
  addBits(bits: Uint32Array, setHash: number, state: number): boolean {
    const key = (setHash ^ Math.imul(state, 0x9e3779b1)) | 0;
    const words = this.words;
    const slots = this.slots;
    const keys = this.keys;
    const store = this.bitsStore;
    const mask = this.mask;
    let s = (key ^ (key >>> 15)) & mask;
    for (;;) {
      const e = slots[s]!;
      if (e === 0) break;
      const i = e - 1;
      if (keys[i] === key && this.states[i] === state) {
        const base = i * words;
        let w = 0;
        while (w < words && store[base + w] === bits[w]) w++;
        if (w === words) return false;
      }
      s = (s + 1) & mask;
    }
    const i = this.entries++;
    if (i >= this.keys.length) this.growEntries();
    this.keys[i] = key;
    this.states[i] = state;
    this.bitsStore.set(bits, i * words);
    slots[s] = i + 1;
    if (this.entries * 2 > slots.length) this.rehash();
    return true;
  }

  private growEntries(): void {
    const n = this.keys.length * 2;
    const keys = new Int32Array(n);
    keys.set(this.keys);
    this.keys = keys;
    const states = new Int32Array(n);
    states.set(this.states);
    this.states = states;
    const bits = new Uint32Array(n * this.words);
    bits.set(this.bitsStore);
    this.bitsStore = bits;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let i = 0; i < this.entries; i++) {
      const key = this.keys[i]!;
      let s = (key ^ (key >>> 15)) & mask;
      while (slots[s] !== 0) s = (s + 1) & mask;
      slots[s] = i + 1;
    }
    this.slots = slots;
    this.mask = mask;
  }

  get bytes(): number {
    return this.slots.length * 4 + this.keys.length * (8 + this.words * 4);
  }
}
