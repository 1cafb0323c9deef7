// The Informal Trace Format (ITF) of Apalache and Quint: a trace as JSON with tagged values
// ({"#bigint": "5"}, {"#set": [...]}, {"#map": [[k, v], ...]}, {"#tup": [...]}), records as objects,
// sequences as arrays, and `loop` for a lasso's return index. Integers are written as #bigint, as Quint does.
import * as Immutable from 'immutable';
import { QuorumError } from '../model/errors.js';

const isMap = Immutable.isMap as (v: unknown) => boolean;
const isSet = Immutable.isSet as (v: unknown) => boolean;
const isList = Immutable.isList as (v: unknown) => boolean;
const isRecord = Immutable.isRecord as (v: unknown) => boolean;
const isOrdered = Immutable.isOrdered as (v: unknown) => boolean;

export type ItfValue =
  | boolean
  | string
  | number
  | ItfValue[]
  | { '#bigint': string }
  | { '#set': ItfValue[] }
  | { '#map': [ItfValue, ItfValue][] }
  | { '#tup': ItfValue[] }
  | { '#unserializable': string }
  | { [field: string]: ItfValue };

export interface ItfState {
  '#meta': { index: number; action?: string };
  [variable: string]: ItfValue | { index: number; action?: string };
}

export interface ItfTrace {
  '#meta': Record<string, unknown>;
  params?: string[];
  vars: string[];
  states: ItfState[];
  loop?: number;
}

