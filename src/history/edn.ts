// A small EDN reader (https://github.com/edn-format/edn) for histories: nil, booleans, numbers,
// strings, characters, keywords, symbols, lists, vectors, maps, sets, tagged literals, `;` comments,
// `#_` discards, commas as whitespace. Values are those of edn-value.ts. Errors name file:line.
import { List, Map as IMap, Set as ISet } from 'immutable';
import { QuorumError } from '../model/errors.js';
import { EdnSymbol, Keyword, Tagged } from './edn-value.js';

const DELIMITERS = new Set([...' \t\n\r\f\v,()[]{}";']);
/** DELIMITERS by char code (below 128), for the token scanner. */
const DELIMITER_CODE = new Uint8Array(128);
for (const d of DELIMITERS) DELIMITER_CODE[d.charCodeAt(0)] = 1;

// readSimpleMapEntries' grammar: within one line, `:key value` with value a keyword, a string with no
// escape, an integer of at most 15 digits (a safe integer) or nil, each ending where the general
// reader's token would (DELIMITERS, or the end of the text).
const TOKEN_REST = '[^\\s,()\\[\\]{}";]*';
const NAME = `[^\\s,()\\[\\]{}";:#0-9\\\\]${TOKEN_REST}`;
const AFTER_TOKEN = '(?=[\\s,()\\[\\]{}";]|$)';
const SIMPLE_ENTRY = new RegExp(`[ \\t,]*:(${NAME})[ \\t,]+(?::(${NAME})|"([^"\\\\\\n]*)"|(-?\\d{1,15})${AFTER_TOKEN}|nil${AFTER_TOKEN})`, 'y');
const SIMPLE_END = /[ \t,]*\}/y;

export class EdnReader {
  pos = 0;
  line = 1;
  constructor(
    readonly text: string,
    readonly file = '<input>',
    readonly firstLine = 1,
  ) {
    this.line = firstLine;
  }

  error(message: string, line = this.line): QuorumError {
    return new QuorumError('HISTORY_SYNTAX', message, `${this.file}:${line}`);
  }

  /** Skips whitespace, commas, comments and `#_` discarded forms; true if a form follows. */
  skip(): boolean {
    const t = this.text;
    for (;;) {
      if (this.pos >= t.length) return false;
      const c = t.charCodeAt(this.pos);
      if (c === 10) {
        this.line++;
        this.pos++;
      } else if (c === 32 || c === 44 || c === 9 || c === 13 || c === 12 || c === 11) this.pos++;
      else if (c === 59) {
        // ; comment to end of line
        while (this.pos < t.length && t.charCodeAt(this.pos) !== 10) this.pos++;
      } else if (c === 35 && t.charCodeAt(this.pos + 1) === 95) {
        this.pos += 2;
        if (!this.skip()) throw this.error('#_ with nothing to discard');
        this.read();
      } else return true;
    }
  }

  /** Reads the next form; call after skip() returned true. */
  read(): unknown {
    if (!this.skip()) throw this.error('unexpected end of input');
    const t = this.text;
    const c = t[this.pos]!;
    switch (c) {
      case '(':
      case '[': {
        this.pos++;
        return List(this.readUntil(c === '(' ? ')' : ']'));
      }
      case '{': {
        const line = this.line;
        this.pos++;
        const items = this.readUntil('}');
        if (items.length % 2 !== 0) throw this.error('a map needs an even number of forms', line);
        let m = IMap<unknown, unknown>().asMutable();
        for (let i = 0; i < items.length; i += 2) m = m.set(items[i], items[i + 1]);
        return m.asImmutable();
      }
      case ')':
      case ']':
      case '}':
        throw this.error(`unexpected '${c}'`);
      case '"':
        return this.readString();
      case '\\':
        return this.readChar();
      case '#': {
        const n = t[this.pos + 1];
        if (n === '{') {
          this.pos += 2;
          return ISet(this.readUntil('}'));
        }
        if (n === undefined || DELIMITERS.has(n)) throw this.error(`unexpected '#${n ?? ''}'`);
        this.pos++;
        const tag = this.readToken();
        return new Tagged(tag, this.read());
      }
      case ':': {
        this.pos++;
        const name = this.readToken();
        if (name === '' || name.startsWith(':')) throw this.error('bad keyword');
        return Keyword.of(name);
      }
      default:
        return this.readAtom();
    }
  }

  private readUntil(close: string): unknown[] {
    const start = this.line;
    const items: unknown[] = [];
    for (;;) {
      if (!this.skip()) throw this.error(`unclosed collection (expected '${close}')`, start);
      if (this.text[this.pos] === close) {
        this.pos++;
        return items;
      }
      items.push(this.read());
    }
  }

  private readToken(): string {
    const t = this.text;
    const start = this.pos;
    let p = this.pos;
    for (; p < t.length; p++) {
      const c = t.charCodeAt(p);
      if (c < 128 && DELIMITER_CODE[c] === 1) break;
    }
    this.pos = p;
    return t.slice(start, p);
  }

