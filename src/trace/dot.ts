// The state graph of a small spec in Graphviz DOT: breadth-first from the initial states up to a
// number of states, each edge labelled with its action, and a counterexample's path drawn in red (the
// path given, or the shortest one to the first violation the search meets).
import type { CompiledModel } from '../engine/compiled-model.js';
import { stateVariables } from './itf.js';

export interface DotOptions {
  /** States drawn at most. */
  readonly maxStates: number;
  /** The path to highlight, as states (an initial state first); by default a shortest path to a violation. */
  readonly path?: readonly unknown[];
  readonly title?: string;
}

export interface DotGraph {
  readonly dot: string;
  readonly states: number;
  readonly edges: number;
  /** The search stopped at maxStates with states left unexplored. */
  readonly truncated: boolean;
  /** States on the highlighted path (0 when none). */
  readonly pathLength: number;
  readonly violation?: string;
}

function quote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

export function stateGraphDot(model: CompiledModel<unknown>, opts: DotOptions): DotGraph {
  const fp = new Uint32Array(2);
  const keyOf = (s: unknown) => {
    model.keyFingerprintInto(s, fp, 0);
    return `${fp[0]!.toString(16)}${fp[1]!.toString(16).padStart(8, '0')}`;
  };
  const ids = new Map<string, number>();
  const states: unknown[] = [];
  const parent: number[] = [];
  const edges: [number, number, string][] = [];
  const bad = new Map<number, string>();
  const add = (s: unknown, from: number): [number, boolean] => {
    const k = keyOf(s);
    const had = ids.get(k);
    if (had !== undefined) return [had, false];
    const id = states.length;
    ids.set(k, id);
    states.push(s);
    parent.push(from);
    const inv = model.violatedInvariant(s);
    if (inv !== undefined) bad.set(id, inv);
    return [id, true];
  };
  for (const s of model.init) if (states.length < opts.maxStates) add(s, -1);
  let truncated = false;
  for (let i = 0; i < states.length; i++) {
    const s = states[i]!;
    // A state that violates an invariant or leaves the CONSTRAINT is drawn but not expanded, as the checker does.
    if (bad.has(i) || !model.satisfiesConstraints(s)) continue;
    model.successors(s, (action, args, t) => {
      if (!model.allowsStep(s, t)) return;
      const k = keyOf(t);
      let j = ids.get(k);
      if (j === undefined) {
        if (states.length >= opts.maxStates) {
          truncated = true;
          return;
        }
        j = add(t, i)[0];
      }
      edges.push([i, j, model.showAction(action, args)]);
    });
  }
  // The path: the one given (by the states' keys), else parents back from the first violating state.
  let path: number[] = [];
  if (opts.path) {
    for (const s of opts.path) {
      const j = ids.get(keyOf(s));
      if (j === undefined) break;
      path.push(j);
    }
  } else if (bad.size > 0) {
    for (let j = Math.min(...bad.keys()); j >= 0; j = parent[j]!) path.push(j);
    path = path.reverse();
  }
  const onPath = new Set<string>();
  for (let k = 1; k < path.length; k++) onPath.add(`${path[k - 1]}>${path[k]}`);
  const pathNodes = new Set(path);
  const lines = [`digraph ${quote(opts.title ?? model.definition.name)} {`, '  node [shape=box, fontname="monospace", fontsize=10];', '  edge [fontname="monospace", fontsize=9];'];
  states.forEach((s, i) => {
    const label = stateVariables(s)
      .map(([k, v]) => `${k} = ${model.showValue(v)}`)
      .join('\n');
    const attrs = [`label=${quote(label)}`];
    if (parent[i] === -1) attrs.push('style=filled', 'fillcolor="#e8f0ff"');
    if (bad.has(i)) attrs.push(`xlabel=${quote(`violates ${bad.get(i)}`)}`, 'color=red', 'fontcolor=red');
    if (pathNodes.has(i)) attrs.push('penwidth=2', 'color=red');
    lines.push(`  s${i} [${attrs.join(', ')}];`);
  });
  const seenEdge = new Set<string>();
  for (const [a, b, label] of edges) {
    const k = `${a}>${b}>${label}`;
    if (seenEdge.has(k)) continue;
    seenEdge.add(k);
    const hl = onPath.has(`${a}>${b}`);
    lines.push(`  s${a} -> s${b} [label=${quote(label)}${hl ? ', color=red, penwidth=2, fontcolor=red' : ''}];`);
  }
  if (truncated) lines.push(`  more [shape=plaintext, label=${quote(`more states not drawn (limit ${opts.maxStates})`)}];`);
  lines.push('}');
  return {
    dot: lines.join('\n'),
    states: states.length,
    edges: seenEdge.size,
    truncated,
    pathLength: path.length,
    violation: bad.size > 0 ? bad.get(Math.min(...bad.keys())) : undefined,
  };
}