/** Canonical text of an ITF value: the order of set elements, map entries and object fields does not matter. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (typeof v !== 'object' || v === null) return JSON.stringify(v);
  const o = v as Record<string, unknown>;
  if ('#set' in o) return `{"#set":[${(o['#set'] as unknown[]).map(canonical).sort().join(',')}]}`;
  if ('#map' in o) return `{"#map":[${(o['#map'] as [unknown, unknown][]).map(([k, x]) => `[${canonical(k)},${canonical(x)}]`).sort().join(',')}]}`;
  if ('#bigint' in o) return `{"#bigint":${JSON.stringify(String(o['#bigint']))}}`;
  return `{${Object.keys(o)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
    .join(',')}}`;
}

/** An Immutable value (or primitive) as ITF. */
export function toItfValue(v: unknown): ItfValue {
  switch (typeof v) {
    case 'boolean':
    case 'string':
      return v;
    case 'number':
      return Number.isSafeInteger(v) ? { '#bigint': String(v) } : { '#unserializable': String(v) };
    case 'bigint':
      return { '#bigint': v.toString() };
    case 'object': {
      if (v === null) return { '#unserializable': 'null' };
      const c = v as any;
      if (isRecord(c)) {
        const out: Record<string, ItfValue> = {};
        for (const k of c._keys as string[]) out[k] = toItfValue(c.get(k));
        return out;
      }
      if (isMap(c)) {
        const entries: [ItfValue, ItfValue][] = [];
        c.forEach((val: unknown, key: unknown) => entries.push([toItfValue(key), toItfValue(val)]));
        if (!isOrdered(c)) entries.sort((a, b) => cmp(canonical(a[0]), canonical(b[0])));
        return { '#map': entries };
      }
      if (isSet(c)) {
        const items: ItfValue[] = [];
        c.forEach((x: unknown) => items.push(toItfValue(x)));
        if (!isOrdered(c)) items.sort((a, b) => cmp(canonical(a), canonical(b)));
        return { '#set': items };
      }
      if (isList(c)) {
        const items: ItfValue[] = [];
        c.forEach((x: unknown) => items.push(toItfValue(x)));
        return items;
      }
      return { '#unserializable': String(v) };
    }
    default:
      return { '#unserializable': String(v) };
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A state's variables: a Record's fields, a Map's string keys, or one variable `state`. */
export function stateVariables(s: unknown): [string, unknown][] {
  const c = s as any;
  if (isRecord(c)) return (c._keys as string[]).map((k) => [k, c.get(k)]);
  if (isMap(c) && [...c.keys()].every((k: unknown) => typeof k === 'string')) {
    const out: [string, unknown][] = [];
    c.forEach((val: unknown, key: string) => out.push([key, val]));
    return out;
  }
  return [['state', s]];
}

export interface ItfSource {
  readonly model: string;
  readonly spec?: string;
  readonly description?: string;
  readonly loop?: number;
}

/** A trace of states (Immutable values) and the actions that reached them, as ITF. */
export function toItf(steps: readonly { action: string; state: unknown }[], src: ItfSource): ItfTrace {
  const vars = steps.length > 0 ? stateVariables(steps[0]!.state).map(([k]) => k) : [];
  const states = steps.map((step, index) => {
    const st: ItfState = { '#meta': { index, action: step.action } };
    for (const [k, v] of stateVariables(step.state)) st[k] = toItfValue(v);
    return st;
  });
  return {
    '#meta': {
      format: 'ITF',
      'format-description': 'https://apalache-mc.org/docs/adr/015adr-trace.html',
      source: src.spec ?? src.model,
      description: src.description ?? `Created by quorum from model ${src.model}`,
    },
    vars,
    states,
    ...(src.loop !== undefined ? { loop: src.loop } : {}),
  };
}

/** Checks a parsed JSON value is an ITF trace, naming the first thing that is not. */
export function validateItf(data: unknown, where = 'ITF'): ItfTrace {
  const bad = (msg: string): never => {
    throw new QuorumError('CFG_INVALID', `not an ITF trace: ${msg}`, where);
  };
  if (typeof data !== 'object' || data === null || Array.isArray(data)) bad('expected a JSON object');
  const t = data as ItfTrace;
  if (!Array.isArray(t.vars) || !t.vars.every((v) => typeof v === 'string')) bad('"vars" must be an array of variable names');
  if (!Array.isArray(t.states)) bad('"states" must be an array');
  if (t.loop !== undefined && (!Number.isInteger(t.loop) || t.loop < 0 || t.loop >= t.states.length)) bad(`"loop" must be the index of a state, got ${JSON.stringify(t.loop)}`);
  t.states.forEach((s, i) => {
    if (typeof s !== 'object' || s === null || Array.isArray(s)) bad(`state ${i} is not an object`);
    for (const v of t.vars) if (!(v in s)) bad(`state ${i} has no variable ${v}`);
    for (const k of Object.keys(s)) {
      if (k === '#meta') continue;
      if (!t.vars.includes(k)) bad(`state ${i} has ${k}, which is not in "vars"`);
      checkValue(s[k], `state ${i}, ${k}`, bad);
    }
  });
  return t;
}

function checkValue(v: unknown, at: string, bad: (m: string) => never): void {
  if (typeof v === 'boolean' || typeof v === 'string') return;
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) bad(`${at}: a number must be an integer within 2^53 (else #bigint)`);
    return;
  }
  if (Array.isArray(v)) return v.forEach((x, i) => checkValue(x, `${at}[${i}]`, bad));
  if (typeof v !== 'object' || v === null) return bad(`${at}: ${JSON.stringify(v)} is not an ITF value`);
  const o = v as Record<string, unknown>;
  const tags = Object.keys(o).filter((k) => k.startsWith('#'));
  if (tags.length === 0) {
    for (const [k, x] of Object.entries(o)) checkValue(x, `${at}.${k}`, bad);
    return;
  }
  if (tags.length !== 1 || Object.keys(o).length !== 1) bad(`${at}: a tagged value has exactly one key`);
  const tag = tags[0]!;
  const x = o[tag];
  switch (tag) {
    case '#bigint':
      if (typeof x !== 'string' || !/^-?[0-9]+$/.test(x)) bad(`${at}: #bigint takes a string of decimal digits`);
      return;
    case '#set':
    case '#tup':
      if (!Array.isArray(x)) bad(`${at}: ${tag} takes an array`);
      return (x as unknown[]).forEach((y, i) => checkValue(y, `${at}${tag}[${i}]`, bad));
    case '#map':
      if (!Array.isArray(x) || !x.every((e) => Array.isArray(e) && e.length === 2)) bad(`${at}: #map takes an array of [key, value] pairs`);
      return (x as unknown[][]).forEach(([k, y], i) => {
        checkValue(k, `${at}#map[${i}] key`, bad);
        checkValue(y, `${at}#map[${i}] value`, bad);
      });
    case '#unserializable':
      if (typeof x !== 'string') bad(`${at}: #unserializable takes a string`);
      return;
    default:
      bad(`${at}: unknown tag ${tag}`);
  }
}

/** Reads back an ITF value as plain JSON in quorum's trace-file convention (sets as arrays, maps as objects). */
export function itfToPlain(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(itfToPlain);
  if (typeof v !== 'object' || v === null) return v;
  const o = v as Record<string, unknown>;
  if ('#bigint' in o) return Number(o['#bigint']);
  if ('#unserializable' in o) return o['#unserializable'] === 'null' ? null : o['#unserializable'];
  if ('#tup' in o) return (o['#tup'] as unknown[]).map(itfToPlain);
  if ('#set' in o) return (o['#set'] as unknown[]).map(itfToPlain);
  if ('#map' in o) return Object.fromEntries((o['#map'] as [unknown, unknown][]).map(([k, x]) => [plainKey(itfToPlain(k)), itfToPlain(x)]));
  return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, itfToPlain(x)]));
}

function plainKey(k: unknown): string {
  return typeof k === 'string' ? k : typeof k === 'number' ? String(k) : JSON.stringify(k);
}
