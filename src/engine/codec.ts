// A compact binary encoding of states, so frontiers are stored as bytes (not live objects) and cross
// worker threads as transferable buffers. decode(encode(v)) is Immutable.is-equal to v.
import { List, Map as IMap, Set as ISet, OrderedMap, OrderedSet } from 'immutable';
import { QuorumError } from '../model/errors.js';
import { K_LIST, K_MAP, K_OMAP, K_OSET, K_REC, K_SET, kindOf } from './immutable-speedups.js';
import { nodeCache, peekNodeCache, recordCache, sequenceCache, type ValueCache } from './value-cache.js';

const UNDEF = 0, NULL = 1, FALSE = 2, TRUE = 3, INT = 4, FLOAT = 5, STR8 = 6, STR16 = 7;
const LIST = 8, SET = 9, MAP = 10, REC = 11, OMAP = 12, OSET = 13;

export class ByteWriter {
  buf: Uint8Array;
  pos = 0;
  private view: DataView;
  constructor(initial = 1 << 16) {
    this.buf = new Uint8Array(initial);
    this.view = new DataView(this.buf.buffer);
  }
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
  u8(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }
  varuint(n: number): void {
    this.ensure(5);
    while (n >= 0x80) {
      this.buf[this.pos++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    this.buf[this.pos++] = n;
  }
  f64(x: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, x, true);
    this.pos += 8;
  }
  u32(x: number): void {
    this.ensure(4);
    this.view.setUint32(this.pos, x, true);
    this.pos += 4;
  }
  /** The bytes written so far, copied into a buffer of their own (transferable). */
  take(): Uint8Array {
    const out = this.buf.slice(0, this.pos);
    this.pos = 0;
    return out;
  }
}

export class ByteReader {
  pos = 0;
  private view: DataView;
  constructor(readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  u8(): number {
    return this.buf[this.pos++]!;
  }
  varuint(): number {
    let n = 0, shift = 0, b: number;
    do {
      b = this.buf[this.pos++]!;
      n |= (b & 0x7f) << shift;
      shift += 7;
    } while (b & 0x80);
    return n >>> 0;
  }
  f64(): number {
    const x = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return x;
  }
  u32(): number {
    const x = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return x;
  }
}

const INTERN_MAX = 1 << 17;
// Nested values encoded in at most this many bytes are interned (decoded to one shared instance).
// Small ones recur across states (messages, per-node maps); big ones (a state's message set) rarely
// do, and keeping them only feeds the garbage collector.
const INTERN_BYTES = 64;
const STRING_SLOTS = 1 << 12;

function hashBytes(buf: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
  return h | 0;
}

const TAG_OF_KIND: number[] = [];
TAG_OF_KIND[K_MAP] = MAP;
TAG_OF_KIND[K_OMAP] = OMAP;
TAG_OF_KIND[K_SET] = SET;
TAG_OF_KIND[K_OSET] = OSET;
TAG_OF_KIND[K_LIST] = LIST;
TAG_OF_KIND[K_REC] = REC;

/** Where a value not being edited keeps its encoding (value-cache.ts); undefined if nowhere. */
function encodingCache(v: any, kind: number, create: boolean): ValueCache | undefined {
  if (v.__ownerID !== undefined) return undefined;
  switch (kind) {
    case K_REC:
      return recordCache(v, create);
    case K_MAP:
    case K_SET: {
      const map = kind === K_MAP ? v : v._map;
      if (map.__ownerID !== undefined || map._root === undefined) return undefined;
      return create ? nodeCache(map._root) : peekNodeCache(map._root);
    }
    case K_LIST:
    case K_OMAP:
    case K_OSET:
      if (v.size === 0 || (kind === K_OSET && v._map.__ownerID !== undefined)) return undefined;
      return sequenceCache(v, kind === K_LIST);
    default:
      return undefined;
  }
}

type RecordFactory = ((values?: object) => unknown) & { prototype: object };

export class StateCodec {
  private readonly recordIds = new Map<object, number>();
  private readonly factories: RecordFactory[] = [];
  private readonly recordKeys: string[][] = [];
  private readonly recordProtos: object[] = [];
  private readonly recordDefaults: unknown[][] = [];
  /** Interned values by a hash of their bytes: [bytes, instance] pairs. */
  private readonly internTable = new Map<number, [Uint8Array, unknown][]>();
  private interned = 0;
  private readonly strings = new Array<string | undefined>(STRING_SLOTS);
  private readonly internMap = new Map<string, string>();

