// EDN values as quorum holds them: nil → null, integers and floats → number (bigint beyond 2^53),
// strings → string, keywords → interned Keyword, symbols → Symbol_, vectors and lists → Immutable.List,
// maps → Immutable.Map, sets → Immutable.Set. All compare with Immutable.is and hash with Immutable.hash.
import { hash, is, List, Map as IMap, Set as ISet, isImmutable } from 'immutable';

const keywords = new Map<string, Keyword>();

/** An EDN keyword (`:x`, `:ns/x`). Interned, so `===` is equality; implements Immutable's value-object protocol. */
export class Keyword {
  private readonly h: number;
  private constructor(readonly name: string) {
    this.h = hash(':' + name);
  }
  static of(name: string): Keyword {
    let k = keywords.get(name);
    if (k === undefined) {
      k = new Keyword(name);
      keywords.set(name, k);
    }
    return k;
  }
  equals(other: unknown): boolean {
    return other === this;
  }
  hashCode(): number {
    return this.h;
  }
  toString(): string {
    return ':' + this.name;
  }
}

/** An EDN symbol (`foo`, `x/y`). */
export class EdnSymbol {
  constructor(readonly name: string) {}
  equals(other: unknown): boolean {
    return other instanceof EdnSymbol && other.name === this.name;
  }
  hashCode(): number {
    return hash('sym:' + this.name);
  }
  toString(): string {
    return this.name;
  }
}

/** A tagged literal (`#inst "..."`, `#uuid "..."`) kept as tag and value. */
export class Tagged {
  constructor(readonly tag: string, readonly value: unknown) {}
  equals(other: unknown): boolean {
    return other instanceof Tagged && other.tag === this.tag && is(other.value, this.value);
  }
  hashCode(): number {
    return hash('#' + this.tag) ^ hash(this.value);
  }
  toString(): string {
    return `#${this.tag} ${printEdn(this.value)}`;
  }
}

export const kw = Keyword.of;

/** The value as EDN text (what `--init` takes and what counterexamples print). */
export function printEdn(v: unknown): string {
  if (v === null || v === undefined) return 'nil';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v instanceof Keyword || v instanceof EdnSymbol || v instanceof Tagged) return v.toString();
  if (Array.isArray(v)) return '[' + v.map(printEdn).join(' ') + ']';
  if (List.isList(v)) return '[' + (v as List<unknown>).map(printEdn).join(' ') + ']';
  if (IMap.isMap(v))
    return '{' + [...(v as IMap<unknown, unknown>).entries()].map(([k, x]) => `${printEdn(k)} ${printEdn(x)}`).join(', ') + '}';
  if (ISet.isSet(v)) return '#{' + [...(v as ISet<unknown>)].map(printEdn).join(' ') + '}';
  if (isImmutable(v)) return String(v);
  return String(v);
}

/** The two elements of a pair value ([a b] as a List or an array), or undefined. */
export function pairOf(v: unknown): readonly [unknown, unknown] | undefined {
  if (List.isList(v)) {
    const l = v as List<unknown>;
    return l.size === 2 ? [l.get(0), l.get(1)] : undefined;
  }
  if (Array.isArray(v) && v.length === 2) return [v[0], v[1]];
  return undefined;
}

/** The elements of a vector/list value (an Immutable.List or a plain array), or undefined if it is not one. */
export function elements(v: unknown): readonly unknown[] | undefined {
  if (Array.isArray(v)) return v;
  if (List.isList(v)) return (v as List<unknown>).toArray();
  return undefined;
}
