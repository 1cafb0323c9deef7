// Immutable.js recomputes a Record's hash code (through a temporary Seq) on every call and compares
// records through two Seqs, which dominates set membership when messages are Records. Both are
// pure functions of an immutable record, so we cache the hash (value-cache.ts) and compare same-type
// records field by field (or not at all when their cached fingerprints differ). Semantics are
// unchanged: a record still equals a record of another type with equal fields (the original path),
// and a record being edited inside withMutations is never cached.
import * as Immutable from 'immutable';
import { Record, hash, is } from 'immutable';
import { recordCache } from './value-cache.js';

const marker = Symbol.for('quorum.immutable-speedups');
const keyHashesProp = Symbol('quorum.keyHashes');
const proto = Record.prototype as any;

if (!proto[marker]) {
  proto[marker] = true;
  const originalEquals = proto.equals as (this: any, other: unknown) => boolean;
  // Immutable's recordSeq(this).hashCode(), without the Seq: an unordered keyed hash over
  // [key, value] pairs (hashCollection), finished by murmurHashOfSize.
  proto.hashCode = function hashCode(this: any): number {
    const cache = this.__ownerID === undefined ? recordCache(this, true) : undefined;
    if (cache !== undefined && cache.hasHash) return cache.hash;
    const keys = this._keys as string[];
    const keyHashes = keyHashesOf(this);
    let h = 0;
    for (let i = 0; i < keys.length; i++) h = (h + hashMerge(hash(this.get(keys[i])), keyHashes[i]!)) | 0;
    h = murmurHashOfSize(keys.length, h);
    if (cache !== undefined) {
      cache.hash = h;
      cache.hasHash = true;
    }
    return h;
  };
  // Field access: a record's values live in a List of at most a few dozen entries, i.e. in its tail
  // node; read it there directly (the original goes through hasOwnProperty and List.get).
  const originalGet = proto.get as (this: any, k: string, notSet?: unknown) => unknown;
  proto.get = function get(this: any, k: string, notSetValue?: unknown): unknown {
    // One lookup instead of hasOwnProperty and a lookup: _indices is a plain object, and what it
    // inherits from Object.prototype (toString, __proto__, ...) is never a number.
    const index = (this._indices as { [k: string]: unknown })[k];
    if (typeof index !== 'number') return notSetValue;
    const values = this._values;
    // Only when the whole list is its tail: past 32 entries the tail holds the last ones (from index 32 on).
    if (values._root === undefined && values._origin === 0 && values._capacity <= 32 && values._tail !== undefined) {
      const v = values._tail.array[index];
      return v === undefined ? this._defaultValues[k] : v;
    }
    return originalGet.call(this, k, notSetValue);
  };
  proto.equals = function equals(this: any, other: any): boolean {
    if (this === other) return true;
    if (other === null || typeof other !== 'object') return false;
    // The same field names (one array per record type, shared by its subclasses): compare field by field.
    // (Object.getPrototypeOf here went through a runtime call on every comparison.)
    if (other._keys === this._keys) {
      // Cached fingerprints or hash codes that differ prove the values differ.
      const a = this.__ownerID === undefined ? recordCache(this, false) : undefined;
      const b = a !== undefined && other.__ownerID === undefined ? recordCache(other, false) : undefined;
      if (a !== undefined && b !== undefined) {
        if (a.hasFp && b.hasFp && (a.l !== b.l || a.h !== b.h)) return false;
        if (a.hasHash && b.hasHash && a.hash !== b.hash) return false;
      }
      const keys = this._keys as string[];
      for (let i = 0; i < keys.length; i++) {
        const a = this.get(keys[i]), b = other.get(keys[i]);
        if (a === b) continue;
        // is() on primitives: only NaN equals itself without ===.
        if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) {
          if (a !== a && b !== b) continue;
          return false;
        }
        if (!is(a, b)) return false;
      }
      return true;
    }
    return originalEquals.call(this, other);
  };
}

function hashMerge(a: number, b: number): number {
  return (a ^ (b + 0x9e3779b9 + (a << 6) + (a >> 2))) | 0;
}

