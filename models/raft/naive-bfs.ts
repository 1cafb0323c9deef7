// A deliberately plain breadth-first search, independent of the engine, used by the Raft tests as a
// cross-check of the model on small bounds: dedup by Immutable.is (hashCode buckets), TLC's
// constraint semantics (a successor violating a constraint is checked against the invariants but not
// stored or expanded), depth counted with the initial states as level 1.
import { is } from 'immutable';
import type { Args, ModelDefinition } from '../../src/model/model.js';

export interface NaiveResult {
  result: 'ok' | 'violation';
  distinctStates: number;
  depth: number;
  violation: { name: string; trace: { action: string; state: unknown }[] } | null;
}

export function naiveCheck<S>(
  def: ModelDefinition<any, S>,
  constants: Record<string, unknown>,
  opts: { invariants?: string[]; constraints?: string[]; maxStates?: number } = {},
): NaiveResult {
  const inst = def.build(constants as never);
  const invs = (opts.invariants ?? []).map((n) => [n, inst.invariants![n]!] as const);
  const cons = (opts.constraints ?? []).map((n) => inst.constraints![n]!);
  const actions = Object.entries(inst.actions).map(([name, a]) => {
    const p = a.params;
    let combos: Args[] | null = null;
    if (p === undefined) combos = [{}];
    else if (typeof p !== 'function') {
      combos = [{}];
      for (const [k, vals] of Object.entries(p as Record<string, unknown[]>)) {
        combos = combos.flatMap((c) => vals.map((v) => ({ ...c, [k]: v })));
      }
    }
    return { name, a, combos };
  });
  const show = (name: string, args: Args, fmt?: (a: Args) => string): string =>
    fmt ? fmt(args) : Object.keys(args).length ? `${name}(${Object.values(args).map(String).join(', ')})` : name;

  const seen = new Map<number, S[]>();
  const parent = new Map<S, { from: S; action: string } | null>();
  const add = (s: S): boolean => {
    const h = (s as { hashCode(): number }).hashCode();
    const bucket = seen.get(h);
    if (bucket) {
      for (const t of bucket) if (is(t, s)) return false;
      bucket.push(s);
    } else seen.set(h, [s]);
    return true;
  };
  const traceTo = (s: S, last?: { from: S; action: string }) => {
    const out: { action: string; state: unknown }[] = [];
    let cur: S | undefined = s;
    let link = last ?? parent.get(s) ?? null;
    out.push({ action: link ? link.action : 'Init', state: s });
    while (link) {
      cur = link.from;
      link = parent.get(cur) ?? null;
      out.push({ action: link ? link.action : 'Init', state: cur });
    }
    return out.reverse();
  };
  const violated = (s: S) => invs.find(([, f]) => !f(s))?.[0];

  let frontier: S[] = [];
  let count = 0;
  for (const s of inst.init) {
    const v = violated(s);
    if (v) return { result: 'violation', distinctStates: count, depth: 1, violation: { name: v, trace: traceTo(s) } };
    if (cons.every((c) => c(s)) && add(s)) {
      parent.set(s, null);
      frontier.push(s);
      count++;
    }
  }
  let depth = frontier.length ? 1 : 0;
  while (frontier.length) {
    const next: S[] = [];
    for (const s of frontier) {
      for (const { name, a, combos } of actions) {
        const argsList = combos ?? [...(a.params as (s: S) => Iterable<Args>)(s)];
        for (const args of argsList) {
          const r = a.step(s, args);
          if (r === undefined || r === null || r === false) continue;
          for (const t of Array.isArray(r) ? (r as S[]) : [r as S]) {
            const action = show(name, args, a.format?.bind(a));
            const v = violated(t);
            if (v) {
              return {
                result: 'violation',
                distinctStates: count,
                depth,
                violation: { name: v, trace: traceTo(t, { from: s, action }) },
              };
            }
            if (!cons.every((c) => c(t))) continue;
            if (add(t)) {
              parent.set(t, { from: s, action });
              next.push(t);
              count++;
              if (opts.maxStates !== undefined && count >= opts.maxStates) throw new Error(`more than ${opts.maxStates} states`);
            }
          }
        }
      }
    }
    if (next.length) depth++;
    frontier = next;
  }
  return { result: 'ok', distinctStates: count, depth, violation: null };
}
