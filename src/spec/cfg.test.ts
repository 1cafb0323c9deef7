// The .cfg parser: TLC's syntax as TLA+ users write it, quorum's MODEL and EXPECT lines, and errors
// that name file:line:col exactly.
import { describe, expect, it } from 'vitest';
import { parseCfg, parseConstantOverride, type Spec } from './cfg.js';
import type { CfgValue } from '../model/constants.js';
import { QuorumError } from '../model/errors.js';

const F = 'specs/test.cfg';
const parse = (text: string): Spec => parseCfg(text, F);

function fails(text: string): QuorumError {
  let err: unknown;
  try {
    parse(text);
  } catch (e) {
    err = e;
  }
  expect(err, `expected a parse error for:\n${text}`).toBeInstanceOf(QuorumError);
  return err as QuorumError;
}

/** Expects a CFG_SYNTAX error at line:col whose message matches. */
function failsAt(text: string, line: number, col: number, message: RegExp | string): void {
  const e = fails(text);
  expect(e.code).toBe('CFG_SYNTAX');
  expect(e.where).toBe(`${F}:${line}:${col}`);
  if (typeof message === 'string') expect(e.message).toContain(message);
  else expect(e.message).toMatch(message);
}

const constants = (s: Spec) => Object.fromEntries([...s.constants].map(([k, v]) => [k, v.value]));
const mv = (name: string): CfgValue => ({ kind: 'modelValue', name });
const int = (value: number): CfgValue => ({ kind: 'int', value });
const set = (...items: CfgValue[]): CfgValue => ({ kind: 'set', items });