  constructor(records: readonly unknown[] = []) {
    for (const r of records) {
      const f = r as RecordFactory;
      if (typeof f !== 'function') throw new QuorumError('MODEL_LOAD', 'model.records must list Immutable Record factories');
      const sample = f() as { _keys?: string[] };
      this.recordIds.set(Object.getPrototypeOf(sample) as object, this.factories.length);
      this.factories.push(f);
      this.recordKeys.push([...(sample._keys ?? [])]);
      this.recordProtos.push(Object.getPrototypeOf(sample) as object);
      const defaults = (sample as { _defaultValues?: Record<string, unknown> })._defaultValues ?? {};
      this.recordDefaults.push((sample._keys ?? []).map((k) => defaults[k]));
    }
  }

  /** Encodes a whole state (small nested records keep their bytes; the state itself is not interned: each is decoded once). */
  encode(v: unknown, w: ByteWriter): void {
    this.encodeValue(v, w, false);
  }

  private encodeValue(v: unknown, w: ByteWriter, nested: boolean): void {
    switch (typeof v) {
      case 'number':
        if ((v | 0) === v) {
          w.u8(INT);
          w.varuint(((v << 1) ^ (v >> 31)) >>> 0); // zigzag
        } else {
          w.u8(FLOAT);
          w.f64(v);
        }
        return;
      case 'string': {
        let wide = false;
        for (let i = 0; i < v.length; i++) if (v.charCodeAt(i) > 0xff) wide = true;
        w.u8(wide ? STR16 : STR8);
        w.varuint(v.length);
        w.ensure(v.length * 2);
        for (let i = 0; i < v.length; i++) {
          const c = v.charCodeAt(i);
          if (wide) {
            w.buf[w.pos++] = c & 0xff;
            w.buf[w.pos++] = c >>> 8;
          } else {
            w.buf[w.pos++] = c;
          }
        }
        return;
      }
      case 'boolean':
        w.u8(v ? TRUE : FALSE);
        return;
      case 'undefined':
        w.u8(UNDEF);
        return;
      case 'object':
        if (v === null) {
          w.u8(NULL);
          return;
        }
        return this.encodeCollection(v, w, nested);
      default:
        throw new QuorumError('STATE_NOT_IMMUTABLE', `a state contains a ${typeof v}; states must be built from Immutable.js values and primitives`);
    }
  }

  // A nested collection or record is written as tag, [record id], body length, body, so that a decoder
  // can look the whole value up by its bytes before building it.
  private encodeCollection(v: any, w: ByteWriter, nested: boolean): void {
    const kind = kindOf(v);
    if (nested) {
      const cache = encodingCache(v, kind, false);
      const cached = cache !== undefined && cache.encBy === this ? cache.enc : undefined;
      // The first byte is the kind's tag: a node shared by collections of two kinds never serves the wrong one.
      if (cached !== undefined && cached[0] === TAG_OF_KIND[kind]) {
        w.ensure(cached.length);
        w.buf.set(cached, w.pos);
        w.pos += cached.length;
        return;
      }
    }
    const start = w.pos;
    if (kind === K_REC) {
      const id = this.recordIds.get(Object.getPrototypeOf(v) as object);
      if (id === undefined) {
        throw new QuorumError(
          'STATE_NOT_IMMUTABLE',
          `a state contains a Record of type ${String((v as { _name?: string })._name ?? '(unnamed)')} that the model does not list in its records`,
        );
      }
      w.u8(REC);
      w.varuint(id);
      const bodyStart = this.openBody(w, nested);
      for (const k of this.recordKeys[id]!) this.encodeValue(v.get(k), w, true);
      this.closeBody(w, bodyStart, nested);
    } else if (kind === K_MAP || kind === K_OMAP) {
      w.u8(kind === K_OMAP ? OMAP : MAP);
      const bodyStart = this.openBody(w, nested);
      w.varuint(v.size);
      v.forEach((val: unknown, key: unknown) => {
        this.encodeValue(key, w, true);
        this.encodeValue(val, w, true);
      });
      this.closeBody(w, bodyStart, nested);
    } else if (kind === K_SET || kind === K_OSET || kind === K_LIST) {
      w.u8(kind === K_LIST ? LIST : kind === K_OSET ? OSET : SET);
      const bodyStart = this.openBody(w, nested);
      w.varuint(v.size);
      v.forEach((item: unknown) => {
        this.encodeValue(item, w, true);
      });
      this.closeBody(w, bodyStart, nested);
    } else {
      throw new QuorumError(
        'STATE_NOT_IMMUTABLE',
        `a state contains a ${v?.constructor?.name ?? 'object'}; states must be built from Immutable.js values (Map, Set, List, Record) and primitives`,
      );
    }
    // Records keep their bytes here too: the model's own messages are encoded again and again, and
    // decoding their bytes in this thread then gives back the model's instance.
    if (nested && kind === K_REC && v.__ownerID === undefined && w.pos - start <= INTERN_BYTES) {
      const bytes = w.buf.slice(start, w.pos);
      this.keepBytes(v, bytes);
      // Decoding these bytes later in this thread yields this very instance, so the model's own
      // values (its message constants, say) come back and compare by identity.
      this.intern(bytes, 0, bytes.length, v, true);
    }
  }

