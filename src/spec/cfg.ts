// TLC-style .cfg spec files: which model, its constants, and what to check.
// Every error names file:line:col.
import type { CfgValue } from '../model/constants.js';
import type { Fairness } from '../model/properties.js';
import { QuorumError } from '../model/errors.js';

export interface Named {
  readonly name: string;
  /** file:line:col of the name. */
  readonly where: string;
}

export type Expectation = { kind: 'ok' } | { kind: 'violation'; name?: string; where: string };

export interface Spec {
  readonly file: string;
  readonly model: Named;
  readonly constants: Map<string, { value: CfgValue; where: string }>;
  readonly invariants: Named[];
  readonly properties: Named[];
  readonly constraints: Named[];
  readonly actionConstraints: Named[];
  readonly symmetry: Named[];
  readonly view?: Named;
  readonly checkDeadlock: boolean;
  /** WF/SF lines: fairness assumptions for PROPERTY checks. */
  readonly fairness: (Fairness & { where: string })[];
  /** quorum's extension: the outcome this spec is meant to have (`EXPECT OK`, `EXPECT VIOLATION Agreement`). */
  readonly expect?: Expectation;
}

type Tok =
  | { t: 'word'; v: string; line: number; col: number }
  | { t: 'int'; v: number; line: number; col: number }
  | { t: 'str'; v: string; line: number; col: number }
  | { t: 'punct'; v: string; line: number; col: number };

const KEYWORDS = new Set([
  'MODEL',
  'CONSTANT',
  'CONSTANTS',
  'INVARIANT',
  'INVARIANTS',
  'PROPERTY',
  'PROPERTIES',
  'CONSTRAINT',
  'CONSTRAINTS',
  'ACTION_CONSTRAINT',
  'ACTION_CONSTRAINTS',
  'SYMMETRY',
  'VIEW',
  'CHECK_DEADLOCK',
  'EXPECT',
  'WF',
  'SF',
  'INIT',
  'NEXT',
  'SPECIFICATION',
  'ALIAS',
  'POSTCONDITION',
]);

