// 64-bit fingerprints of Immutable.js values.
//
// Equal values (Immutable.is) get equal fingerprints whatever the insertion order of their sets and maps:
// a set or map hashes to a sum of its entries' mixed hashes, which does not depend on order. Sums are
// cached in Immutable's internal trie nodes, and records' and lists' fingerprints in their values' node
// (value-cache.ts), so a successor that shares most of its structure with its parent costs only the path
// that changed.
// Arithmetic is done in two 32-bit lanes: BigInt would allocate on every step.
import { QuorumError } from '../model/errors.js';
import { K_LIST, K_MAP, K_OMAP, K_OSET, K_REC, K_SET, kindOf } from './immutable-speedups.js';
import { recordCache, sequenceCache, ValueCache } from './value-cache.js';

// Result registers: every internal function leaves its answer here.
let H = 0;
let L = 0;

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 64-bit mixer: every input bit affects every output bit of both lanes. */
function mix64(h: number, l: number): void {
  const a = fmix32((l ^ 0x9e3779b9) + Math.imul(h, 0x85ebca6b));
  const b = fmix32((h ^ 0x7f4a7c15) + Math.imul(a, 0xc2b2ae35));
  L = fmix32(a + Math.imul(b, 0x27d4eb2f));
  H = b;
}

// Tags keep values of different kinds apart (e.g. the set {x} and the sequence <<x>>).
const T_INT = 0x1001;
const T_FLOAT = 0x1002;
const T_STR = 0x1003;
const T_LIST = 0x1004;
const T_SET = 0x1005;
const T_MAP = 0x1006;
const T_REC = 0x1007;
const T_OMAP = 0x1008;
const T_OSET = 0x1009;
const FP_NULL_H = 0x6a09e667, FP_NULL_L = 0xf3bcc908;
const FP_UNDEF_H = 0xbb67ae85, FP_UNDEF_L = 0x84caa73b;
const FP_TRUE_H = 0x3c6ef372, FP_TRUE_L = 0xfe94f82b;
const FP_FALSE_H = 0xa54ff53a, FP_FALSE_L = 0x5f1d36f1;

// Strings in states come from a small vocabulary (model values, message types): cache them.
const STRING_CACHE_MAX = 1 << 16;
const stringCache = new Map<string, number>();
const stringFps = new Uint32Array(STRING_CACHE_MAX * 2);

function fpString(s: string): void {
  const idx = stringCache.get(s);
  if (idx !== undefined) {
    H = stringFps[idx]!;
    L = stringFps[idx + 1]!;
    return;
  }
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
  }
  mix64(a ^ T_STR, b);
  if (stringCache.size < STRING_CACHE_MAX) {
    const at = stringCache.size * 2;
    stringFps[at] = H;
    stringFps[at + 1] = L;
    stringCache.set(s, at);
  }
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

function fpNumber(n: number): void {
  if ((n | 0) === n) {
    mix64(T_INT, n >>> 0); // also maps -0 to 0, as Immutable.is does
  } else {
    // Both halves of the bits are mixed first: a float then meets an integer's fingerprint only by a
    // real collision (mixing the tag into the high half alone let the bits 0x3_xxxxxxxx equal an int's).
    f64[0] = Number.isNaN(n) ? NaN : n;
    mix64(u32[1]!, u32[0]!);
    absorb(T_FLOAT, 0, H, L);
  }
}

// Ordered combination: (h, l) absorbs (eh, el).
function absorb(h: number, l: number, eh: number, el: number): void {
  mix64(h ^ eh, (l + el + 0x165667b1) >>> 0);
}

interface CachedEntry {
  __qfh?: number;
  __qfl?: number;
}

/**
 * Hash of one map entry [key, value], ready to be summed. Cached on the entry array, which Immutable
 * shares between versions of a node: a small map with one changed entry recomputes only that one.
 */
function fpEntry(entry: readonly [unknown, unknown]): void {
  const c = entry as CachedEntry;
  if (editing !== undefined) return fpEntryUncached(entry); // entries of a map being edited may change in place
  if (c.__qfh !== undefined) {
    H = c.__qfh;
    L = c.__qfl!;
    return;
  }
  fpEntryUncached(entry);
  c.__qfh = H;
  c.__qfl = L;
}

function fpEntryUncached(entry: readonly [unknown, unknown]): void {
  fp(entry[0]);
  // Remix the key so that key and value do not combine symmetrically (Map {a: b} vs Map {b: a};
  // in a set the key is the value, and an unmixed xor would cancel its high half).
  mix64(H ^ 0x2545f491, L);
  const kh = H, kl = L;
  fp(entry[1]);
  absorb(kh, kl, H, L);
}

