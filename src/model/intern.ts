// One instance per distinct record value, for the values a model builds over and over (messages, log
// entries). A step that sends a message already in flight then adds the very same object: sets compare
// it by identity, and its hash, fingerprint and encoding are computed once per run, not once per step.
import { hash, is, type Record as IRecord } from 'immutable';

/**
 * A trie with one level per field. A primitive field value is its own key (a JS Map key compares as
 * Immutable.is does on primitives: NaN equals NaN, -0 equals 0); a collection enters by its hash in a
 * separate map, and the instances that share a path are then told apart field by field.
 */
interface Level {
  readonly prim: Map<unknown, Level | Bucket>;
  obj?: Map<number, Level | Bucket>;
}
type Bucket = unknown[];

/**
 * Wraps a Record factory: `make(values)` is `factory(values)`, except that values equal (Immutable.is,
 * field by field, defaults filled in) to an earlier call's return that earlier instance.
 */
export function interned<T extends object>(factory: IRecord.Factory<T>): (values?: Partial<T>) => IRecord<T> & Readonly<T> {
  const defaults = factory();
  const keys = Object.keys(defaults.toObject()) as (keyof T & string)[];
  const n = keys.length;
  const defaultValues = keys.map((k) => defaults.get(k));
  const root: Level | Bucket = n === 0 ? [] : { prim: new Map() };
  const resolved = new Array<unknown>(n);
  return (values?: Partial<T>) => {
    let node: Level | Bucket = root;
    let exact = true;
    for (let i = 0; i < n; i++) {
      const given = values?.[keys[i]!];
      const v = given === undefined ? defaultValues[i] : given;
      resolved[i] = v;
      const level = node as Level;
      let next: Level | Bucket | undefined;
      if (typeof v === 'object' && v !== null) {
        exact = false;
        const h = hash(v);
        const obj = (level.obj ??= new Map());
        next = obj.get(h);
        if (next === undefined) obj.set(h, (next = i === n - 1 ? [] : { prim: new Map() }));
      } else {
        next = level.prim.get(v);
        if (next === undefined) level.prim.set(v, (next = i === n - 1 ? [] : { prim: new Map() }));
      }
      node = next;
    }
    const bucket = node as Bucket;
    if (exact) {
      if (bucket.length > 0) return bucket[0] as IRecord<T> & Readonly<T>;
    } else {
      outer: for (const r of bucket as (IRecord<T> & Readonly<T>)[]) {
        for (let i = 0; i < n; i++) if (!is(r.get(keys[i]!), resolved[i])) continue outer;
        return r;
      }
    }
    const made = factory(values);
    bucket.push(made);
    return made;
  };
}
