// Typed constants of a model. A spec's CONSTANTS are parsed into CfgValue and validated here,
// so a missing or ill-typed constant is reported by name before anything runs.
import { QuorumError } from './errors.js';

/** A constant's value as written in a .cfg file (or on the command line). */
export type CfgValue =
  | { kind: 'int'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'modelValue'; name: string }
  | { kind: 'set'; items: CfgValue[] };

export interface ConstantType<T> {
  /** Shown in error messages: "a set of model values", "an integer ≥ 0". */
  readonly describe: string;
  readonly optional: boolean;
  /** Converts a written value; returns an error message when ill-typed. `all` holds the other constants already converted. */
  convert(v: CfgValue, all: Record<string, unknown>): T | string;
  /** Default when the spec does not give the constant (only when optional). */
  fallback?(all: Record<string, unknown>): T;
}

export function showCfgValue(v: CfgValue): string {
  switch (v.kind) {
    case 'int':
      return String(v.value);
    case 'string':
      return JSON.stringify(v.value);
    case 'bool':
      return v.value ? 'TRUE' : 'FALSE';
    case 'modelValue':
      return v.name;
    case 'set':
      return `{${v.items.map(showCfgValue).join(', ')}}`;
  }
}

function int(opts: { min?: number; max?: number; default?: number } = {}): ConstantType<number> {
  const bounds =
    opts.min !== undefined && opts.max !== undefined
      ? ` in ${opts.min}..${opts.max}`
      : opts.min !== undefined
        ? ` ≥ ${opts.min}`
        : opts.max !== undefined
          ? ` ≤ ${opts.max}`
          : '';
  return {
    describe: `an integer${bounds}`,
    optional: opts.default !== undefined,
    convert(v) {
      if (v.kind !== 'int') return `expected an integer${bounds}, got ${showCfgValue(v)}`;
      if (opts.min !== undefined && v.value < opts.min) return `expected an integer${bounds}, got ${v.value}`;
      if (opts.max !== undefined && v.value > opts.max) return `expected an integer${bounds}, got ${v.value}`;
      return v.value;
    },
    fallback: opts.default !== undefined ? () => opts.default as number : undefined,
  };
}

function bool(opts: { default?: boolean } = {}): ConstantType<boolean> {
  return {
    describe: 'TRUE or FALSE',
    optional: opts.default !== undefined,
    convert: (v) => (v.kind === 'bool' ? v.value : `expected TRUE or FALSE, got ${showCfgValue(v)}`),
    fallback: opts.default !== undefined ? () => opts.default as boolean : undefined,
  };
}

function string(opts: { default?: string } = {}): ConstantType<string> {
  return {
    describe: 'a string',
    optional: opts.default !== undefined,
    convert: (v) => (v.kind === 'string' ? v.value : `expected a string, got ${showCfgValue(v)}`),
    fallback: opts.default !== undefined ? () => opts.default as string : undefined,
  };
}

/** A non-empty set of model values, e.g. {a1, a2, a3}; the model sees them as strings, in the order written. */
function modelValues(opts: { minSize?: number } = {}): ConstantType<readonly string[]> {
  const min = opts.minSize ?? 1;
  return {
    describe: `a set of at least ${min} model value${min === 1 ? '' : 's'}`,
    optional: false,
    convert(v) {
      if (v.kind !== 'set') return `expected a set of model values like {a1, a2}, got ${showCfgValue(v)}`;
      const names: string[] = [];
      for (const item of v.items) {
        if (item.kind !== 'modelValue') return `expected a set of model values like {a1, a2}, got ${showCfgValue(item)} in it`;
        if (!names.includes(item.name)) names.push(item.name);
      }
      if (names.length < min) return `expected at least ${min} model value${min === 1 ? '' : 's'}, got ${names.length}`;
      return names;
    },
  };
}

/** A set of integers, written {1, 2} or as a range 0..3. */
function intSet(): ConstantType<readonly number[]> {
  return {
    describe: 'a set of integers',
    optional: false,
    convert(v) {
      if (v.kind !== 'set') return `expected a set of integers, got ${showCfgValue(v)}`;
      const out: number[] = [];
      for (const item of v.items) {
        if (item.kind !== 'int') return `expected a set of integers, got ${showCfgValue(item)} in it`;
        if (!out.includes(item.value)) out.push(item.value);
      }
      return out.sort((a, b) => a - b);
    },
  };
}

/** A subset of another model-value constant; by default all of it. */
function subsetOf(of: string, opts: { defaultAll?: boolean } = {}): ConstantType<readonly string[]> {
  return {
    describe: `a subset of ${of}`,
    optional: opts.defaultAll ?? false,
    convert(v, all) {
      const universe = all[of] as readonly string[] | undefined;
      if (v.kind !== 'set') return `expected a subset of ${of}, got ${showCfgValue(v)}`;
      const names: string[] = [];
      for (const item of v.items) {
        if (item.kind !== 'modelValue') return `expected a subset of ${of}, got ${showCfgValue(item)} in it`;
        if (universe && !universe.includes(item.name)) return `${item.name} is not in ${of} = {${universe.join(', ')}}`;
        if (!names.includes(item.name)) names.push(item.name);
      }
      return names;
    },
    fallback: (all) => [...((all[of] as readonly string[] | undefined) ?? [])],
  };
}

export const constant = { int, bool, string, modelValues, intSet, subsetOf };

export type ConstantSchema = Record<string, ConstantType<unknown>>;
export type ConstantsOf<C extends ConstantSchema> = {
  readonly [K in keyof C]: C[K] extends ConstantType<infer T> ? T : never;
};

/**
 * Validates written constants against a schema, in schema order (so `subsetOf` sees the set it refers to).
 * `where` names each constant's source for error messages.
 */
export function resolveConstants<C extends ConstantSchema>(
  schema: C,
  written: ReadonlyMap<string, { value: CfgValue; where: string }>,
  modelName: string,
  specWhere: string,
): ConstantsOf<C> {
  const out: Record<string, unknown> = {};
  for (const [name, type] of Object.entries(schema)) {
    const w = written.get(name);
    if (!w) {
      if (type.optional && type.fallback) {
        out[name] = type.fallback(out);
        continue;
      }
      throw new QuorumError(
        'CONSTANT_MISSING',
        `model ${modelName} needs constant ${name} (${type.describe}); add it under CONSTANTS`,
        specWhere,
      );
    }
    const converted = type.convert(w.value, out);
    // A string is an error message, except the written string itself given back by constant.string().
    if (typeof converted === 'string' && !(w.value.kind === 'string' && converted === w.value.value)) {
      throw new QuorumError('CONSTANT_TYPE', `constant ${name}: ${converted}`, w.where);
    }
    out[name] = converted;
  }
  for (const [name, w] of written) {
    if (!(name in schema)) {
      const known = Object.keys(schema).join(', ') || '(none)';
      throw new QuorumError('UNKNOWN_NAME', `model ${modelName} has no constant ${name}; its constants are ${known}`, w.where);
    }
  }
  return out as ConstantsOf<C>;
}
