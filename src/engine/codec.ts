// A compact binary encoding of states, so frontiers are stored as bytes (not live objects) and cross
// worker threads as transferable buffers. decode(encode(v)) is Immutable.is-equal to v.
import * as Immutable from 'immutable';
import { List, Map as IMap, Set as ISet, OrderedMap, OrderedSet } from 'immutable';
// Untyped guards: these modules read Immutable's internals, where the typed guards narrow too far.
const isMap = Immutable.isMap as (v: unknown) => boolean;
const isSet = Immutable.isSet as (v: unknown) => boolean;
const isList = Immutable.isList as (v: unknown) => boolean;
const isRecord = Immutable.isRecord as (v: unknown) => boolean;
const isOrdered = Immutable.isOrdered as (v: unknown) => boolean;
import { QuorumError } from '../model/errors.js';

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
const STRING_SLOTS = 1 << 12;

function hashBytes(buf: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
  return h | 0;
}

type RecordFactory = ((values?: object) => unknown) & { prototype: object };

export class StateCodec {
  private readonly recordIds = new Map<object, number>();
  private readonly factories: RecordFactory[] = [];
  private readonly recordKeys: string[][] = [];
  /** Interned records by a hash of their bytes: [bytes, instance] pairs. */
  private readonly records = new Map<number, [Uint8Array, unknown][]>();
  private internedRecords = 0;
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
    }
  }

  encode(v: unknown, w: ByteWriter): void {
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
        return this.encodeCollection(v, w);
      default:
        throw new QuorumError('STATE_NOT_IMMUTABLE', `a state contains a ${typeof v}; states must be built from Immutable.js values and primitives`);
    }
  }

  private encodeCollection(v: any, w: ByteWriter): void {
    if (isRecord(v)) {
      const rec = v as any;
      const id = this.recordIds.get(Object.getPrototypeOf(v) as object);
      if (id === undefined) {
        throw new QuorumError(
          'STATE_NOT_IMMUTABLE',
          `a state contains a Record of type ${String((v as { _name?: string })._name ?? '(unnamed)')} that the model does not list in its records`,
        );
      }
      // A record's bytes are cached on the (immutable) instance: messages recur in many states.
      // The bytes hold this codec's record ids, so they are only reused by this codec.
      const cached = rec.__qencBy === this ? (rec.__qenc as Uint8Array | undefined) : undefined;
      if (cached !== undefined) {
        w.ensure(cached.length);
        w.buf.set(cached, w.pos);
        w.pos += cached.length;
        return;
      }
      const start = w.pos;
      w.u8(REC);
      w.varuint(id);
      w.u8(0); // body length, patched below (records past 127 bytes use the long form)
      const bodyStart = w.pos;
      for (const k of this.recordKeys[id]!) this.encode(v.get(k), w);
      const bodyLen = w.pos - bodyStart;
      if (bodyLen > 127) {
        // Rewrite with a multi-byte length: move the body.
        const body = w.buf.slice(bodyStart, w.pos);
        w.pos = bodyStart - 1;
        w.varuint(bodyLen);
        w.ensure(body.length);
        w.buf.set(body, w.pos);
        w.pos += body.length;
      } else {
        w.buf[bodyStart - 1] = bodyLen;
      }
      if (rec.__ownerID === undefined && w.pos - start <= 64) {
        const bytes = w.buf.slice(start, w.pos);
        Object.defineProperty(v, '__qenc', { value: bytes, enumerable: false, writable: true });
        Object.defineProperty(v, '__qencBy', { value: this, enumerable: false, writable: true });
        // Decoding these bytes later in this thread yields this very instance, so the model's own
        // message objects come back and compare by identity.
        this.internRecord(bytes, 0, bytes.length, v);
      }
      return;
    }
    if (isMap(v)) {
      w.u8(isOrdered(v) ? OMAP : MAP);
      w.varuint(v.size);
      v.forEach((val: unknown, key: unknown) => {
        this.encode(key, w);
        this.encode(val, w);
      });
      return;
    }
    if (isSet(v) || isList(v)) {
      w.u8(isList(v) ? LIST : isOrdered(v) ? OSET : SET);
      w.varuint(v.size);
      v.forEach((item: unknown) => {
        this.encode(item, w);
      });
      return;
    }
    throw new QuorumError(
      'STATE_NOT_IMMUTABLE',
      `a state contains a ${v?.constructor?.name ?? 'object'}; states must be built from Immutable.js values (Map, Set, List, Record) and primitives`,
    );
  }

  decode(r: ByteReader): unknown {
    const tag = r.u8();
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
      case LIST: {
        const n = r.varuint();
        const items = new Array<unknown>(n);
        for (let i = 0; i < n; i++) items[i] = this.decode(r);
        return List(items);
      }
      case SET:
      case OSET: {
        const n = r.varuint();
        const empty = tag === SET ? ISet<unknown>() : OrderedSet<unknown>();
        return empty.withMutations((s) => {
          for (let i = 0; i < n; i++) s.add(this.decode(r));
        });
      }
      case MAP:
      case OMAP: {
        const n = r.varuint();
        const empty = tag === MAP ? IMap<unknown, unknown>() : OrderedMap<unknown, unknown>();
        return empty.withMutations((m) => {
          for (let i = 0; i < n; i++) {
            const k = this.decode(r);
            m.set(k, this.decode(r));
          }
        });
      }
      case REC: {
        const start = r.pos - 1;
        const id = r.varuint();
        const len = r.varuint();
        const end = r.pos + len;
        if (end - start <= 64) {
          const hit = this.findRecord(r.buf, start, end);
          if (hit !== undefined) {
            r.pos = end;
            return hit;
          }
          const rec = this.decodeRecord(r, id);
          this.internRecord(r.buf, start, end, rec);
          return rec;
        }
        return this.decodeRecord(r, id);
      }
      default:
        throw new QuorumError('INTERNAL', `corrupt state encoding (tag ${tag} at byte ${r.pos - 1})`);
    }
  }

  private decodeRecord(r: ByteReader, id: number): unknown {
    const keys = this.recordKeys[id]!;
    const values: Record<string, unknown> = {};
    for (const k of keys) values[k] = this.decode(r);
    return this.factories[id]!(values);
  }

  private findRecord(buf: Uint8Array, start: number, end: number): unknown {
    const bucket = this.records.get(hashBytes(buf, start, end));
    if (bucket === undefined) return undefined;
    const n = end - start;
    outer: for (const [bytes, value] of bucket) {
      if (bytes.length !== n) continue;
      for (let i = 0; i < n; i++) if (bytes[i] !== buf[start + i]) continue outer;
      return value;
    }
    return undefined;
  }

  private internRecord(buf: Uint8Array, start: number, end: number, value: unknown): void {
    if (this.findRecord(buf, start, end) !== undefined) return;
    if (this.internedRecords >= INTERN_MAX) {
      this.records.clear();
      this.internedRecords = 0;
    }
    const h = hashBytes(buf, start, end);
    const entry: [Uint8Array, unknown] = [buf.slice(start, end), value];
    const bucket = this.records.get(h);
    if (bucket) bucket.push(entry);
    else this.records.set(h, [entry]);
    this.internedRecords++;
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
