// `quorum replay SPEC TRACE`: checks that a trace (quorum's or ITF) is a behaviour of the spec's model.
import { parseArgs } from 'node:util';
import { QuorumError } from '../model/errors.js';
import { parseConstantOverride } from '../spec/cfg.js';
import { compileSpec } from '../simulate/index.js';
import { readTraceForReplay, replayTrace } from '../trace/replay-trace.js';
import { EXIT } from './exit-codes.js';

export const REPLAY_USAGE = `Options for replay: -c, --const NAME=VAL; --json (one JSON object: ok, states, failedAt, closest)`;

export async function replayCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { const: { type: 'string', short: 'c', multiple: true }, json: { type: 'boolean' }, debug: { type: 'boolean' } } });
  if (positionals.length !== 2) throw new QuorumError('USAGE', 'replay takes a spec and a trace: quorum replay specs/raft.cfg trace.itf.json', 'replay');
  const [spec, file] = positionals as [string, string];
  const trace = readTraceForReplay(file);
  const { compiled } = await compileSpec(spec, (values.const ?? []).map(parseConstantOverride));
  const r = replayTrace(compiled, trace);
  const n = trace.states.length;
  if (values.json) {
    process.stdout.write(JSON.stringify({ ok: r.ok, format: trace.format, states: n, matched: r.steps.length, failedAt: r.failedAt ?? null, action: r.failedAt ? (trace.states[r.failedAt - 1]!.action ?? null) : null, closest: r.closest ?? null, candidates: r.candidates ?? null }) + '\n');
    return r.ok ? EXIT.OK : EXIT.VIOLATION;
  }
  const out = (s: string) => process.stdout.write(s + '\n');
  if (r.ok) {
    out(`The trace is a behaviour of ${compiled.definition.name}: ${n} state${n === 1 ? '' : 's'}, each ${n > 1 ? 'a successor of the one before' : 'an initial state'}.`);
    return EXIT.OK;
  }
  const at = r.failedAt!;
  const said = trace.states[at - 1]!.action;
  out(at === 1 ? `State 1 of the trace is not an initial state of ${compiled.definition.name}.` : `State ${at}${said ? ` (${said})` : ''} of the trace is not a successor of state ${at - 1} (${r.candidates} successors compared).`);
  if (r.closest) {
    out(`  Closest ${at === 1 ? 'initial state' : `successor: ${r.closest.action}`}; it differs in:`);
    for (const d of r.closest.differences) out(`    ${d.variable}: expected ${d.expected ?? '(no such variable)'}, found ${d.found ?? '(missing)'}`);
  } else out('  The model has no step from there.');
  return EXIT.VIOLATION;
}