describe('parseCfg: what a spec says', () => {
  it('reads a full spec: model, constants of every kind, properties, constraints, deadlock, expectation', () => {
    const s = parse(
      [
        '\\* Paxos with three acceptors',
        'MODEL paxos',
        'CONSTANTS',
        '  Acceptor = {a1, a2, a3}   \\* model values',
        '  MaxBallot = 2',
        '  Offset = -3',
        '  Name = "hello world"',
        '  Flag = TRUE',
        '  Other = FALSE',
        '  Ballots = 0..2',
        '  Braced = {0..2}',
        '  Empty = {}',
        '  Nested = {{a1, a2}, {a2, a3}}',
        '  Mixed = {1, "x", TRUE, m}',
        'INVARIANT Agreement TypeOK',
        'INVARIANTS Third',
        'CONSTRAINT Bounded',
        'CONSTRAINTS Also',
        'ACTION_CONSTRAINT NoBigJump',
        'ACTION_CONSTRAINTS Other1 Other2',
        'PROPERTY Live',
        'PROPERTIES P1 P2',
        'SYMMETRY Perms',
        'VIEW Abstraction',
        'CHECK_DEADLOCK FALSE',
        'EXPECT VIOLATION Agreement',
      ].join('\n'),
    );
    expect(s.file).toBe(F);
    expect(s.model).toEqual({ name: 'paxos', where: `${F}:2:7` });
    expect(constants(s)).toEqual({
      Acceptor: set(mv('a1'), mv('a2'), mv('a3')),
      MaxBallot: int(2),
      Offset: int(-3),
      Name: { kind: 'string', value: 'hello world' },
      Flag: { kind: 'bool', value: true },
      Other: { kind: 'bool', value: false },
      Ballots: set(int(0), int(1), int(2)),
      Braced: set(int(0), int(1), int(2)),
      Empty: set(),
      Nested: set(set(mv('a1'), mv('a2')), set(mv('a2'), mv('a3'))),
      Mixed: set(int(1), { kind: 'string', value: 'x' }, { kind: 'bool', value: true }, mv('m')),
    });
    expect(s.constants.get('Acceptor')!.where).toBe(`${F}:4:3`);
    expect(s.constants.get('Ballots')!.where).toBe(`${F}:10:3`);
    expect(s.invariants).toEqual([
      { name: 'Agreement', where: `${F}:15:11` },
      { name: 'TypeOK', where: `${F}:15:21` },
      { name: 'Third', where: `${F}:16:12` },
    ]);
    expect(s.constraints.map((n) => n.name)).toEqual(['Bounded', 'Also']);
    expect(s.actionConstraints.map((n) => n.name)).toEqual(['NoBigJump', 'Other1', 'Other2']);
    expect(s.actionConstraints[0]!.where).toBe(`${F}:19:19`);
    expect(s.properties.map((n) => n.name)).toEqual(['Live', 'P1', 'P2']);
    expect(s.symmetry.map((n) => n.name)).toEqual(['Perms']);
    expect(s.view).toEqual({ name: 'Abstraction', where: `${F}:24:6` });
    expect(s.checkDeadlock).toBe(false);
    expect(s.expect).toEqual({ kind: 'violation', name: 'Agreement', where: `${F}:26:18` });
  });

  it('defaults: no constants, no invariants, deadlock checked, no expectation', () => {
    const s = parse('MODEL two-phase-commit');
    expect(s.model.name).toBe('two-phase-commit');
    expect(s.constants.size).toBe(0);
    expect(s.invariants).toEqual([]);
    expect(s.constraints).toEqual([]);
    expect(s.actionConstraints).toEqual([]);
    expect(s.properties).toEqual([]);
    expect(s.view).toBeUndefined();
    expect(s.checkDeadlock).toBe(true);
    expect(s.expect).toBeUndefined();
    expect(parse('MODEL m CHECK_DEADLOCK TRUE').checkDeadlock).toBe(true);
  });

  it('CONSTANT and CONSTANTS are the same keyword; constants may share a line or span several blocks', () => {
    const a = parse('MODEL m\nCONSTANT N = 3\nCONSTANTS A = {x} B = 2\nCONSTANT C = "c"');
    expect(constants(a)).toEqual({ N: int(3), A: set(mv('x')), B: int(2), C: { kind: 'string', value: 'c' } });
  });

  it('EXPECT OK, EXPECT VIOLATION, EXPECT VIOLATION Name', () => {
    expect(parse('MODEL m\nEXPECT OK').expect).toEqual({ kind: 'ok' });
    expect(parse('MODEL m\nEXPECT VIOLATION').expect).toEqual({ kind: 'violation', where: `${F}:2:8` });
    expect(parse('MODEL m\nEXPECT VIOLATION Agreement').expect).toEqual({ kind: 'violation', name: 'Agreement', where: `${F}:2:18` });
    // A keyword after VIOLATION starts the next statement.
    const s = parse('MODEL m\nEXPECT VIOLATION\nINVARIANT Inv');
    expect(s.expect).toEqual({ kind: 'violation', where: `${F}:2:8` });
    expect(s.invariants.map((n) => n.name)).toEqual(['Inv']);
  });

  it('MODEL with a path, a quoted path, or a name with dashes', () => {
    expect(parse('MODEL ./models/my-model.ts').model.name).toBe('./models/my-model.ts');
    expect(parse('MODEL ../x/y/index.ts').model.name).toBe('../x/y/index.ts');
    expect(parse('MODEL /abs/path/model.ts').model.name).toBe('/abs/path/model.ts');
    expect(parse('MODEL "models/with space.ts"').model.name).toBe('models/with space.ts');
    expect(parse('MODEL paxos-naive').model.name).toBe('paxos-naive');
    expect(parse('  MODEL   raft_v2').model).toEqual({ name: 'raft_v2', where: `${F}:1:11` });
  });

  it('comments: \\* to the end of the line, (* ... *) anywhere, nested, across lines', () => {
    const s = parse(
      [
        '(* header',
        '   (* nested (* twice *) *)',
        '   MODEL ignored *)',
        'MODEL real \\* MODEL not-this-one',
        'CONSTANTS (* inline *) N = (* between *) 4 \\* trailing',
        '  S = {a, (* inside a set *) b}',
        '\\* INVARIANT Hidden',
        'INVARIANT Shown(**)',
      ].join('\n'),
    );
    expect(s.model).toEqual({ name: 'real', where: `${F}:4:7` });
    expect(constants(s)).toEqual({ N: int(4), S: set(mv('a'), mv('b')) });
    expect(s.invariants).toEqual([{ name: 'Shown', where: `${F}:8:11` }]);
    // Windows line endings and tabs.
    const w = parse('MODEL m\r\nCONSTANTS\r\n\tN = 1\r\nINVARIANT I\r\n');
    expect(constants(w)).toEqual({ N: int(1) });
    expect(w.invariants[0]!.where).toBe(`${F}:4:11`);
  });

  it('ranges: a..b, {a..b}, negative bounds, an empty range, a range inside a larger set', () => {
    const s = parse('MODEL m\nCONSTANTS R = -2..1 E = 3..2 One = 5..5 S = {0..1, 7} T = {1, 3..4}');
    expect(constants(s)).toEqual({
      R: set(int(-2), int(-1), int(0), int(1)),
      E: set(),
      One: set(int(5)),
      S: set(int(0), int(1), int(7)),
      T: set(int(1), int(3), int(4)),
    });
  });

  it('strings with escapes', () => {
    const s = parse('MODEL m\nCONSTANTS A = "a\\"b" B = "tab\\there" C = "nl\\n" D = "back\\\\slash" E = ""');
    expect(constants(s)).toEqual({
      A: { kind: 'string', value: 'a"b' },
      B: { kind: 'string', value: 'tab\there' },
      C: { kind: 'string', value: 'nl\n' },
      D: { kind: 'string', value: 'back\\slash' },
      E: { kind: 'string', value: '' },
    });
  });

  it('WF / SF fairness lines', () => {
    const s = parse('MODEL paxos\nWF Phase1a(1)\nSF Phase1b(a1) \\/ Phase2b(a1)\nWF Next');
    expect(s.fairness).toEqual([
      { kind: 'weak', group: [{ action: 'Phase1a', args: [1] }], text: 'WF(Phase1a(1))', where: `${F}:2:1` },
      { kind: 'strong', group: [{ action: 'Phase1b', args: ['a1'] }, { action: 'Phase2b', args: ['a1'] }], text: 'SF(Phase1b(a1) \\/ Phase2b(a1))', where: `${F}:3:1` },
      { kind: 'weak', group: [{ action: 'Next', args: [] }], text: 'WF(Next)', where: `${F}:4:1` },
    ]);
  });

  it('the bundled specs parse (the long ones too)', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    for (const dir of [new URL('../../specs/', import.meta.url), new URL('../../specs/long/', import.meta.url)]) {
      for (const f of readdirSync(dir).filter((x) => x.endsWith('.cfg'))) {
        const s = parseCfg(readFileSync(new URL(f, dir), 'utf8'), f);
        expect(s.model.name.length).toBeGreaterThan(0);
      }
    }
  });
});

