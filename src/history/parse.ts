// Parsers for the recorded-history formats (see the formats section of the docs):
//  - Jepsen/Knossos EDN: one collection of op maps (only the first form is read, as Knossos does), or
//    a bare sequence of op maps (Porcupine's kv lines, Knossos's CLI).
//  - Porcupine's etcd logs: `INFO jepsen.util - <process> <type> <f> <value>` lines.
// Both become one Jepsen event stream, paired per process into operations.
import { Map as IMap } from 'immutable';
import { QuorumError } from '../model/errors.js';
import { HistoryBuilder } from './builder.js';
import { EdnReader } from './edn.js';
import { Keyword, kw, printEdn } from './edn-value.js';
import type { JepsenInput } from './models/common.js';
import type { Operation } from './types.js';

export type HistoryFormat = 'edn' | 'etcd-log';
export type JepsenOp = Operation<JepsenInput, unknown>;

export interface ParsedHistory {
  readonly format: HistoryFormat;
  readonly ops: JepsenOp[];
  /** Events that were not client ops (an :info with no open invocation, e.g. the nemesis's). */
  readonly skipped: number;
}

export interface JepsenEvent {
  readonly process: string | number;
  readonly type: 'invoke' | 'ok' | 'fail' | 'info';
  readonly f: string;
  /** The event's :value; null when absent (nil). */
  readonly value: unknown;
  readonly key?: unknown;
  readonly line: number;
}

/** Pairs events into operations with Knossos's rules (history.clj, dll_history.clj). */
export function operationsFromEvents(events: Iterable<JepsenEvent>, file: string): { ops: JepsenOp[]; skipped: number } {
  const b = new HistoryBuilder<JepsenInput, unknown>();
  let skipped = 0;
  for (const e of events) {
    // (file:line spelled out where needed only, and no object spreads: a cold loop over thousands of events.)
    if (e.type === 'invoke') {
      if (b.isOpen(e.process))
        throw new QuorumError('HISTORY_INVALID', `process ${String(e.process)} invokes while its previous op is still open`, `${file}:${e.line}`);
      b.invoke(e.process, e.key !== undefined ? { f: e.f, value: e.value, key: e.key } : { f: e.f, value: e.value }, `${file}:${e.line}`);
      continue;
    }
    if (!b.isOpen(e.process)) {
      // An :info with no invocation is not a client op (the nemesis's); Knossos skips it.
      if (e.type === 'info') {
        skipped++;
        continue;
      }
      throw new QuorumError('HISTORY_INVALID', `:${e.type} for process ${String(e.process)}, which has no open invocation`, `${file}:${e.line}`);
    }
    const inv = b.openInput(e.process)!;
    if (inv.f !== e.f) throw new QuorumError('HISTORY_INVALID', `:${e.type} :${e.f} completes an :invoke :${inv.f}`, `${file}:${e.line}`);
    // Info keeps the invocation's value (the op may take effect with it, or never).
    b.complete(e.process, e.type, e.type === 'info' ? undefined : e.value);
  }
  return { ops: b.build(), skipped };
}

const K = { process: kw('process'), type: kw('type'), f: kw('f'), value: kw('value'), key: kw('key') };
const TYPES = new Set(['invoke', 'ok', 'fail', 'info']);

function name(v: unknown): string | undefined {
  if (v instanceof Keyword) return v.name;
  if (typeof v === 'string') return v;
  return undefined;
}

function ednEvent(m: unknown, file: string, line: number): JepsenEvent {
  const where = `${file}:${line}`;
  if (!IMap.isMap(m)) throw new QuorumError('HISTORY_SYNTAX', `expected an op map {:process .. :type .. :f ..}, got ${printEdn(m).slice(0, 60)}`, where);
  const map = m as IMap<unknown, unknown>;
  const type = name(map.get(K.type));
  if (type === undefined || !TYPES.has(type))
    throw new QuorumError('HISTORY_SYNTAX', `:type must be :invoke, :ok, :fail or :info, got ${printEdn(map.get(K.type))}`, where);
  const p = map.get(K.process);
  const process = typeof p === 'number' || typeof p === 'string' ? p : p instanceof Keyword ? p.toString() : undefined;
  if (process === undefined) throw new QuorumError('HISTORY_SYNTAX', `:process must be an integer or a keyword, got ${printEdn(p)}`, where);
  const fv = map.get(K.f);
  const f = name(fv);
  if (f === undefined) throw new QuorumError('HISTORY_SYNTAX', `:f must be a keyword, got ${printEdn(fv)}`, where);
  const key = map.get(K.key);
  return { process, type: type as JepsenEvent['type'], f, value: map.get(K.value, null), ...(key !== undefined ? { key } : {}), line };
}