  /** Caches a value's bytes with it. They hold this codec's record ids, so only this codec reuses them. */
  private keepBytes(v: unknown, bytes: Uint8Array): void {
    const cache = encodingCache(v, kindOf(v), true);
    if (cache === undefined) return;
    cache.enc = bytes;
    cache.encBy = this;
  }

  /**
   * Reserves one byte for a nested value's body length; bodies past 127 bytes get the long form in
   * closeBody. A whole state has no length: it is never looked up.
   */
  private openBody(w: ByteWriter, nested: boolean): number {
    if (nested) w.u8(0);
    return w.pos;
  }

  private closeBody(w: ByteWriter, bodyStart: number, nested: boolean): void {
    if (!nested) return;
    const bodyLen = w.pos - bodyStart;
    if (bodyLen <= 127) {
      w.buf[bodyStart - 1] = bodyLen;
      return;
    }
    const body = w.buf.slice(bodyStart, w.pos);
    w.pos = bodyStart - 1;
    w.varuint(bodyLen);
    w.ensure(body.length);
    w.buf.set(body, w.pos);
    w.pos += body.length;
  }

  /** Decodes a whole state (see encode). */
  decode(r: ByteReader): unknown {
    return this.decodeValue(r, false);
  }

  private decodeValue(r: ByteReader, nested: boolean): unknown {
    const tag = r.u8();
    if (tag >= LIST && tag <= OSET) {
      // A collection or record: tag, [record id], body length, body.
      const start = r.pos - 1;
      const id = tag === REC ? r.varuint() : 0;
      if (!nested) return this.decodeBody(r, tag, id);
      const len = r.varuint();
      const end = r.pos + len;
      if (end - start > INTERN_BYTES) return this.decodeBody(r, tag, id);
      const hit = this.find(r.buf, start, end);
      if (hit !== undefined) {
        r.pos = end;
        return hit;
      }
      const value = this.decodeBody(r, tag, id);
      const bytes = r.buf.slice(start, end);
      this.keepBytes(value, bytes); // a successor that keeps this value encodes it by copying
      this.intern(bytes, 0, bytes.length, value, true);
      return value;
    }
    switch (tag) {
      case UNDEF:
        return undefined;
      case NULL:
        return null;
      case FALSE:
        return false;
      case TRUE:
        return true;
      case INT: {
        const z = r.varuint();
        return (z >>> 1) ^ -(z & 1);
      }
      case FLOAT:
        return r.f64();
      case STR8:
      case STR16: {
        const n = r.varuint();
        const buf = r.buf;
        let s = '';
        if (tag === STR8 && n <= 32) return this.internString(buf, r, n);
        if (tag === STR8) {
          for (let i = 0; i < n; i++) s += String.fromCharCode(buf[r.pos + i]!);
          r.pos += n;
        } else {
          for (let i = 0; i < n; i++) s += String.fromCharCode(buf[r.pos + 2 * i]! | (buf[r.pos + 2 * i + 1]! << 8));
          r.pos += 2 * n;
        }
        return s;
      }
      default:
        throw new QuorumError('INTERNAL', `corrupt state encoding (tag ${tag} at byte ${r.pos - 1})`);
    }
  }

