// One instance per distinct record value, for the values a model builds over and over (messages, log
// entries). A step that sends a message already in flight then adds the very same object: sets compare
// it by identity, and its hash, fingerprint and encoding are computed once per run, not once per step.
import { hash, is, type Record as IRecord } from 'immutable';

/**
 * Wraps a Record factory: `make(values)` is `factory(values)`, except that values equal (Immutable.is,
 * field by field, defaults filled in) to an earlier call's return that earlier instance.
 */
export function interned<T extends object>(factory: IRecord.Factory<T>): (values?: Partial<T>) => IRecord<T> & Readonly<T> {
  const defaults = factory();
  const keys = Object.keys(defaults.toObject()) as (keyof T & string)[];
  const defaultValues = keys.map((k) => defaults.get(k));
  const table = new Map<string, (IRecord<T> & Readonly<T>)[]>();
  const resolved = new Array<unknown>(keys.length);
  return (values?: Partial<T>) => {
    // Primitive fields spell themselves into the key, so a key of primitives alone identifies the
    // value; a collection enters by its hash, and then equality is decided field by field.
    let key = '';
    let exact = true;
    for (let i = 0; i < keys.length; i++) {
      const given = values?.[keys[i]!];
      const v = given === undefined ? defaultValues[i] : given;
      resolved[i] = v;
      if (typeof v === 'object' && v !== null) {
        exact = false;
        key += `#${hash(v)}\u0000`;
      } else {
        if (typeof v === 'string' && v.includes('\u0000')) exact = false;
        key += `${typeof v}:${String(v)}\u0000`;
      }
    }
    let bucket = table.get(key);
    if (bucket !== undefined) {
      if (exact) return bucket[0]!;
      outer: for (const r of bucket) {
        for (let i = 0; i < keys.length; i++) if (!is(r.get(keys[i]!), resolved[i])) continue outer;
        return r;
      }
    } else table.set(key, (bucket = []));
    const made = factory(values);
    bucket.push(made);
    return made;
  };
}
