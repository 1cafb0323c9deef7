// Lowe's memoization for the Wing & Gong search: the set of (linearized ops, model state) pairs
// already explored. The linearized set is a bitset with an incrementally kept Zobrist hash (one
// random word per op), so a lookup costs one hash of the state, not a pass over the bitset.
import { hash as immutableHash, is } from 'immutable';

interface Entry {
  readonly bits: Uint32Array;
  readonly state: unknown;
  next: Entry | undefined;
}

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

function sameBits(a: Uint32Array, b: Uint32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export class MemoTable {
  private readonly table = new Map<number, Entry>();
  entries = 0;
  readonly bytesPerEntry: number;
  constructor(
    words: number,
    private readonly equal: (a: unknown, b: unknown) => boolean = is,
  ) {
    // The bitset, the entry object and the Map slot; states are shared with the search.
    this.bytesPerEntry = words * 4 + 64 + 48;
  }
  /** Adds (bits, state) unless present; true when it was new. */
  add(set: LinearizedSet, state: unknown, stateHash: number): boolean {
    const key = (set.hash ^ Math.imul(stateHash, 0x9e3779b1)) | 0;
    const head = this.table.get(key);
    for (let e = head; e !== undefined; e = e.next) if (sameBits(e.bits, set.bits) && this.equal(e.state, state)) return false;
    this.table.set(key, { bits: set.bits.slice(), state, next: head });
    this.entries++;
    return true;
  }
  get bytes(): number {
    return this.entries * this.bytesPerEntry;
  }
}

export function stateHasher(custom?: (s: never) => number): (s: unknown) => number {
  if (custom) return custom as (s: unknown) => number;
  // Immutable.hash is cached on collections; primitives are cheap except long strings.
  return immutableHash;
}