function lex(text: string, file: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0, line = 1, col = 1;
  const err = (msg: string, l = line, c = col) => new QuorumError('CFG_SYNTAX', msg, `${file}:${l}:${c}`);
  const adv = (n: number) => {
    for (let k = 0; k < n; k++) {
      if (text[i] === '\n') {
        line++;
        col = 1;
      } else col++;
      i++;
    }
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n') {
      adv(1);
      continue;
    }
    if (text.startsWith('\\*', i)) {
      while (i < text.length && text[i] !== '\n') adv(1);
      continue;
    }
    if (text.startsWith('(*', i)) {
      const l0 = line, c0 = col;
      let depth = 0;
      do {
        if (text.startsWith('(*', i)) {
          depth++;
          adv(2);
        } else if (text.startsWith('*)', i)) {
          depth--;
          adv(2);
        } else if (i >= text.length) {
          throw err('unterminated comment (* ... *)', l0, c0);
        } else adv(1);
      } while (depth > 0);
      continue;
    }
    const l0 = line, c0 = col;
    if (ch === '"') {
      let s = '';
      adv(1);
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\n') throw err('unterminated string', l0, c0);
        if (text[i] === '\\' && i + 1 < text.length) {
          const e = text[i + 1]!;
          s += e === 'n' ? '\n' : e === 't' ? '\t' : e;
          adv(2);
        } else {
          s += text[i];
          adv(1);
        }
      }
      if (i >= text.length) throw err('unterminated string', l0, c0);
      adv(1);
      toks.push({ t: 'str', v: s, line: l0, col: c0 });
      continue;
    }
    // '..' is a range, except at the start of a relative path (MODEL ../models/x.ts).
    if ((text.startsWith('..', i) && text[i + 2] !== '/') || text.startsWith('<-', i) || text.startsWith('\\/', i)) {
      toks.push({ t: 'punct', v: text.slice(i, i + 2), line: l0, col: c0 });
      adv(2);
      continue;
    }
    if ('={},[]()|'.includes(ch)) {
      toks.push({ t: 'punct', v: ch, line: l0, col: c0 });
      adv(1);
      continue;
    }
    const num = /^-?[0-9]+(?![A-Za-z_])/.exec(text.slice(i, i + 32));
    if (num) {
      toks.push({ t: 'int', v: Number(num[0]), line: l0, col: c0 });
      adv(num[0].length);
      continue;
    }
    // Words: identifiers, and (after MODEL) model names or paths such as paxos-naive or ./my/model.ts
    const word = /^[A-Za-z0-9_./\-@~]+/.exec(text.slice(i, i + 4096));
    if (word) {
      let w = word[0];
      // A range like 0..2 is lexed as int, '..', int; keep '..' out of plain identifiers.
      const dots = w.indexOf('..');
      if (dots > 0 && !w.includes('/')) w = w.slice(0, dots);
      toks.push({ t: 'word', v: w, line: l0, col: c0 });
      adv(w.length);
      continue;
    }
    throw err(`unexpected character '${ch}'`);
  }
  return toks;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function parseCfg(text: string, file: string): Spec {
  const toks = lex(text, file);
  let p = 0;
  const at = (t: Tok | undefined) => (t ? `${file}:${t.line}:${t.col}` : `${file}:${endPos(text)}`);
  const err = (msg: string, t: Tok | undefined = toks[p]) => new QuorumError('CFG_SYNTAX', msg, at(t));
  const isKeyword = (t: Tok | undefined) => t?.t === 'word' && KEYWORDS.has(t.v);
  const describe = (t: Tok | undefined) => (t === undefined ? 'end of file' : t.t === 'str' ? JSON.stringify(t.v) : `'${String(t.v)}'`);

  let model: Named | undefined;
  const constants = new Map<string, { value: CfgValue; where: string }>();
  const invariants: Named[] = [];
  const properties: Named[] = [];
  const constraints: Named[] = [];
  const actionConstraints: Named[] = [];
  const symmetry: Named[] = [];
  let view: Named | undefined;
  let checkDeadlock = true;
  let expect: Expectation | undefined;
  const fairness: (Fairness & { where: string })[] = [];

  const plain = (v: CfgValue): unknown =>
    v.kind === 'int' || v.kind === 'string' || v.kind === 'bool' ? v.value : v.kind === 'modelValue' ? v.name : v.items.map(plain);

  /** WF A(1) \/ B(a1): one group of action instances, each with a prefix of its arguments. */
  const fairGroup = (kw: Tok): void => {
    const group: { action: string; args: unknown[] }[] = [];
    const parts: string[] = [];
    for (;;) {
      const name = toks[p];
      if (name?.t !== 'word' || isKeyword(name) || !IDENT.test(name.v)) throw err(`${String(kw.v)} needs an action, like ${String(kw.v)} Phase1a(1), got ${describe(name)}`, name ?? kw);
      p++;
      const args: unknown[] = [];
      if (toks[p]?.t === 'punct' && toks[p]!.v === '(') {
        p++;
        while (!(toks[p]?.t === 'punct' && toks[p]!.v === ')')) {
          args.push(plain(value()));
          if (toks[p]?.t === 'punct' && toks[p]!.v === ',') p++;
          else if (!(toks[p]?.t === 'punct' && toks[p]!.v === ')')) throw err(`expected ',' or ')' in the arguments of ${name.v}, got ${describe(toks[p])}`);
        }
        p++;
      }
      group.push({ action: name.v, args });
      parts.push(args.length ? `${name.v}(${args.map(String).join(', ')})` : name.v);
      const sep = toks[p];
      if (sep?.t === 'punct' && (sep.v === '\\/' || sep.v === '|')) {
        p++;
        continue;
      }
      break;
    }
    fairness.push({ kind: kw.v === 'WF' ? 'weak' : 'strong', group, text: `${String(kw.v)}(${parts.join(' \\/ ')})`, where: at(kw) });
  };

  const names = (kw: Tok, into: Named[]) => {
    const start = into.length;
    while (p < toks.length && !isKeyword(toks[p])) {
      const t = toks[p]!;
      if (t.t !== 'word' || !IDENT.test(t.v)) throw err(`expected a name after ${String(kw.v)}, got ${describe(t)}`, t);
      into.push({ name: t.v, where: at(t) });
      p++;
    }
    if (into.length === start) throw err(`${String(kw.v)} needs at least one name`, kw);
  };

  const value = (): CfgValue => {
    const t = toks[p];
    if (t === undefined) throw err('expected a value, got end of file');
    if (t.t === 'int') {
      p++;
      if (toks[p]?.t === 'punct' && toks[p]!.v === '..') {
        p++;
        const hi = toks[p];
        if (hi?.t !== 'int') throw err(`expected an integer after '..', got ${describe(hi)}`, hi);
        p++;
        if (hi.v - t.v > 1_000_000) throw err(`range ${t.v}..${hi.v} is too large`, t);
        const items: CfgValue[] = [];
        for (let x = t.v; x <= hi.v; x++) items.push({ kind: 'int', value: x });
        return { kind: 'set', items };
      }
      return { kind: 'int', value: t.v };
    }
    if (t.t === 'str') {
      p++;
      return { kind: 'string', value: t.v };
    }
    if (t.t === 'word') {
      if (isKeyword(t)) throw err(`expected a value, got keyword ${t.v}`, t);
      p++;
      if (t.v === 'TRUE') return { kind: 'bool', value: true };
      if (t.v === 'FALSE') return { kind: 'bool', value: false };
      if (!IDENT.test(t.v)) throw err(`expected a value, got ${describe(t)}`, t);
      return { kind: 'modelValue', name: t.v };
    }
    if (t.v === '{') {
      p++;
      const items: CfgValue[] = [];
      if (toks[p]?.t === 'punct' && toks[p]!.v === '}') {
        p++;
        return { kind: 'set', items };
      }
      for (;;) {
        const item = value();
        if (item.kind === 'set' && item.items.every((x) => x.kind === 'int') && toks[p - 1]?.t === 'int' && toks[p - 2]?.v === '..') {
          items.push(...item.items); // {0..2} reads as the range itself
        } else items.push(item);
        const sep = toks[p];
        if (sep?.t === 'punct' && sep.v === ',') {
          p++;
          continue;
        }
        if (sep?.t === 'punct' && sep.v === '}') {
          p++;
          return { kind: 'set', items };
        }
        throw err(`expected ',' or '}' in a set, got ${describe(sep)}`, sep);
      }
    }
    throw err(`expected a value, got ${describe(t)}`, t);
  };

  while (p < toks.length) {
    const kw = toks[p]!;
    if (kw.t !== 'word' || !KEYWORDS.has(kw.v)) {
      throw err(`expected a keyword (MODEL, CONSTANTS, INVARIANT, CONSTRAINT, ...), got ${describe(kw)}`, kw);
    }
    p++;
    switch (kw.v) {
      case 'MODEL': {
        if (model) throw err('MODEL given twice', kw);
        const t = toks[p];
        if (t === undefined || (t.t !== 'word' && t.t !== 'str') || isKeyword(t)) throw err('MODEL needs a model name or a path to a model module', t ?? kw);
        model = { name: String(t.v), where: at(t) };
        p++;
        break;
      }
      case 'CONSTANT':
      case 'CONSTANTS': {
        let n = 0;
        while (p < toks.length && !isKeyword(toks[p])) {
          const name = toks[p]!;
          if (name.t !== 'word' || !IDENT.test(name.v)) throw err(`expected a constant name, got ${describe(name)}`, name);
          p++;
          const eq = toks[p];
          if (eq?.t === 'punct' && eq.v === '<-') throw err(`substitution '${name.v} <- ...' is a TLA+ operator override; quorum constants take values: ${name.v} = ...`, eq);
          if (!(eq?.t === 'punct' && eq.v === '=')) throw err(`expected '=' after constant ${name.v}, got ${describe(eq)}`, eq);
          p++;
          if (constants.has(name.v)) throw err(`constant ${name.v} is given twice`, name);
          constants.set(name.v, { value: value(), where: at(name) });
          n++;
        }
        if (n === 0) throw err(`${kw.v} needs at least one 'Name = value'`, kw);
        break;
      }
      case 'INVARIANT':
      case 'INVARIANTS':
        names(kw, invariants);
        break;
      case 'PROPERTY':
      case 'PROPERTIES':
        names(kw, properties);
        break;
      case 'CONSTRAINT':
      case 'CONSTRAINTS':
        names(kw, constraints);
        break;
      case 'ACTION_CONSTRAINT':
      case 'ACTION_CONSTRAINTS':
        names(kw, actionConstraints);
        break;
      case 'SYMMETRY':
        names(kw, symmetry);
        break;
      case 'VIEW': {
        const list: Named[] = [];
        names(kw, list);
        if (list.length > 1 || view) throw err('VIEW takes exactly one name', kw);
        view = list[0];
        break;
      }
      case 'CHECK_DEADLOCK': {
        const t = toks[p];
        if (t?.t !== 'word' || (t.v !== 'TRUE' && t.v !== 'FALSE')) throw err(`CHECK_DEADLOCK takes TRUE or FALSE, got ${describe(t)}`, t ?? kw);
        checkDeadlock = t.v === 'TRUE';
        p++;
        break;
      }
      case 'EXPECT': {
        const t = toks[p];
        if (t?.t === 'word' && t.v === 'OK') {
          expect = { kind: 'ok' };
          p++;
        } else if (t?.t === 'word' && t.v === 'VIOLATION') {
          p++;
          const n = toks[p];
          if (n?.t === 'word' && !isKeyword(n) && IDENT.test(n.v)) {
            expect = { kind: 'violation', name: n.v, where: at(n) };
            p++;
          } else expect = { kind: 'violation', where: at(t) };
        } else throw err(`EXPECT takes OK or VIOLATION [name], got ${describe(t)}`, t ?? kw);
        break;
      }
      case 'WF':
      case 'SF':
        fairGroup(kw);
        break;
      default:
        throw err(`${kw.v} is not used by quorum: the model module defines init and next; name it with MODEL`, kw);
    }
  }
  if (!model) throw new QuorumError('CFG_SYNTAX', 'the spec has no MODEL statement (e.g. MODEL paxos)', `${file}:1:1`);
  return { file, model, constants, invariants, properties, constraints, actionConstraints, symmetry, view, checkDeadlock, fairness, expect };
}

function endPos(text: string): string {
  const lines = text.split('\n');
  return `${lines.length}:${lines[lines.length - 1]!.length + 1}`;
}

/** `--const Name=value` on the command line, in .cfg value syntax. */
export function parseConstantOverride(arg: string): { name: string; value: CfgValue } {
  const eq = arg.indexOf('=');
  if (eq <= 0) throw new QuorumError('USAGE', `--const expects Name=value, got '${arg}'`, '--const');
  const name = arg.slice(0, eq).trim();
  if (!IDENT.test(name)) throw new QuorumError('USAGE', `--const: '${name}' is not a constant name`, '--const');
  const spec = parseCfg(`MODEL x CONSTANTS ${name} = ${arg.slice(eq + 1)}`, '--const');
  return { name, value: spec.constants.get(name)!.value };
}
