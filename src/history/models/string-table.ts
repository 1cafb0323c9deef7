// Interned strings for models whose values grow by appends (kv). Each distinct content gets one id,
// so a state holds small integers: hashing and comparing states no longer walks strings that grow
// with every append. Appending is O(1): the new content's polynomial hash is computed from the old
// one and the suffix's, and content is compared only when two hashes match (strings are kept as
// JavaScript ropes and never flattened otherwise).
const P1 = 67108859; // primes below 2^26: products of two residues stay exact in a double
const P2 = 67108837;
const B = 131;

interface Suffix {
  readonly h1: number;
  readonly h2: number;
  readonly p1: number; // B^length mod P1
  readonly p2: number;
}

function hashOf(s: string): Suffix {
  let h1 = 0;
  let h2 = 0;
  let p1 = 1;
  let p2 = 1;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = (h1 * B + c) % P1;
    h2 = (h2 * B + c) % P2;
    p1 = (p1 * B) % P1;
    p2 = (p2 * B) % P2;
  }
  return { h1, h2, p1, p2 };
}

export class StringTable {
  private readonly strings: string[] = [];
  private readonly h1: number[] = [];
  private readonly h2: number[] = [];
  private readonly byHash = new Map<number, number[]>();
  private readonly appended: Map<string, number>[] = [];
  private readonly suffixes = new Map<string, Suffix>();
  private readonly literal = new Map<string, number>();

  /** The id of this content. */
  intern(s: string): number {
    const known = this.literal.get(s);
    if (known !== undefined) return known;
    const h = hashOf(s);
    const id = this.find(h.h1, h.h2, s, () => s);
    this.literal.set(s, id);
    return id;
  }

  /** The id of content(id) + suffix. */
  append(id: number, suffix: string): number {
    const memo = this.appended[id]!;
    const hit = memo.get(suffix);
    if (hit !== undefined) return hit;
    let sh = this.suffixes.get(suffix);
    if (sh === undefined) this.suffixes.set(suffix, (sh = hashOf(suffix)));
    const h1 = (this.h1[id]! * sh.p1 + sh.h1) % P1;
    const h2 = (this.h2[id]! * sh.p2 + sh.h2) % P2;
    const base = this.strings[id]!;
    const out = this.find(h1, h2, undefined, () => base + suffix);
    memo.set(suffix, out);
    return out;
  }

  text(id: number): string {
    return this.strings[id]!;
  }

  private find(h1: number, h2: number, flat: string | undefined, make: () => string): number {
    const key = h1 * 67108864 + h2;
    let bucket = this.byHash.get(key);
    if (bucket !== undefined) {
      const s = flat ?? make();
      for (const id of bucket) if (this.strings[id] === s) return id;
      return this.add(h1, h2, s, bucket);
    }
    bucket = [];
    this.byHash.set(key, bucket);
    return this.add(h1, h2, flat ?? make(), bucket);
  }

  private add(h1: number, h2: number, s: string, bucket: number[]): number {
    const id = this.strings.length;
    this.strings.push(s);
    this.h1.push(h1);
    this.h2.push(h2);
    this.appended.push(new Map());
    bucket.push(id);
    return id;
  }
}
