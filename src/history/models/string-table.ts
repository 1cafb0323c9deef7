// Interned strings for models whose values grow by appends (kv). Each distinct content gets one id,
// so a state holds small integers: hashing and comparing states no longer walks strings that grow
// with every append. Appending is O(1): the new content's polynomial hashes come from the old one's
// and the suffix's, and contents are compared only when both hashes match (strings are kept as
// JavaScript ropes and never flattened otherwise). Tables are open addressing over typed arrays, so
// the many strings a search makes cost no objects beyond the ropes.
const P1 = 67108859; // primes below 2^26: products of two residues stay exact in a double
const P2 = 67108837;
const B = 131;

function grow(a: Int32Array, min: number): Int32Array {
  if (a.length > min) return a;
  const b = new Int32Array(Math.max(a.length * 2, min + 1));
  b.set(a);
  return b;
}

export class StringTable {
  private readonly strings: string[] = [];
  private h1: Int32Array = new Int32Array(1024);
  private h2: Int32Array = new Int32Array(1024);
  // content → id: slots hold id + 1
  private slots: Int32Array = new Int32Array(2048);
  // (id, suffix) → id of the appended content
  private pairSlots: Int32Array = new Int32Array(2048);
  private pairBase: Int32Array = new Int32Array(1024);
  private pairSuffix: Int32Array = new Int32Array(1024);
  private pairResult: Int32Array = new Int32Array(1024);
  private pairs = 0;
  private readonly suffixIds = new Map<string, number>();
  private readonly suffixText: string[] = [];
  private sh1: Int32Array = new Int32Array(64);
  private sh2: Int32Array = new Int32Array(64);
  private sp1: Int32Array = new Int32Array(64);
  private sp2: Int32Array = new Int32Array(64);
  private readonly literal = new Map<string, number>();

  get size(): number {
    return this.strings.length;
  }

  /** The id of this content. */
  intern(s: string): number {
    const known = this.literal.get(s);
    if (known !== undefined) return known;
    let h1 = 0;
    let h2 = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      h1 = (h1 * B + c) % P1;
      h2 = (h2 * B + c) % P2;
    }
    const id = this.find(h1, h2, s, -1, 0);
    this.literal.set(s, id);
    return id;
  }

  /** The id of content(id) + suffix. */
  append(id: number, suffix: string): number {
    const sid = this.suffixId(suffix);
    const mask = this.pairSlots.length - 1;
    let slot = (Math.imul(id, 0x9e3779b1) ^ Math.imul(sid, 0x85ebca6b)) & mask;
    for (;;) {
      const p = this.pairSlots[slot]!;
      if (p === 0) break;
      if (this.pairBase[p - 1] === id && this.pairSuffix[p - 1] === sid) return this.pairResult[p - 1]!;
      slot = (slot + 1) & mask;
    }
    const h1 = (this.h1[id]! * this.sp1[sid]! + this.sh1[sid]!) % P1;
    const h2 = (this.h2[id]! * this.sp2[sid]! + this.sh2[sid]!) % P2;
    const out = this.find(h1, h2, undefined, id, sid);
    const p = this.pairs++;
    this.pairBase = grow(this.pairBase, p);
    this.pairSuffix = grow(this.pairSuffix, p);
    this.pairResult = grow(this.pairResult, p);
    this.pairBase[p] = id;
    this.pairSuffix[p] = sid;
    this.pairResult[p] = out;
    this.pairSlots[slot] = p + 1;
    if (this.pairs * 2 > this.pairSlots.length) this.pairSlots = this.rehash(this.pairSlots, this.pairs, (q) => Math.imul(this.pairBase[q]!, 0x9e3779b1) ^ Math.imul(this.pairSuffix[q]!, 0x85ebca6b));
    return out;
  }

  text(id: number): string {
    return this.strings[id]!;
  }

  private suffixId(suffix: string): number {
    let sid = this.suffixIds.get(suffix);
    if (sid !== undefined) return sid;
    sid = this.suffixText.length;
    let h1 = 0;
    let h2 = 0;
    let p1 = 1;
    let p2 = 1;
    for (let i = 0; i < suffix.length; i++) {
      const c = suffix.charCodeAt(i);
      h1 = (h1 * B + c) % P1;
      h2 = (h2 * B + c) % P2;
      p1 = (p1 * B) % P1;
      p2 = (p2 * B) % P2;
    }
    this.sh1 = grow(this.sh1, sid);
    this.sh2 = grow(this.sh2, sid);
    this.sp1 = grow(this.sp1, sid);
    this.sp2 = grow(this.sp2, sid);
    this.sh1[sid] = h1;
    this.sh2[sid] = h2;
    this.sp1[sid] = p1;
    this.sp2[sid] = p2;
    this.suffixText.push(suffix);
    this.suffixIds.set(suffix, sid);
    return sid;
  }

  /** The id of the content with these hashes: `flat`, or content(base) + suffix. */
  private find(h1: number, h2: number, flat: string | undefined, base: number, sid: number): number {
    const mask = this.slots.length - 1;
    let slot = (h1 ^ Math.imul(h2, 0x9e3779b1)) & mask;
    let s = flat;
    for (;;) {
      const e = this.slots[slot]!;
      if (e === 0) break;
      const id = e - 1;
      if (this.h1[id] === h1 && this.h2[id] === h2) {
        s ??= this.strings[base]! + this.suffixText[sid]!;
        if (this.strings[id] === s) return id;
      }
      slot = (slot + 1) & mask;
    }
    const id = this.strings.length;
    this.strings.push(s ?? this.strings[base]! + this.suffixText[sid]!);
    this.h1 = grow(this.h1, id);
    this.h2 = grow(this.h2, id);
    this.h1[id] = h1;
    this.h2[id] = h2;
    this.slots[slot] = id + 1;
    if (this.strings.length * 2 > this.slots.length)
      this.slots = this.rehash(this.slots, this.strings.length, (q) => this.h1[q]! ^ Math.imul(this.h2[q]!, 0x9e3779b1));
    return id;
  }

  private rehash(old: Int32Array, count: number, hashOf: (q: number) => number): Int32Array {
    const slots = new Int32Array(old.length * 2);
    const mask = slots.length - 1;
    for (let q = 0; q < count; q++) {
      let slot = hashOf(q) & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = q + 1;
    }
    return slots;
  }
}