  private decodeBody(r: ByteReader, tag: number, id: number): unknown {
    switch (tag) {
      case LIST: {
        const n = r.varuint();
        const items = new Array<unknown>(n);
        for (let i = 0; i < n; i++) items[i] = this.decodeValue(r, true);
        return List(items);
      }
      case SET:
      case OSET: {
        const n = r.varuint();
        const empty = tag === SET ? ISet<unknown>() : OrderedSet<unknown>();
        return empty.withMutations((s) => {
          for (let i = 0; i < n; i++) s.add(this.decodeValue(r, true));
        });
      }
      case MAP:
      case OMAP: {
        const n = r.varuint();
        const empty = tag === MAP ? IMap<unknown, unknown>() : OrderedMap<unknown, unknown>();
        return empty.withMutations((m) => {
          for (let i = 0; i < n; i++) {
            const k = this.decodeValue(r, true);
            m.set(k, this.decodeValue(r, true));
          }
        });
      }
      case REC: {
        const keys = this.recordKeys[id];
        if (keys === undefined) throw new QuorumError('INTERNAL', `corrupt state encoding (record id ${id} at byte ${r.pos})`);
        const n = keys.length;
        if (n === 0 || n >= 32) {
          const values: Record<string, unknown> = {};
          for (const k of keys) values[k] = this.decodeValue(r, true);
          return this.factories[id]!(values);
        }
        // What the Record constructor builds (a List of the values, undefined where a value is its
        // field's default), without its intermediate Seq and withMutations.
        const defaults = this.recordDefaults[id]!;
        const slots = new Array<unknown>(n);
        for (let i = 0; i < n; i++) {
          const x = this.decodeValue(r, true);
          slots[i] = x === defaults[i] ? undefined : x;
        }
        const rec = Object.create(this.recordProtos[id]!);
        rec._values = List(slots);
        rec.__ownerID = undefined;
        return rec;
      }
      default:
        throw new QuorumError('INTERNAL', `corrupt state encoding (tag ${tag} at byte ${r.pos})`);
    }
  }

  private find(buf: Uint8Array, start: number, end: number): unknown {
    const bucket = this.internTable.get(hashBytes(buf, start, end));
    return bucket === undefined ? undefined : this.findIn(bucket, buf, start, end);
  }

  private findIn(bucket: [Uint8Array, unknown][], buf: Uint8Array, start: number, end: number): unknown {
    const n = end - start;
    outer: for (const [bytes, value] of bucket) {
      if (bytes.length !== n) continue;
      for (let i = 0; i < n; i++) if (bytes[i] !== buf[start + i]) continue outer;
      return value;
    }
    return undefined;
  }

  /** Remembers value as the instance for buf[start, end) (the bytes are copied unless `owned`). */
  private intern(buf: Uint8Array, start: number, end: number, value: unknown, owned = false): void {
    const h = hashBytes(buf, start, end);
    const bucket = this.internTable.get(h);
    if (bucket !== undefined && this.findIn(bucket, buf, start, end) !== undefined) return;
    if (this.interned >= INTERN_MAX) {
      this.internTable.clear();
      this.interned = 0;
    }
    const entry: [Uint8Array, unknown] = [owned && start === 0 && end === buf.length ? buf : buf.slice(start, end), value];
    const fresh = this.internTable.get(h);
    if (fresh) fresh.push(entry);
    else this.internTable.set(h, [entry]);
    this.interned++;
  }

  /** Short strings are shared (internalized once), so hashing them later hits V8's cached hash. */
  private internString(buf: Uint8Array, r: ByteReader, n: number): string {
    let h = n;
    for (let i = 0; i < n; i++) h = Math.imul(h ^ buf[r.pos + i]!, 0x01000193);
    const slot = (h >>> 0) & (STRING_SLOTS - 1);
    const cached = this.strings[slot];
    if (cached !== undefined && cached.length === n) {
      let same = true;
      for (let i = 0; i < n; i++) {
        if (cached.charCodeAt(i) !== buf[r.pos + i]) {
          same = false;
          break;
        }
      }
      if (same) {
        r.pos += n;
        return cached;
      }
    }
    let s = '';
    for (let i = 0; i < n; i++) s += String.fromCharCode(buf[r.pos + i]!);
    r.pos += n;
    // Flatten and internalize once: a Map lookup internalizes its key.
    this.internMap.set(s, s);
    const interned = this.internMap.get(s)!;
    if (this.internMap.size > INTERN_MAX) this.internMap.clear();
    this.strings[slot] = interned;
    return interned;
  }

  encodeToBytes(v: unknown): Uint8Array {
    const w = new ByteWriter(256);
    this.encode(v, w);
    return w.take();
  }

  decodeBytes(b: Uint8Array): unknown {
    return this.decode(new ByteReader(b));
  }
}
