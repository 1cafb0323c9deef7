// What quorum caches about an immutable value (its fingerprint, its Immutable hash code, its encoding),
// kept in a slot Immutable.js already has: the `ownerID` of its trie nodes. Immutable only compares that
// slot by identity (`ownerID && ownerID === node.ownerID`, to edit a node in place inside withMutations),
// and no edit session's owner is ever one of these objects, so a node holding one is simply never edited
// in place. Adding properties of our own instead would give every node and record a second hidden class:
// V8 then deoptimizes Immutable's code and ours on "wrong map" and falls back to megamorphic loads.
//
// Where a value's cache lives:
// - Map and Set: on each trie node, the sum of the entry hashes below it (node sums depend only on the
//   entries, so a node shared by two collections is fine); the root's cache also holds the encoding.
// - Record (1 to 32 fields): on the tail node of its values List. `owner` is its type's field-name
//   array: fingerprint and hash code depend on the names, not on the type. (Each record has its own
//   values List; Immutable never shares one between record types.) A record with every field at its
//   default has no such node and is not cached.
// - List (at most 32 items, from index 0): on its tail node, with `owner` its size (a shorter list can
//   share the same node).
// - Anything else (ordered collections, long lists, records of more than 32 fields): in a WeakMap.
// Map entries ([key, value] arrays, shared between versions of a node) keep their hash in two properties
// of their own (fingerprint.ts): they are plain arrays, read by index, whose hidden class matters little.

export class ValueCache {
  /** Fingerprint (or node sum), valid when hasFp. */
  h = 0;
  l = 0;
  hasFp = false;
  /** Immutable hash code, valid when hasHash. */
  hash = 0;
  hasHash = false;
  /** Records: their field names; lists: the size; nodes: undefined. The cache is valid only for that owner. */
  owner: unknown = undefined;
  /** The value's encoding, by the codec `encBy`. */
  enc: Uint8Array | undefined = undefined;
  encBy: object | undefined = undefined;
}

interface Node {
  ownerID: unknown;
}

/** The cache on a trie node, created on first use. Only for nodes no edit session may still change. */
export function nodeCache(node: Node): ValueCache {
  const o = node.ownerID;
  if (o instanceof ValueCache) return o;
  const c = new ValueCache();
  node.ownerID = c;
  return c;
}

/** The cache already on a node, if any. */
export function peekNodeCache(node: Node): ValueCache | undefined {
  const o = node.ownerID;
  return o instanceof ValueCache ? o : undefined;
}

const others = new WeakMap<object, ValueCache>();

/**
 * The cache of a record that is not being edited (its __ownerID is undefined), for its own type; undefined
 * when the record has nowhere to keep one (all its fields at their defaults: nothing to save) or, with
 * `create` false, when it has none yet.
 */
export function recordCache(rec: any, create: boolean): ValueCache | undefined {
  const values = rec._values;
  const owner = rec._keys as unknown;
  if (values._capacity > 32 || values._origin !== 0) {
    // More than 32 fields: rare, kept aside.
    let c = others.get(rec);
    if (c === undefined && create) others.set(rec, (c = new ValueCache()));
    return c;
  }
  const tail = values._tail as Node | undefined;
  // (A cache of another type on the same node would mean a values List shared across record types,
  // which Immutable never builds; it is replaced, never trusted.)
  return tail === undefined ? undefined : ownedCache(tail, owner, create);
}

/** The cache on a tail node for `owner`; a cache there for another owner is replaced when `create`. */
function ownedCache(tail: Node, owner: unknown, create: boolean): ValueCache | undefined {
  const o = tail.ownerID;
  if (o instanceof ValueCache && o.owner === owner) return o;
  if (!create) return undefined;
  const c = new ValueCache();
  c.owner = owner;
  tail.ownerID = c;
  return c;
}

/** The cache of a List, OrderedMap or OrderedSet that is not being edited. */
export function sequenceCache(v: any, isList: boolean): ValueCache {
  if (isList) {
    // The whole list is its tail node when it has at most 32 items from index 0.
    const tail = v._root === undefined && v._origin === 0 && v._capacity <= 32 ? (v._tail as Node | undefined) : undefined;
    if (tail !== undefined) return ownedCache(tail, v.size, true)!;
  }
  let c = others.get(v);
  if (c === undefined) others.set(v, (c = new ValueCache()));
  return c;
}
