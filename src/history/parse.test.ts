import { describe, expect, it } from 'vitest';
import { List, Map as IMap, Set as ISet, is } from 'immutable';
import { readEdn } from './edn.js';
import { kw, printEdn, Tagged } from './edn-value.js';
import { parseEdnHistory, parseEtcdLog, parseHistory } from './parse.js';
import { QuorumError } from '../model/errors.js';

function errorOf(f: () => unknown): QuorumError {
  try {
    f();
  } catch (e) {
    if (e instanceof QuorumError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('EDN reader', () => {
  it('reads the scalar forms', () => {
    expect(readEdn('nil')).toBe(null);
    expect(readEdn('true')).toBe(true);
    expect(readEdn('-42')).toBe(-42);
    expect(readEdn('+7')).toBe(7);
    expect(readEdn('12345678901234567890N')).toBe(12345678901234567890n);
    expect(readEdn('1.5e3')).toBe(1500);
    expect(readEdn('"a\\"b\\n\\u0041"')).toBe('a"b\nA');
    expect(readEdn('\\newline')).toBe('\n');
    expect(readEdn(':timed-out')).toBe(kw('timed-out'));
    expect(readEdn(':ns/x')).toBe(kw('ns/x'));
  });
  it('reads collections as Immutable values, commas as whitespace, comments and discards skipped', () => {
    expect(is(readEdn('[1, 2 ,3]'), List([1, 2, 3]))).toBe(true);
    expect(is(readEdn('(1 2)'), List([1, 2]))).toBe(true);
    expect(is(readEdn('{:x 0 :y 0}'), IMap([[kw('x'), 0], [kw('y'), 0]]))).toBe(true);
    expect(is(readEdn('#{1 2}'), ISet([2, 1]))).toBe(true);
    expect(is(readEdn('; a comment\n[1 #_ 2 3] ; trailing'), List([1, 3]))).toBe(true);
    const t = readEdn('#inst "2015-01-01"');
    expect(t).toBeInstanceOf(Tagged);
    expect(printEdn(readEdn('{:a [1 "s" nil :k]}'))).toBe('{:a [1 "s" nil :k]}');
    // Brackets inside strings are not structure.
    expect(readEdn('"#[ #{ [ ]"')).toBe('#[ #{ [ ]');
  });
  it('names the line of a syntax error', () => {
    expect(errorOf(() => readEdn('[1\n2\n', 'f.edn')).oneLine()).toBe("f.edn:1: error[HISTORY_SYNTAX]: unclosed collection (expected ']')");
    expect(errorOf(() => readEdn('[1\n2}', 'f.edn')).where).toBe('f.edn:2');
    expect(errorOf(() => readEdn('{:a}', 'f.edn')).code).toBe('HISTORY_SYNTAX');
    expect(errorOf(() => readEdn('"abc', 'f.edn')).message).toBe('unterminated string');
  });
});

describe('Knossos EDN histories', () => {
  it('pairs invocations and completions per process; ok completions carry the value', () => {
    const h = parseEdnHistory(
      `; comment before
[{:process 0, :type :invoke, :f :read, :value nil}
 {:process 1  :type :invoke :f :write :value 3}
 {:type :ok, :process 0, :f :read, :value 3} ; keys in any order
 {:process 1, :type :ok, :f :write, :value 3}]
 [:ignored "second form"]`,
      'h.edn',
    );
    expect(h.ops.map((o) => [o.id, o.process, o.input.f, o.status, o.call, o.ret, printEdn(o.output)])).toEqual([
      [0, 0, 'read', 'ok', 0, 2, '3'],
      [1, 1, 'write', 'ok', 1, 3, '3'],
    ]);
    expect(h.ops[0]!.source).toBe('h.edn:2');
  });
  it('info ops stay open forever with the invocation value; a lone :info (the nemesis) is skipped; a missing :value is nil', () => {
    const h = parseEdnHistory(
      `({:process 4, :type :invoke, :f :cas, :value [1 2]}
        {:process :nemesis, :type :info, :f :start}
        {:process 4, :type :info, :f :cas, :value [1 2]}
        {:process 5, :type :invoke, :f :acquire}
        {:process 6, :type :invoke, :f :write, :value 1})`,
      'h.edn',
    );
    expect(h.skipped).toBe(1);
    expect(h.ops.map((o) => [o.process, o.status, o.ret, o.output])).toEqual([
      [4, 'info', Infinity, undefined],
      [5, 'pending', Infinity, undefined],
      [6, 'pending', Infinity, undefined],
    ]);
    expect(printEdn(h.ops[0]!.input.value)).toBe('[1 2]');
    expect(h.ops[1]!.input.value).toBe(null);
  });
  it('a bare sequence of maps is a history too (Porcupine kv lines)', () => {
    const h = parseHistory(
      '{:process 0, :type :invoke, :f :append, :key "0", :value "x 0 0 y"}\n{:process 0, :type :ok, :f :append, :key "0", :value "x 0 0 y"}\n',
      'c.txt',
    );
    expect(h.format).toBe('edn');
    expect(h.ops[0]!.input).toEqual({ f: 'append', key: '0', value: 'x 0 0 y' });
  });
  it('rejects malformed ops with file:line', () => {
    expect(errorOf(() => parseEdnHistory('[{:process 0 :type :begin :f :read}]', 'x.edn')).oneLine()).toBe(
      'x.edn:1: error[HISTORY_SYNTAX]: :type must be :invoke, :ok, :fail or :info, got :begin',
    );
    const twice = errorOf(() => parseEdnHistory('[{:process 0 :type :invoke :f :read}\n{:process 0 :type :invoke :f :read}]', 'x.edn'));
    expect([twice.where, twice.code]).toEqual(['x.edn:2', 'HISTORY_INVALID']);
    expect(errorOf(() => parseEdnHistory('[{:process 0 :type :ok :f :read}]', 'x.edn')).code).toBe('HISTORY_INVALID');
    expect(errorOf(() => parseEdnHistory('[1 2]', 'x.edn')).code).toBe('HISTORY_SYNTAX');
  });
});

describe('Porcupine etcd logs', () => {
  const log = [
    'INFO  jepsen.util - 2\t:invoke\t:cas\t[3 0]',
    'INFO  jepsen.util - 3\t:invoke\t:read\tnil',
    'INFO  jepsen.util - 2\t:fail\t:cas\t[3 0]',
    'INFO  jepsen.util - 3\t:ok\t:read\tnil',
    'INFO  jepsen.util - 8\t:invoke\t:write\t4',
    'INFO  jepsen.util - 8\t:info\t:write\t:timed-out',
    'INFO  jepsen.util - 4   :invoke :read   nil',
    'INFO  jepsen.util - 4   :fail   :read   :timed-out',
    '',
  ].join('\n');
  it('splits on runs of whitespace (tabs or padding) and keeps :info open with the invoked value', () => {
    const h = parseEtcdLog(log, 'e.log');
    expect(h.format).toBe('etcd-log');
    expect(h.ops.map((o) => [o.process, o.input.f, printEdn(o.input.value), o.status, Number.isFinite(o.ret)])).toEqual([
      [2, 'cas', '[3 0]', 'fail', true],
      [3, 'read', 'nil', 'ok', true],
      [8, 'write', '4', 'info', false],
      [4, 'read', 'nil', 'fail', true],
    ]);
    expect(h.ops[1]!.output).toBe(null);
    expect(parseHistory(log, 'e.log').format).toBe('etcd-log');
  });
  it('an empty log is an empty history', () => {
    expect(parseHistory('', 'etcd_095.log').ops).toEqual([]);
  });
  it('rejects a line that is not an op line with file:line', () => {
    expect(errorOf(() => parseEtcdLog('INFO  jepsen.util - 2\t:invoke\t:cas\t[3 0]\nINFO jepsen.core - nemesis', 'e.log')).where).toBe('e.log:2');
    expect(errorOf(() => parseEtcdLog('INFO  jepsen.util - 2\t:invoke\t:cas\t[3 0', 'e.log')).where).toBe('e.log:1');
  });
});