  /**
   * Reads a map's key/value forms into `into` (flat: k0, v0, k1, v1, ...) without building the map;
   * call with pos on '{'. What the history parser uses for op maps, of which a file holds thousands.
   */
  readMapEntries(into: unknown[]): void {
    if (this.readSimpleMapEntries(into)) return;
    const line = this.line;
    this.pos++;
    into.length = 0;
    for (;;) {
      if (!this.skip()) throw this.error("unclosed collection (expected '}')", line);
      if (this.text.charCodeAt(this.pos) === 125) {
        this.pos++;
        break;
      }
      into.push(this.read());
    }
    if (into.length % 2 !== 0) throw this.error('a map needs an even number of forms', line);
  }

  /**
   * readMapEntries for the common one-line map of keyword keys and plain values (keywords, strings
   * without escapes, small integers, nil), by one sticky regular expression per entry: the regex
   * engine is compiled code from the first map on, while the general reader is still cold when a
   * short history has been read. False (nothing consumed) for anything else.
   */
  private readSimpleMapEntries(into: unknown[]): boolean {
    const t = this.text;
    into.length = 0;
    let at = this.pos + 1;
    for (;;) {
      SIMPLE_ENTRY.lastIndex = at;
      const m = SIMPLE_ENTRY.exec(t);
      if (m === null) {
        SIMPLE_END.lastIndex = at;
        // {} (rare) and anything unusual: the general path.
        if (into.length === 0 || !SIMPLE_END.test(t)) {
          into.length = 0;
          return false;
        }
        this.pos = SIMPLE_END.lastIndex;
        return true;
      }
      into.push(Keyword.of(m[1]!));
      into.push(m[2] !== undefined ? Keyword.of(m[2]) : m[3] !== undefined ? m[3] : m[4] !== undefined ? Number(m[4]) : null);
      at = SIMPLE_ENTRY.lastIndex;
    }
  }

  private readString(): string {
    const t = this.text;
    const startLine = this.line;
    this.pos++;
    // The common case: no escape and no newline before the closing quote.
    const close = t.indexOf('"', this.pos);
    if (close >= 0) {
      const body = t.slice(this.pos, close);
      if (body.indexOf('\\') < 0 && body.indexOf('\n') < 0) {
        this.pos = close + 1;
        return body;
      }
    }
    let out = '';
    let chunk = this.pos;
    for (;;) {
      if (this.pos >= t.length) throw this.error('unterminated string', startLine);
      const c = t[this.pos]!;
      if (c === '"') {
        out += t.slice(chunk, this.pos);
        this.pos++;
        return out;
      }
      if (c === '\n') this.line++;
      if (c === '\\') {
        out += t.slice(chunk, this.pos);
        const e = t[this.pos + 1];
        const simple: Record<string, string> = { t: '\t', r: '\r', n: '\n', '\\': '\\', '"': '"', b: '\b', f: '\f' };
        if (e !== undefined && e in simple) {
          out += simple[e];
          this.pos += 2;
        } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(t.slice(this.pos + 2, this.pos + 6))) {
          out += String.fromCharCode(parseInt(t.slice(this.pos + 2, this.pos + 6), 16));
          this.pos += 6;
        } else throw this.error(`bad escape in string: \\${e ?? ''}`);
        chunk = this.pos;
        continue;
      }
      this.pos++;
    }
  }

  private readChar(): string {
    this.pos++;
    const start = this.pos;
    // A character is one char, or a name: \newline \space \tab \return \uXXXX.
    this.pos++;
    while (this.pos < this.text.length && !DELIMITERS.has(this.text[this.pos]!)) this.pos++;
    const tok = this.text.slice(start, this.pos);
    const named: Record<string, string> = { newline: '\n', space: ' ', tab: '\t', return: '\r', formfeed: '\f', backspace: '\b' };
    if (tok.length === 1) return tok;
    if (tok in named) return named[tok]!;
    if (/^u[0-9a-fA-F]{4}$/.test(tok)) return String.fromCharCode(parseInt(tok.slice(1), 16));
    throw this.error(`bad character literal \\${tok}`);
  }

  private readAtom(): unknown {
    const tok = this.readToken();
    if (tok === '') throw this.error(`unexpected '${this.text[this.pos]}'`);
    if (tok === 'nil') return null;
    if (tok === 'true') return true;
    if (tok === 'false') return false;
    if (/^[+-]?\d/.test(tok)) return this.number(tok);
    return new EdnSymbol(tok);
  }

  private number(tok: string): number | bigint {
    const int = /^([+-]?)(\d+)(N?)$/.exec(tok);
    if (int) {
      const v = Number(tok.replace(/N$/, ''));
      if (Number.isSafeInteger(v)) return v;
      return BigInt(int[1]! + int[2]!);
    }
    if (/^[+-]?\d+(\.\d*)?([eE][+-]?\d+)?M?$/.test(tok)) return Number(tok.replace(/M$/, ''));
    if (/^[+-]?\d+\/\d+$/.test(tok)) {
      const [a, b] = tok.split('/');
      return Number(a) / Number(b);
    }
    throw this.error(`bad number '${tok}'`);
  }
}

/** Reads exactly one EDN form from text (e.g. `--init`); anything after it is an error. */
export function readEdn(text: string, where = '<input>'): unknown {
  const r = new EdnReader(text, where);
  const v = r.read();
  if (r.skip()) throw r.error('more than one form');
  return v;
}
