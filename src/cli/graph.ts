// `quorum graph SPEC`: the state graph of a small spec as Graphviz DOT, a counterexample in red.
import { parseArgs } from 'node:util';
import { QuorumError } from '../model/errors.js';
import { parseConstantOverride } from '../spec/cfg.js';
import { compileSpec } from '../simulate/index.js';
import { stateGraphDot } from '../trace/dot.js';
import { readTraceForReplay, replayTrace } from '../trace/replay-trace.js';
import { EXIT } from './exit-codes.js';

export const GRAPH_USAGE = `Options for graph: --max-states N (default 200); --trace FILE (the path to draw in red; default a shortest path to the first violation); -c, --const NAME=VAL`;

export async function graphCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { const: { type: 'string', short: 'c', multiple: true }, 'max-states': { type: 'string' }, trace: { type: 'string' }, debug: { type: 'boolean' } },
  });
  if (positionals.length !== 1) throw new QuorumError('USAGE', 'graph takes one spec: quorum graph specs/two-phase-commit.cfg > graph.dot', 'graph');
  const max = values['max-states'] === undefined ? 200 : Number(values['max-states']);
  if (!Number.isSafeInteger(max) || max < 1) throw new QuorumError('USAGE', `--max-states takes a whole number of at least 1, got '${values['max-states']}'`, '--max-states');
  const { compiled } = await compileSpec(positionals[0]!, (values.const ?? []).map(parseConstantOverride));
  let path: unknown[] | undefined;
  if (values.trace) {
    const r = replayTrace(compiled, readTraceForReplay(values.trace));
    if (!r.ok) throw new QuorumError('CFG_INVALID', `state ${r.failedAt} of the trace is not a step of the model (see quorum replay)`, values.trace);
    path = r.steps.map((s) => s.state);
  }
  const g = stateGraphDot(compiled, { maxStates: max, path, title: positionals[0] });
  process.stdout.write(g.dot + '\n');
  process.stderr.write(`quorum: ${g.states} states, ${g.edges} edges${g.truncated ? ` (stopped at --max-states ${max})` : ''}${g.pathLength ? `; a path of ${g.pathLength} states in red` : ''}\n`);
  return EXIT.OK;
}
