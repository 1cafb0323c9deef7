// Interned strings for models whose values grow by appends (kv). Each distinct content gets one id,
// so a state holds small integers: hashing and comparing states no longer walks strings that grow
// with every append. Appending is O(1): the new content's polynomial hashes come from the old one's
// and the suffix's. A content made by appending is kept as (the id it extends, the suffix), not as a
// string: a search makes one per legal append it tries (150k on kv c50-ok), and holding them as
// JavaScript strings cost most of its time in allocation and GC. Contents are spelled out only when
// both hashes match (to compare them) or when asked for with text().
// Two polynomial hashes modulo 2^32 (Math.imul: no floating-point modulo on the hot path). They are
// weak against crafted strings, which only costs comparisons: equal hashes are always verified.
// Per character, h * B + c stays below 2^53 for |h| < 2^31 and B < 2^21, so plain arithmetic and
// `| 0` give the hash modulo 2^32 exactly: no Math.imul call per character, which is most of the
// cost of hashing a long string before the JIT has compiled the loop.
const B1 = 131;
const B2 = 1000003;
/** Suffix ids stay below this (2^21), so base * SUFFIX_LIMIT + sid is an exact double below 2^53. */
const SUFFIX_LIMIT = 1 << 21;

/** The two hashes mixed into a slot index (murmur3's finalizer, so low bits depend on every bit). */
function mix(h1: number, h2: number): number {
  let x = h1 ^ Math.imul(h2, 0x9e3779b1);
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  return x;
}

function grow(a: Int32Array, min: number): Int32Array {
  if (a.length > min) return a;
  const b = new Int32Array(Math.max(a.length * 2, min + 1));
  b.set(a);
  return b;
}

export class StringTable {
  private count = 0;
  private h1: Int32Array = new Int32Array(1024);
  private h2: Int32Array = new Int32Array(1024);
  /** The id this content extends, or -1 for a content given whole (then `spelled` holds it). */
  private parent: Int32Array = new Int32Array(1024);
  private suffixOf: Int32Array = new Int32Array(1024);
  /** Each content's length (a cheap first test of an equality). */
  private length: Int32Array = new Int32Array(1024);
  /** Contents spelled out: those interned whole, and those text() or a comparison needed. */
  private readonly spelled = new Map<number, string>();
  // content hashes → id: slots hold id + 1, slotKeys the slot's mix(h1, h2) (probes and rehashes
  // read it there, next to the slot, instead of the id's hashes elsewhere in memory)
  private slots: Int32Array = new Int32Array(2048);
  private slotKeys: Int32Array = new Int32Array(2048);
  private readonly suffixIds = new Map<string, number>();
  private readonly suffixText: string[] = [];
  private sh1: Int32Array = new Int32Array(64);
  private sh2: Int32Array = new Int32Array(64);
  private sp1: Int32Array = new Int32Array(64);
  private sp2: Int32Array = new Int32Array(64);
  private readonly literal = new Map<string, number>();
  /** base * SUFFIX_LIMIT + sid → an id found equal to content(base) + suffix sid, made otherwise. */
  private readonly aliases = new Map<number, number>();

  get size(): number {
    return this.count;
  }