/** An op map read as flat key/value entries (EdnReader.readMapEntries): the event, as ednEvent reads it. */
function ednEventFromEntries(kv: unknown[], file: string, line: number): JepsenEvent {
  let type: unknown, process: unknown, f: unknown, value: unknown, key: unknown;
  // A repeated key: the last one counts, as when the map is built.
  for (let i = 0; i < kv.length; i += 2) {
    const k = kv[i];
    if (k === K.type) type = kv[i + 1];
    else if (k === K.process) process = kv[i + 1];
    else if (k === K.f) f = kv[i + 1];
    else if (k === K.value) value = kv[i + 1];
    else if (k === K.key) key = kv[i + 1];
  }
  const t = name(type);
  const p = typeof process === 'number' || typeof process === 'string' ? process : process instanceof Keyword ? process.toString() : undefined;
  const fn = name(f);
  // Anything unusual (a bad field, a key that is not a keyword) goes the general way, for its message.
  if (t === undefined || !TYPES.has(t) || p === undefined || fn === undefined) {
    let m = IMap<unknown, unknown>().asMutable();
    for (let i = 0; i < kv.length; i += 2) m = m.set(kv[i], kv[i + 1]);
    return ednEvent(m.asImmutable(), file, line);
  }
  const v = value === undefined ? null : value;
  const type_ = t as JepsenEvent['type'];
  return key !== undefined ? { process: p, type: type_, f: fn, value: v, key, line } : { process: p, type: type_, f: fn, value: v, line };
}

export function parseEdnHistory(text: string, file: string): ParsedHistory {
  const r = new EdnReader(text, file);
  const events: JepsenEvent[] = [];
  const entries: unknown[] = [];
  const readEvent = (): JepsenEvent => {
    const line = r.line;
    if (r.text.charCodeAt(r.pos) === 123) {
      r.readMapEntries(entries);
      return ednEventFromEntries(entries, file, line);
    }
    return ednEvent(r.read(), file, line);
  };
  if (r.skip()) {
    const c = r.text[r.pos];
    if (c === '[' || c === '(') {
      const close = c === '[' ? ']' : ')';
      const start = r.line;
      r.pos++;
      for (;;) {
        if (!r.skip()) throw r.error(`unclosed history (expected '${close}')`, start);
        if (r.text[r.pos] === close) break;
        events.push(readEvent());
      }
      // Knossos reads the first form only.
    } else
      do events.push(readEvent());
      while (r.skip());
  }
  return { format: 'edn', ...operationsFromEvents(events, file) };
}

const ETCD_LINE = /^INFO\s+jepsen\.util\s+-\s+(\d+)\s+:(invoke|ok|fail|info)\s+:([a-z-]+)\s+(.*?)\s*$/;

export function parseEtcdLog(text: string, file: string): ParsedHistory {
  const events: JepsenEvent[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.trim() === '') continue;
    const m = ETCD_LINE.exec(raw);
    if (m === null) throw new QuorumError('HISTORY_SYNTAX', `not a Jepsen op line (INFO jepsen.util - <process> <:type> <:f> <value>): ${raw.slice(0, 60)}`, `${file}:${i + 1}`);
    const r = new EdnReader(m[4]!, file, i + 1);
    const value = r.read();
    if (r.skip()) throw r.error(`more than one value: ${m[4]}`);
    // `:timed-out` stands for "no answer": the invocation's value is kept (info) or the op is void (fail read).
    const noAnswer = value instanceof Keyword;
    events.push({ process: Number(m[1]), type: m[2] as JepsenEvent['type'], f: m[3]!, value: noAnswer ? null : value, line: i + 1 });
  }
  return { format: 'etcd-log', ...operationsFromEvents(events, file) };
}

export function detectFormat(text: string): HistoryFormat {
  return /^\s*INFO\s/.test(text) ? 'etcd-log' : 'edn';
}

export function parseHistory(text: string, file: string, format: HistoryFormat = detectFormat(text)): ParsedHistory {
  return format === 'etcd-log' ? parseEtcdLog(text, file) : parseEdnHistory(text, file);
}