// The owner of the collection being fingerprinted while it is edited inside withMutations: its nodes
// may still change in place, so their sums are neither read from nor written to the cache.
let editing: unknown = undefined;

/** The sum of the entry hashes below an Immutable Map trie node, cached on the node (value-cache.ts). */
function nodeSum(node: any): void {
  const o = node.ownerID;
  if (o instanceof ValueCache) {
    if (readCache(o)) return;
    nodeSumUncached(node);
    writeCache(o);
    return;
  }
  nodeSumUncached(node);
  if (editing === undefined || o !== editing) {
    const c = new ValueCache();
    writeCache(c);
    node.ownerID = c;
  }
}

function nodeSumUncached(node: any): void {
  let sh = 0, sl = 0, lo = 0;
  if (node.entries !== undefined) {
    // ArrayMapNode, HashCollisionNode
    const entries = node.entries as [unknown, unknown][];
    for (let i = 0; i < entries.length; i++) {
      fpEntry(entries[i]!);
      lo = (sl + L) >>> 0;
      sh = (sh + H + (lo < sl ? 1 : 0)) >>> 0;
      sl = lo;
    }
  } else if (node.entry !== undefined) {
    // ValueNode
    fpEntry(node.entry);
    sh = H;
    sl = L;
  } else {
    // BitmapIndexedNode, HashArrayMapNode (sparse)
    const nodes = node.nodes as unknown[];
    for (let i = 0; i < nodes.length; i++) {
      const child = nodes[i];
      if (child !== undefined) {
        nodeSum(child);
        lo = (sl + L) >>> 0;
        sh = (sh + H + (lo < sl ? 1 : 0)) >>> 0;
        sl = lo;
      }
    }
  }
  H = sh;
  L = sl;
}

function withOwner(owner: unknown, f: () => void): void {
  if (owner === undefined) return f();
  const outer = editing;
  editing = owner;
  try {
    f();
  } finally {
    editing = outer;
  }
}

function fpMapLike(root: unknown, size: number, tag: number): void {
  if (root === undefined || root === null) {
    H = 0;
    L = 0;
  } else {
    nodeSum(root);
  }
  const sh = H, sl = L;
  mix64(tag ^ Math.imul(size, 0x9e3779b1), sl);
  absorb(H, L, sh, sl);
}

function fpCollection(v: any): void {
  const kind = kindOf(v);
  switch (kind) {
    case K_REC:
      return fpRecordCached(v);
    case K_MAP:
      if (v.__ownerID === undefined) return fpMapLike(v._root, v.size, T_MAP);
      return withOwner(v.__ownerID, () => fpMapLike(v._root, v.size, T_MAP));
    case K_SET: {
      const owner = v.__ownerID ?? v._map?.__ownerID;
      if (owner === undefined) return fpMapLike(v._map?._root, v.size, T_SET);
      return withOwner(owner, () => fpMapLike(v._map?._root, v.size, T_SET));
    }
    case K_OMAP:
    case K_OSET:
    case K_LIST:
      return fpSequenceCached(v, kind);
  }
  throw new QuorumError(
    'STATE_NOT_IMMUTABLE',
    `a state contains a ${v?.constructor?.name ?? typeof v} (${String(v).slice(0, 60)}); states must be built from Immutable.js values (Map, Set, List, Record) and primitives`,
  );
}

/** Loads a cached fingerprint into (H, L); false if there is none yet. */
function readCache(c: ValueCache): boolean {
  if (!c.hasFp) return false;
  H = c.h;
  L = c.l;
  return true;
}

/** Stores (H, L) as the cached fingerprint. */
function writeCache(c: ValueCache): void {
  c.h = H;
  c.l = L;
  c.hasFp = true;
}

/** A record's fingerprint, cached unless it is being edited inside withMutations. */
function fpRecordCached(v: any): void {
  const c = v.__ownerID === undefined ? recordCache(v, true) : undefined;
  if (c === undefined) return fpRecord(v, fp);
  if (readCache(c)) return;
  fpRecord(v, fp);
  writeCache(c);
}

/** Lists and ordered collections: an ordered combination of their items, cached unless being edited. */
function fpSequenceCached(v: any, kind: number): void {
  // An ordered set wraps an ordered map, and edits it under the same owner.
  const edited = v.__ownerID !== undefined || (kind === K_OSET && v._map.__ownerID !== undefined);
  if (edited || v.size === 0) return fpSequence(v, kind);
  const c = sequenceCache(v, kind === K_LIST);
  if (readCache(c)) return;
  fpSequence(v, kind);
  writeCache(c);
}