  /** The id of this content. */
  intern(s: string): number {
    const known = this.literal.get(s);
    if (known !== undefined) return known;
    let h1 = 0;
    let h2 = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      h1 = (h1 * B1 + c) | 0;
      h2 = (h2 * B2 + c) | 0;
    }
    const id = this.find(h1, h2, s, -1, 0);
    this.literal.set(s, id);
    return id;
  }

  /** The id of content(id) + suffix. */
  append(id: number, suffix: string): number {
    return this.appendSuffix(id, this.suffixId(suffix));
  }

  /** The id of content(id) + the suffix numbered `sid` by suffixId. */
  appendSuffix(id: number, sid: number): number {
    const h1 = (Math.imul(this.h1[id]!, this.sp1[sid]!) + this.sh1[sid]!) | 0;
    const h2 = (Math.imul(this.h2[id]!, this.sp2[sid]!) + this.sh2[sid]!) | 0;
    return this.find(h1, h2, undefined, id, sid);
  }

  text(id: number): string {
    const known = this.spelled.get(id);
    if (known !== undefined) return known;
    const parts: string[] = [];
    let at = id;
    let s: string | undefined;
    for (; (s = this.spelled.get(at)) === undefined; at = this.parent[at]!) parts.push(this.suffixText[this.suffixOf[at]!]!);
    for (let k = parts.length - 1; k >= 0; k--) s += parts[k]!;
    this.spelled.set(id, s);
    return s;
  }

  /** A number for a suffix (for appendSuffix). */
  suffixId(suffix: string): number {
    let sid = this.suffixIds.get(suffix);
    if (sid !== undefined) return sid;
    sid = this.suffixText.length;
    let h1 = 0;
    let h2 = 0;
    let p1 = 1;
    let p2 = 1;
    for (let i = 0; i < suffix.length; i++) {
      const c = suffix.charCodeAt(i);
      h1 = (h1 * B1 + c) | 0;
      h2 = (h2 * B2 + c) | 0;
      p1 = (p1 * B1) | 0;
      p2 = (p2 * B2) | 0;
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

  /** The id of the content with these hashes: `whole`, or content(base) + suffix `sid`. */
  private find(h1: number, h2: number, whole: string | undefined, base: number, sid: number): number {
    const slots = this.slots;
    const keys = this.slotKeys;
    const mask = slots.length - 1;
    const key = mix(h1, h2);
    let slot = key & mask;
    for (;;) {
      const e = slots[slot]!;
      if (e === 0) break;
      if (keys[slot] === key) {
        const id = e - 1;
        if (this.h1[id] === h1 && this.h2[id] === h2 && this.same(id, whole, base, sid)) return id;
      }
      slot = (slot + 1) & mask;
    }
    return this.insert(slot, key, h1, h2, whole, base, sid);
  }

  /**
   * Whether content(id) is `whole`, or content(base) + suffix `sid`. An id made by that very append
   * is equal by construction, and so is one already found equal to it (`aliases`): spelling two
   * contents out (kilobytes each on kv c50-ok, where 17k appends meet a known content) is only for
   * a first meeting.
   */
  private same(id: number, whole: string | undefined, base: number, sid: number): boolean {
    if (whole !== undefined) return this.length[id] === whole.length && this.endsContent(whole, whole.length, id);
    if (this.parent[id] === base && this.suffixOf[id] === sid) return true;
    const suffix = this.suffixText[sid]!;
    if (this.length[id] !== this.length[base]! + suffix.length) return false;
    const key = sid < SUFFIX_LIMIT ? base * SUFFIX_LIMIT + sid : -1;
    if (key >= 0 && this.aliases.get(key) === id) return true;
    let equal: boolean;
    const w = this.parent[id] === -1 ? this.spelled.get(id)! : undefined;
    if (w !== undefined) {
      // A content given whole (a get's expected value, met by an append): compared in place.
      const end = w.length - suffix.length;
      equal = w.startsWith(suffix, end) && this.endsContent(w, end, base);
    } else equal = this.text(id) === this.text(base) + suffix;
    if (equal && key >= 0) this.aliases.set(key, id);
    return equal;
  }

  /** Whether w.slice(0, end) is content(id) (end = its length), walking id's appends back, allocating nothing. */
  private endsContent(w: string, end: number, id: number): boolean {
    let at = id;
    while (this.parent[at] !== -1) {
      const suffix = this.suffixText[this.suffixOf[at]!]!;
      end -= suffix.length;
      if (!w.startsWith(suffix, end)) return false;
      at = this.parent[at]!;
    }
    const known = this.spelled.get(at)!;
    return known.length === end && w.startsWith(known);
  }


  private insert(slot: number, key: number, h1: number, h2: number, whole: string | undefined, base: number, sid: number): number {
    const id = this.count++;
    if (id >= this.h1.length) {
      this.h1 = grow(this.h1, id);
      this.h2 = grow(this.h2, id);
      this.parent = grow(this.parent, id);
      this.suffixOf = grow(this.suffixOf, id);
      this.length = grow(this.length, id);
    }
    this.h1[id] = h1;
    this.h2[id] = h2;
    if (whole !== undefined) this.spelled.set(id, whole);
    this.parent[id] = whole !== undefined ? -1 : base;
    this.suffixOf[id] = sid;
    this.length[id] = whole !== undefined ? whole.length : this.length[base]! + this.suffixText[sid]!.length;
    this.slots[slot] = id + 1;
    this.slotKeys[slot] = key;
    if (this.count * 2 > this.slots.length) this.rehash();
    return id;
  }

  private rehash(): void {
    const old = this.slots;
    const oldKeys = this.slotKeys;
    const slots = new Int32Array(old.length * 2);
    const keys = new Int32Array(old.length * 2);
    const mask = slots.length - 1;
    for (let q = 0; q < old.length; q++) {
      const e = old[q]!;
      if (e === 0) continue;
      const key = oldKeys[q]!;
      let slot = key & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = e;
      keys[slot] = key;
    }
    this.slots = slots;
    this.slotKeys = keys;
  }
}