function murmurHashOfSize(size: number, h: number): number {
  h = Math.imul(h, 0xcc9e2d51);
  h = Math.imul((h << 15) | (h >>> 17), 0x1b873593);
  h = Math.imul((h << 13) | (h >>> 19), 5);
  h = ((h + 0xe6546b64) | 0) ^ size;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  return ((h >>> 1) & 0x40000000) | (h & 0xbfffffff); // Immutable's smi()
}

/** hash(key) per field of a record type, computed once per type and kept on its keys array (as fingerprint.ts keeps the names' fingerprints). */
function keyHashesOf(r: any): Int32Array {
  const keys = r._keys as string[] & { [keyHashesProp]?: Int32Array };
  const cached = keys[keyHashesProp];
  if (cached !== undefined) return cached;
  const out = Int32Array.from(keys, (k) => hash(k));
  Object.defineProperty(keys, keyHashesProp, { value: out, enumerable: false });
  return out;
}

// A small Map (up to 8 entries) is one ArrayMapNode whose get scans its entries with Immutable.is. For
// a primitive key that is not the entry's (say 's2' against 's1'), is() calls valueOf on both and then
// tests them as value objects: per-node maps keyed by server names paid that on most reads. A first scan
// by identity finds the same entry when there is one (keys are unique under is, and === implies is);
// otherwise the original scan decides, so the result is always the original's.
{
  const node = Object.getPrototypeOf((Immutable.Map({ a: 1 }) as any)._root) as { get: (this: any, shift: number, keyHash: unknown, key: unknown, notSetValue: unknown) => unknown; [marker]?: true };
  if (!Object.prototype.hasOwnProperty.call(node, marker)) {
    Object.defineProperty(node, marker, { value: true, enumerable: false });
    const originalGet = node.get;
    node.get = function get(this: any, shift: number, keyHash: unknown, key: unknown, notSetValue: unknown): unknown {
      const entries = this.entries as [unknown, unknown][];
      for (let i = 0; i < entries.length; i++) {
        const e = entries[i]!;
        if (e[0] === key) return e[1];
      }
      return originalGet.call(this, shift, keyHash, key, notSetValue);
    };
  }
}

/** What kind of Immutable value a collection is; 0 for anything else. */
export const K_MAP = 1, K_OMAP = 2, K_SET = 3, K_OSET = 4, K_LIST = 5, K_REC = 6;

// One property read on the prototype tells the kind: Immutable's own predicates (isMap, isOrdered, ...)
// each read a symbol from the value, a megamorphic load apiece on the fingerprint and codec paths.
const kindProp = Symbol('quorum.kind');
for (const [ctor, kind] of [
  [Immutable.Map, K_MAP],
  [Immutable.OrderedMap, K_OMAP],
  [Immutable.Set, K_SET],
  [Immutable.OrderedSet, K_OSET],
  [Immutable.List, K_LIST],
  [Record, K_REC],
] as const) {
  const p = (ctor as unknown as { prototype: object }).prototype;
  if (!Object.prototype.hasOwnProperty.call(p, kindProp)) Object.defineProperty(p, kindProp, { value: kind, enumerable: false });
}

const isMap = Immutable.isMap as (v: unknown) => boolean;
const isSet = Immutable.isSet as (v: unknown) => boolean;
const isList = Immutable.isList as (v: unknown) => boolean;
const isRecord = Immutable.isRecord as (v: unknown) => boolean;
const isOrdered = Immutable.isOrdered as (v: unknown) => boolean;

/** The kind of a non-null object (K_MAP ... K_REC), or 0 if it is not an Immutable collection or record. */
export function kindOf(v: any): number {
  const k = v[kindProp];
  return typeof k === 'number' ? k : kindOfForeign(v);
}

// Values from another copy of Immutable.js (a model with its own dependency) lack the tag.
function kindOfForeign(v: unknown): number {
  if (isRecord(v)) return K_REC;
  if (isMap(v)) return isOrdered(v) ? K_OMAP : K_MAP;
  if (isSet(v)) return isOrdered(v) ? K_OSET : K_SET;
  if (isList(v)) return K_LIST;
  return 0;
}