function fpSequence(v: any, kind: number): void {
  if (kind === K_LIST) fpList(v);
  else fpOrdered(v, kind === K_OMAP ? T_OMAP : T_OSET, kind === K_OMAP);
}

function fpList(v: any): void {
  let h = T_LIST, l = v.size >>> 0;
  const n = v.size;
  for (let i = 0; i < n; i++) {
    fp(v.get(i));
    absorb(h, l, H, L);
    h = H;
    l = L;
  }
  H = h; // the empty list too
  L = l;
}

/**
 * A record: its fields in order, each field's value fingerprint (from `valueFp`) combined with its
 * name's. A name enters as a mixed constant, so one absorb per field suffices: (name, value) pairs
 * only collide when their fingerprints do.
 */
function fpRecord(v: any, valueFp: (x: unknown) => void): void {
  const keys = v._keys as string[];
  const keyFps = recordKeyFps(v);
  // A record's values live in a List that is only its tail while it has at most 32 fields; an
  // undefined slot holds the field's default.
  const values = v._values;
  const tail = values._root === undefined && values._origin === 0 && values._capacity <= 32 && values._tail !== undefined ? (values._tail.array as unknown[]) : undefined;
  const defaults = v._defaultValues as { [k: string]: unknown };
  let h = T_REC, l = keys.length;
  for (let i = 0; i < keys.length; i++) {
    let x: unknown;
    if (tail !== undefined) {
      x = tail[i];
      if (x === undefined) x = defaults[keys[i]!];
    } else x = v.get(keys[i]!);
    valueFp(x);
    absorb(h, l, H ^ keyFps[2 * i]!, (L + keyFps[2 * i + 1]!) >>> 0);
    h = H;
    l = L;
  }
  H = h; // the record without fields too
  L = l;
}

/** The fingerprints of a record type's field names, computed once per type and kept on its keys array. */
function recordKeyFps(v: any): Uint32Array {
  const keys = v._keys as string[] & { [keyFpsProp]?: Uint32Array };
  const fps = keys[keyFpsProp];
  return fps !== undefined ? fps : computeKeyFps(keys);
}

// A symbol on the keys array (one per record type, shared by its instances and subclasses): reading it
// costs one load, where a property on the prototype needed getPrototypeOf and an own-property check.
const keyFpsProp = Symbol('quorum.keyFps');

function computeKeyFps(keys: string[] & { [keyFpsProp]?: Uint32Array }): Uint32Array {
  const fps = new Uint32Array(keys.length * 2);
  for (let i = 0; i < keys.length; i++) {
    fpString(keys[i]!);
    mix64(H ^ 0x52dce729, L); // a name is not combined with a value as its own string fingerprint would be
    fps[2 * i] = H;
    fps[2 * i + 1] = L;
  }
  Object.defineProperty(keys, keyFpsProp, { value: fps, enumerable: false });
  return fps;
}

function fpOrdered(v: any, tag: number, keyed: boolean): void {
  let h = tag, l = v.size >>> 0;
  for (const item of v) {
    if (keyed) {
      fpEntry(item as [unknown, unknown]);
    } else {
      fp(item);
    }
    absorb(h, l, H, L);
    h = H;
    l = L;
  }
  H = h; // the empty collection too
  L = l;
}

function fp(v: unknown): void {
  switch (typeof v) {
    case 'number':
      return fpNumber(v);
    case 'string':
      return fpString(v);
    case 'boolean':
      if (v) {
        H = FP_TRUE_H;
        L = FP_TRUE_L;
      } else {
        H = FP_FALSE_H;
        L = FP_FALSE_L;
      }
      return;
    case 'undefined':
      H = FP_UNDEF_H;
      L = FP_UNDEF_L;
      return;
    case 'object': {
      if (v === null) {
        H = FP_NULL_H;
        L = FP_NULL_L;
        return;
      }
      // Caches live in the collections' own nodes (value-cache.ts); one being edited is not cached.
      return fpCollection(v);
    }
    default:
      throw new QuorumError('STATE_NOT_IMMUTABLE', `a state contains a ${typeof v}; states must be built from Immutable.js values and primitives`);
  }
}

/**
 * Fingerprints `v` into out[at] (high 32 bits) and out[at + 1] (low 32 bits).
 * Neither half is ever 0, so a zeroed slot can mean "empty" in the seen table.
 */
