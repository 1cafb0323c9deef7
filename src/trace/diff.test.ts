// What a step changed: keyed values are followed down to the entries that changed, sets report
// elements added and removed, sequences that grew report what was appended.
import { List, Map as IMap, OrderedMap, Record, Set as ISet } from 'immutable';
import { describe, expect, it } from 'vitest';
import { diffStates, showChange, type Change } from './diff.js';
import { showAction, showValue, toPlain } from './show.js';

const show = (v: unknown) => showValue(v);
const lines = (a: unknown, b: unknown) => diffStates(a, b, show).map(showChange);

const State = Record({ maxBal: IMap<string, number>(), msgs: ISet<string>(), log: List<number>(), leader: null as string | null }, 'State');
const s0 = State({ maxBal: IMap({ a1: -1, a2: -1 }), msgs: ISet(['1a']), log: List([1]), leader: null });

describe('diffStates / showChange', () => {
  it('equal states: no change', () => {
    expect(diffStates(s0, State(s0.toObject()), show)).toEqual([]);
    expect(diffStates(IMap({ a: ISet([1, 2]) }), IMap({ a: ISet([2, 1]) }), show)).toEqual([]);
  });

  it('a map entry changed: the path down to it, before and after', () => {
    const s1 = s0.set('maxBal', s0.maxBal.set('a2', 0));
    expect(diffStates(s0, s1, show)).toEqual<Change[]>([{ path: ['maxBal', 'a2'], before: '-1', after: '0' }]);
    expect(lines(s0, s1)).toEqual(['maxBal.a2: -1 → 0']);
  });

  it('a map entry added or removed', () => {
    expect(lines(IMap({ a: 1 }), IMap({ a: 1, b: 2 }))).toEqual(['b: (new) 2']);
    expect(lines(IMap({ a: 1, b: 2 }), IMap({ a: 1 }))).toEqual(['b: 2 (removed)']);
    // Non-string keys are shown as values.
    expect(lines(IMap([[1, 'x']]), IMap([[1, 'y']]))).toEqual(['1: x → y']);
    expect(lines(IMap([[List([1, 2]), 'x']]), IMap([[List([1, 2]), 'y']]))).toEqual(['<<1, 2>>: x → y']);
  });

  it('set elements added and removed, sorted', () => {
    const s1 = s0.set('msgs', s0.msgs.add('2b').add('1b').remove('1a'));
    expect(diffStates(s0, s1, show)).toEqual<Change[]>([{ path: ['msgs'], added: ['1b', '2b'], removed: ['1a'] }]);
    expect(lines(s0, s1)).toEqual(['msgs: + 1b, + 2b, - 1a']);
    expect(lines(ISet([1]), ISet([1, 2]))).toEqual(['(state): + 2']);
  });

  it('a list that grew at the end: the appended items; any other list change: before and after', () => {
    const grown = s0.set('log', s0.log.push(2, 3));
    expect(diffStates(s0, grown, show)).toEqual<Change[]>([{ path: ['log'], added: ['2', '3'], removed: [] }]);
    expect(lines(s0, grown)).toEqual(['log: + 2, + 3']);
    expect(lines(s0, s0.set('log', List([7])))).toEqual(['log: <<1>> → <<7>>']);
    expect(lines(s0, s0.set('log', List([0, 1])))).toEqual(['log: <<1>> → <<0, 1>>']); // prepended, not appended
    expect(lines(s0, s0.set('log', List()))).toEqual(['log: <<1>> → <<>>']);
  });

  it('several changes at once, in field order; nested maps', () => {
    const s1 = s0.set('leader', 's1').set('maxBal', IMap({ a1: 3, a2: -1 })).set('msgs', s0.msgs.add('x'));
    expect(lines(s0, s1)).toEqual(['maxBal.a1: -1 → 3', 'msgs: + x', 'leader: null → s1']);
    const deep = IMap({ n: IMap({ s1: IMap({ term: 1, votes: ISet(['s1']) }) }) });
    expect(lines(deep, deep.setIn(['n', 's1', 'votes'], ISet(['s1', 's2'])).setIn(['n', 's1', 'term'], 2))).toEqual(['n.s1.term: 1 → 2', 'n.s1.votes: + s2']);
  });

  it('values of different kinds, ordered maps and top-level primitives are shown whole', () => {
    expect(lines(1, 2)).toEqual(['(state): 1 → 2']);
    expect(lines(IMap({ a: List([1]) }), IMap({ a: ISet([1]) }))).toEqual(['a: <<1>> → {1}']);
    expect(lines(OrderedMap({ a: 1 }), OrderedMap({ a: 2 }))).toEqual(['(state): [a |-> 1] → [a |-> 2]']);
    expect(lines(IMap({ x: 1 }), State())).toHaveLength(1);
  });

  it('uses the given display function', () => {
    const custom = (v: unknown) => (typeof v === 'number' ? `#${v}` : showValue(v));
    expect(diffStates(IMap({ a: ISet([1]) }), IMap({ a: ISet([1, 2]) }), custom).map(showChange)).toEqual(['a: + #2']);
  });
});

describe('showValue / showAction / toPlain', () => {
  it("TLA+'s notation", () => {
    expect(showValue(ISet(['b', 'a']))).toBe('{a, b}');
    expect(showValue(List([1, 'x']))).toBe('<<1, x>>');
    expect(showValue(IMap({ b: 2, a: 1 }))).toBe('[a |-> 1, b |-> 2]');
    expect(showValue(s0)).toBe('[maxBal |-> [a1 |-> -1, a2 |-> -1], msgs |-> {1a}, log |-> <<1>>, leader |-> null]');
    expect(showValue(true)).toBe('TRUE');
    expect(showValue(false)).toBe('FALSE');
    expect(showAction('Phase2a', { b: 1, v: 'v1' })).toBe('Phase2a(1, v1)');
    expect(showAction('TMCommit', {})).toBe('TMCommit');
  });

  it('toPlain: sets as sorted arrays, maps and records as objects', () => {
    expect(toPlain(s0)).toEqual({ maxBal: { a1: -1, a2: -1 }, msgs: ['1a'], log: [1], leader: null });
    expect(toPlain(ISet([3, 1, 2]))).toEqual([1, 2, 3]);
    expect(toPlain(IMap([[1, 'x']]))).toEqual({ '1': 'x' });
  });
});