describe('parseCfg: errors name file:line:col', () => {
  it("a constant without '='", () => {
    failsAt('MODEL m\nCONSTANTS\n  Acceptor {a1, a2}', 3, 12, "expected '=' after constant Acceptor, got '{'");
    failsAt('MODEL m\nCONSTANTS N', 2, 12, "expected '=' after constant N, got end of file");
    failsAt('MODEL m\nCONSTANTS N 3', 2, 13, "expected '=' after constant N");
  });

  it("TLA+'s operator substitution (<-) is explained", () => {
    failsAt('MODEL m\nCONSTANTS N <- Other', 2, 13, /substitution 'N <- \.\.\.'/);
  });

  it('an unknown keyword, or something that is not a keyword where a statement starts', () => {
    failsAt('MODEL m\nINVARINT Typo', 2, 1, "expected a keyword (MODEL, CONSTANTS, INVARIANT, CONSTRAINT, ...), got 'INVARINT'");
    failsAt('MODEL m\nCHECK_DEADLOCK FALSE\n  Bogus', 3, 3, "got 'Bogus'");
    // After INVARIANT, words are names until the next keyword (as in TLC): a misspelt keyword there
    // is an invariant name, reported as unknown when the model is loaded.
    expect(parse('MODEL m\nINVARIANT Inv\nINVARINT Typo').invariants.map((n) => n.name)).toEqual(['Inv', 'INVARINT', 'Typo']);
    failsAt('MODEL m\n\n   42', 3, 4, 'expected a keyword');
    failsAt('MODEL m\n{a}', 2, 1, "got '{'");
    failsAt('MODEL m\n"str"', 2, 1, 'got "str"');
  });

  it('unterminated comments and strings point at where they start', () => {
    failsAt('MODEL m\n  (* never closed', 2, 3, 'unterminated comment');
    failsAt('MODEL m\n(* (* nested *) still open', 2, 1, 'unterminated comment');
    failsAt('MODEL m\nCONSTANTS S = "abc', 2, 15, 'unterminated string');
    failsAt('MODEL m\nCONSTANTS S = "abc\nINVARIANT I', 2, 15, 'unterminated string');
  });

  it('a spec without MODEL', () => {
    const e = fails('CONSTANTS N = 1\nINVARIANT Inv');
    expect(e.code).toBe('CFG_SYNTAX');
    expect(e.where).toBe(`${F}:1:1`);
    expect(e.message).toMatch(/no MODEL statement/);
    expect(fails('').where).toBe(`${F}:1:1`);
    expect(fails('\\* only a comment\n').message).toMatch(/no MODEL/);
  });

  it('MODEL given twice, or without a name', () => {
    failsAt('MODEL a\nMODEL b', 2, 1, 'MODEL given twice');
    failsAt('MODEL\nINVARIANT I', 2, 1, 'MODEL needs a model name');
    failsAt('MODEL', 1, 1, 'MODEL needs a model name');
  });

  it('INIT, NEXT and SPECIFICATION are rejected: the model module defines them', () => {
    failsAt('MODEL m\nINIT Init', 2, 1, 'INIT is not used by quorum');
    failsAt('MODEL m\nNEXT Next', 2, 1, 'NEXT is not used by quorum');
    failsAt('MODEL m\n  SPECIFICATION Spec', 2, 3, 'SPECIFICATION is not used by quorum');
  });

  it('a constant given twice', () => {
    failsAt('MODEL m\nCONSTANTS N = 1\nCONSTANT M = 2 N = 3', 3, 16, 'constant N is given twice');
  });

  it('empty statements and bad names', () => {
    failsAt('MODEL m\nINVARIANT\nCONSTRAINT C', 2, 1, 'INVARIANT needs at least one name');
    failsAt('MODEL m\nINVARIANTS', 2, 1, 'INVARIANTS needs at least one name');
    failsAt('MODEL m\nCONSTANTS\nINVARIANT I', 2, 1, "CONSTANTS needs at least one 'Name = value'");
    failsAt('MODEL m\nINVARIANT 3', 2, 11, 'expected a name after INVARIANT');
    failsAt('MODEL m\nCONSTRAINT "x"', 2, 12, 'expected a name after CONSTRAINT');
    failsAt('MODEL m\nCHECK_DEADLOCK maybe', 2, 16, 'CHECK_DEADLOCK takes TRUE or FALSE');
    failsAt('MODEL m\nCHECK_DEADLOCK', 2, 1, 'CHECK_DEADLOCK takes TRUE or FALSE');
    failsAt('MODEL m\nEXPECT NOTHING', 2, 8, 'EXPECT takes OK or VIOLATION');
    failsAt('MODEL m\nVIEW A B', 2, 1, 'VIEW takes exactly one name');
  });

  it('bad values', () => {
    failsAt('MODEL m\nCONSTANTS S = {a1, a2', 2, 22, "expected ',' or '}' in a set, got end of file");
    failsAt('MODEL m\nCONSTANTS S = {a1 a2}', 2, 19, "expected ',' or '}' in a set, got 'a2'");
    failsAt('MODEL m\nCONSTANTS R = 0..x', 2, 18, "expected an integer after '..'");
    failsAt('MODEL m\nCONSTANTS N = INVARIANT', 2, 15, 'expected a value, got keyword INVARIANT');
    failsAt('MODEL m\nCONSTANTS N =', 2, 14, 'expected a value, got end of file');
    failsAt('MODEL m\nCONSTANTS N = 0..99999999', 2, 15, 'too large');
    failsAt('MODEL m\nCONSTANTS N = $', 2, 15, "unexpected character '$'");
  });
});

