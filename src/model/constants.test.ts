// Typed constants: a spec's written values are checked against the model's schema, by name and
// with the place they were written, before anything runs.
import { describe, expect, it } from 'vitest';
import { constant, resolveConstants, showCfgValue, type CfgValue, type ConstantSchema } from './constants.js';
import { QuorumError } from './errors.js';
import { parseCfg } from '../spec/cfg.js';

const mv = (name: string): CfgValue => ({ kind: 'modelValue', name });
const int = (value: number): CfgValue => ({ kind: 'int', value });
const set = (...items: CfgValue[]): CfgValue => ({ kind: 'set', items });
const str = (value: string): CfgValue => ({ kind: 'string', value });
const bool = (value: boolean): CfgValue => ({ kind: 'bool', value });

/** Written constants as a spec would give them, each "written" at a made-up place. */
function written(values: Record<string, CfgValue>): Map<string, { value: CfgValue; where: string }> {
  return new Map(Object.entries(values).map(([k, v], i) => [k, { value: v, where: `spec.cfg:${i + 3}:3` }]));
}

function resolveError(schema: ConstantSchema, values: Record<string, CfgValue>): QuorumError {
  let err: unknown;
  try {
    resolveConstants(schema, written(values), 'm', 'spec.cfg');
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(QuorumError);
  return err as QuorumError;
}

const paxosSchema = {
  Acceptor: constant.modelValues(),
  Value: constant.modelValues({ minSize: 2 }),
  MaxBallot: constant.int({ min: 0 }),
};

describe('resolveConstants', () => {
  it('converts valid values: model values as strings in the order written (duplicates dropped), ints as numbers', () => {
    const k = resolveConstants(paxosSchema, written({ Acceptor: set(mv('a2'), mv('a1'), mv('a2')), Value: set(mv('v1'), mv('v2')), MaxBallot: int(2) }), 'paxos', 'spec.cfg');
    expect(k).toEqual({ Acceptor: ['a2', 'a1'], Value: ['v1', 'v2'], MaxBallot: 2 });
  });

  it('a missing constant: CONSTANT_MISSING, naming the constant and its type, at the spec', () => {
    const e = resolveError(paxosSchema, { Acceptor: set(mv('a1')), Value: set(mv('v1'), mv('v2')) });
    expect(e.code).toBe('CONSTANT_MISSING');
    expect(e.where).toBe('spec.cfg');
    expect(e.message).toBe('model m needs constant MaxBallot (an integer ≥ 0); add it under CONSTANTS');
  });

  it('an ill-typed constant: CONSTANT_TYPE, at the place it was written', () => {
    const cases: [ConstantSchema, Record<string, CfgValue>, string, string][] = [
      [paxosSchema, { Acceptor: int(3), Value: set(mv('v1'), mv('v2')), MaxBallot: int(1) }, 'spec.cfg:3:3', 'constant Acceptor: expected a set of model values like {a1, a2}, got 3'],
      [paxosSchema, { Acceptor: set(mv('a1'), int(2)), Value: set(mv('v1'), mv('v2')), MaxBallot: int(1) }, 'spec.cfg:3:3', 'constant Acceptor: expected a set of model values like {a1, a2}, got 2 in it'],
      [paxosSchema, { Acceptor: set(), Value: set(mv('v1'), mv('v2')), MaxBallot: int(1) }, 'spec.cfg:3:3', 'constant Acceptor: expected at least 1 model value, got 0'],
      [paxosSchema, { Acceptor: set(mv('a')), Value: set(mv('v1'), mv('v1')), MaxBallot: int(1) }, 'spec.cfg:4:3', 'constant Value: expected at least 2 model values, got 1'],
      [paxosSchema, { Acceptor: set(mv('a')), Value: set(mv('v1'), mv('v2')), MaxBallot: int(-1) }, 'spec.cfg:5:3', 'constant MaxBallot: expected an integer ≥ 0, got -1'],
      [paxosSchema, { Acceptor: set(mv('a')), Value: set(mv('v1'), mv('v2')), MaxBallot: str('2') }, 'spec.cfg:5:3', 'constant MaxBallot: expected an integer ≥ 0, got "2"'],
      [{ N: constant.int({ min: 1, max: 3 }) }, { N: int(4) }, 'spec.cfg:3:3', 'constant N: expected an integer in 1..3, got 4'],
      [{ N: constant.int({ max: 3 }) }, { N: bool(true) }, 'spec.cfg:3:3', 'constant N: expected an integer ≤ 3, got TRUE'],
      [{ B: constant.bool() }, { B: int(1) }, 'spec.cfg:3:3', 'constant B: expected TRUE or FALSE, got 1'],
      [{ S: constant.string() }, { S: mv('x') }, 'spec.cfg:3:3', 'constant S: expected a string, got x'],
      [{ I: constant.intSet() }, { I: set(int(1), str('x')) }, 'spec.cfg:3:3', 'constant I: expected a set of integers, got "x" in it'],
      [{ I: constant.intSet() }, { I: int(1) }, 'spec.cfg:3:3', 'constant I: expected a set of integers, got 1'],
    ];
    for (const [schema, values, where, message] of cases) {
      const e = resolveError(schema, values);
      expect(e.code).toBe('CONSTANT_TYPE');
      expect(e.where).toBe(where);
      expect(e.message).toBe(message);
    }
  });

  it('a constant the model does not have: UNKNOWN_NAME, listing the ones it has', () => {
    const e = resolveError(paxosSchema, { Acceptor: set(mv('a1')), Value: set(mv('v1'), mv('v2')), MaxBallot: int(2), Quorums: int(3) });
    expect(e.code).toBe('UNKNOWN_NAME');
    expect(e.where).toBe('spec.cfg:6:3');
    expect(e.message).toBe('model m has no constant Quorums; its constants are Acceptor, Value, MaxBallot');
    const none = resolveError({}, { X: int(1) });
    expect(none.code).toBe('UNKNOWN_NAME');
    expect(none.message).toContain('(none)');
  });

  it('optional constants take their default; given ones are still checked', () => {
    const schema = { N: constant.int({ min: 0, default: 3 }), B: constant.bool({ default: true }), S: constant.string({ default: 'x' }) };
    expect(resolveConstants(schema, written({}), 'm', 'spec.cfg')).toEqual({ N: 3, B: true, S: 'x' });
    expect(resolveConstants(schema, written({ N: int(0), B: bool(false), S: str('') }), 'm', 'spec.cfg')).toEqual({ N: 0, B: false, S: '' });
    expect(resolveError(schema, { N: int(-1) }).code).toBe('CONSTANT_TYPE');
  });

  it('string constants: any written string is the value (including one that reads like an error)', () => {
    const schema = { S: constant.string() };
    for (const v of ['x', '', 'expected a string, got 1', 'a b "c"']) {
      expect(resolveConstants(schema, written({ S: str(v) }), 'm', 'spec.cfg')).toEqual({ S: v });
    }
    expect(resolveConstants(schema, parseCfg('MODEL m\nCONSTANTS S = "hello"', 'x.cfg').constants, 'm', 'x.cfg')).toEqual({ S: 'hello' });
    expect(resolveError(schema, { S: int(1) }).message).toBe('constant S: expected a string, got 1');
  });

  it('intSet: sorted, without duplicates; ranges and braces', () => {
    const k = resolveConstants({ I: constant.intSet() }, written({ I: set(int(3), int(-1), int(3), int(0)) }), 'm', 'spec.cfg');
    expect(k.I).toEqual([-1, 0, 3]);
  });
});

describe('constant.subsetOf', () => {
  const schema = { Server: constant.modelValues(), Electable: constant.subsetOf('Server', { defaultAll: true }) };

  it('defaults to the whole set it refers to', () => {
    const k = resolveConstants(schema, written({ Server: set(mv('s1'), mv('s2'), mv('s3')) }), 'raft', 'spec.cfg');
    expect(k.Electable).toEqual(['s1', 's2', 's3']);
    // A copy, not the same array.
    expect(k.Electable).not.toBe(k.Server);
  });

  it('accepts a subset, in the order written, without duplicates', () => {
    const k = resolveConstants(schema, written({ Server: set(mv('s1'), mv('s2'), mv('s3')), Electable: set(mv('s3'), mv('s1'), mv('s3')) }), 'raft', 'spec.cfg');
    expect(k.Electable).toEqual(['s3', 's1']);
    const empty = resolveConstants(schema, written({ Server: set(mv('s1')), Electable: set() }), 'raft', 'spec.cfg');
    expect(empty.Electable).toEqual([]);
  });

  it('rejects elements outside the set, and values that are not sets of model values', () => {
    const outside = resolveError(schema, { Server: set(mv('s1'), mv('s2')), Electable: set(mv('s1'), mv('s9')) });
    expect(outside.code).toBe('CONSTANT_TYPE');
    expect(outside.where).toBe('spec.cfg:4:3');
    expect(outside.message).toBe('constant Electable: s9 is not in Server = {s1, s2}');
    expect(resolveError(schema, { Server: set(mv('s1')), Electable: int(1) }).message).toBe('constant Electable: expected a subset of Server, got 1');
    expect(resolveError(schema, { Server: set(mv('s1')), Electable: set(int(1)) }).message).toBe('constant Electable: expected a subset of Server, got 1 in it');
  });

  it('without defaultAll, the subset must be given', () => {
    const strict = { Server: constant.modelValues(), Electable: constant.subsetOf('Server') };
    const e = resolveError(strict, { Server: set(mv('s1')) });
    expect(e.code).toBe('CONSTANT_MISSING');
    expect(e.message).toContain('needs constant Electable (a subset of Server)');
  });

  it('works from a parsed spec, with the places the parser recorded', () => {
    const spec = parseCfg('MODEL raft\nCONSTANTS\n  Server = {s1, s2}\n  Electable = {s3}', 'raft.cfg');
    let err: unknown;
    try {
      resolveConstants(schema, spec.constants, 'raft', 'raft.cfg');
    } catch (e) {
      err = e;
    }
    expect((err as QuorumError).code).toBe('CONSTANT_TYPE');
    expect((err as QuorumError).where).toBe('raft.cfg:4:3');
    expect((err as QuorumError).oneLine()).toBe('raft.cfg:4:3: error[CONSTANT_TYPE]: constant Electable: s3 is not in Server = {s1, s2}');
  });
});

describe('showCfgValue', () => {
  it('prints values as they are written in a .cfg', () => {
    expect(showCfgValue(set(mv('a1'), int(-2), str('x'), bool(true), set()))).toBe('{a1, -2, "x", TRUE, {}}');
    expect(showCfgValue(bool(false))).toBe('FALSE');
  });
});