export function fingerprintInto(v: unknown, out: Uint32Array, at: number): void {
  fp(v);
  out[at] = H === 0 ? 1 : H;
  out[at + 1] = L === 0 ? 1 : L;
}

const scratch = new Uint32Array(2);

/** The fingerprint as a bigint (for tests, traces and messages; the engine uses fingerprintInto). */
export function fingerprint(v: unknown): bigint {
  fingerprintInto(v, scratch, 0);
  return (BigInt(scratch[0]!) << 32n) | BigInt(scratch[1]!);
}

export function fingerprintHex(v: unknown): string {
  return fingerprint(v).toString(16).padStart(16, '0');
}

export function fpToHex(hi: number, lo: number): string {
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}

// Fingerprints under a renaming of model values (symmetry), equal to fingerprinting the renamed value
// but without building it: unordered collections are sums over their entries, so only the entries'
// own fingerprints change. Nothing is cached here (the caches hold fingerprints of the values as they are).
// Renamed fingerprints are cached per object and renaming (values such as messages recur in many states).
let renaming: ReadonlyMap<string, string> = new Map();
let renamingIndex = 0;
let renamingCount = 1;
let renamingOwner: object = [];

interface RenamedCache {
  owner: object;
  fps: Uint32Array;
}

function fpR(v: unknown): void {
  if (typeof v === 'string') return fpString(renaming.get(v) ?? v);
  if (typeof v !== 'object' || v === null) return fp(v);
  const c = v as any;
  let cache = c.__qr as RenamedCache | undefined;
  if (cache !== undefined && cache.owner === renamingOwner) {
    const h = cache.fps[2 * renamingIndex]!, l = cache.fps[2 * renamingIndex + 1]!;
    if (h !== 0 || l !== 0) {
      H = h;
      L = l;
      return;
    }
  }
  fpRUncached(c);
  if (c.__ownerID === undefined) {
    if (cache === undefined || cache.owner !== renamingOwner) {
      cache = { owner: renamingOwner, fps: new Uint32Array(2 * renamingCount) };
      Object.defineProperty(c, '__qr', { value: cache, enumerable: false, writable: true, configurable: true });
    }
    cache.fps[2 * renamingIndex] = H;
    cache.fps[2 * renamingIndex + 1] = L;
  }
}

function fpRUncached(c: any): void {
  const kind = kindOf(c);
  if (kind === K_REC) return fpRecord(c, fpR);
  if (kind === K_MAP || kind === K_SET) {
    const set = kind === K_SET;
    let sh = 0, sl = 0, lo = 0;
    c.forEach((val: unknown, key: unknown) => {
      fpR(key);
      mix64(H ^ 0x2545f491, L); // as in fpEntryUncached
      const kh = H, kl = L;
      fpR(set ? key : val);
      absorb(kh, kl, H, L);
      lo = (sl + L) >>> 0;
      sh = (sh + H + (lo < sl ? 1 : 0)) >>> 0;
      sl = lo;
    });
    mix64((set ? T_SET : T_MAP) ^ Math.imul(c.size, 0x9e3779b1), sl);
    absorb(H, L, sh, sl);
    return;
  }
  if (kind === K_LIST || kind === K_OMAP || kind === K_OSET) {
    const keyed = kind === K_OMAP;
    let h = kind === K_LIST ? T_LIST : keyed ? T_OMAP : T_OSET, l = c.size >>> 0;
    c.forEach((val: unknown, key: unknown) => {
      if (keyed) {
        fpR(key);
        mix64(H ^ 0x2545f491, L); // as in fpEntryUncached
        const kh = H, kl = L;
        fpR(val);
        absorb(kh, kl, H, L);
      } else fpR(val);
      absorb(h, l, H, L);
      h = H;
      l = L;
    });
    H = h;
    L = l;
    return;
  }
  fp(c);
}

/**
 * fingerprintInto(rename(v, renamings[index])), computed without building the renamed value. The
 * per-object cache is keyed by the renamings array itself: pass the same array for the same symmetry.
 */
export function fingerprintRenamedInto(v: unknown, renamings: readonly ReadonlyMap<string, string>[], index: number, out: Uint32Array, at: number): void {
  renaming = renamings[index]!;
  renamingIndex = index;
  renamingCount = renamings.length;
  renamingOwner = renamings;
  fpR(v);
  out[at] = H === 0 ? 1 : H;
  out[at + 1] = L === 0 ? 1 : L;
}