describe('parseConstantOverride (--const Name=value)', () => {
  it('reads a value in .cfg syntax', () => {
    expect(parseConstantOverride('MaxBallot=3')).toEqual({ name: 'MaxBallot', value: int(3) });
    expect(parseConstantOverride('N=-1')).toEqual({ name: 'N', value: int(-1) });
    expect(parseConstantOverride('Acceptor={a1, a2}')).toEqual({ name: 'Acceptor', value: set(mv('a1'), mv('a2')) });
    expect(parseConstantOverride(' Spaced = 0..2 ')).toEqual({ name: 'Spaced', value: set(int(0), int(1), int(2)) });
    expect(parseConstantOverride('S="x y"')).toEqual({ name: 'S', value: { kind: 'string', value: 'x y' } });
    expect(parseConstantOverride('B=TRUE')).toEqual({ name: 'B', value: { kind: 'bool', value: true } });
  });

  it('rejects what is not Name=value', () => {
    for (const bad of ['MaxBallot', '=3', '3x=1', 'a-b=1']) {
      let err: unknown;
      try {
        parseConstantOverride(bad);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(QuorumError);
      expect((err as QuorumError).code).toBe('USAGE');
      expect((err as QuorumError).where).toBe('--const');
    }
    // A malformed value is a syntax error located in the --const argument.
    let err: unknown;
    try {
      parseConstantOverride('S={a1,');
    } catch (e) {
      err = e;
    }
    expect((err as QuorumError).code).toBe('CFG_SYNTAX');
    expect((err as QuorumError).where).toMatch(/^--const:1:\d+$/);
  });
});
