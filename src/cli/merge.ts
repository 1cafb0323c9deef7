// `quorum merge RESULT.json ...`: combines the results of simulate --seeds ranges run apart.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { QuorumError } from '../model/errors.js';
import { mergeResults, readResultFile, writeResultFile } from '../simulate/results.js';
import { renderTraceText } from '../trace/render-text.js';
import { EXIT } from './exit-codes.js';
import { n } from './format.js';

export const MERGE_USAGE = `Options for merge: --json (the merged result on stdout); --result FILE (write it); --out DIR (write the winning trace there)`;

export async function mergeCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' }, result: { type: 'string' }, out: { type: 'string' }, debug: { type: 'boolean' } } });
  if (positionals.length === 0) throw new QuorumError('USAGE', 'merge takes result files of simulate --result: quorum merge results/*.json', 'merge');
  const merged = mergeResults(positionals.map(readResultFile), positionals);
  if (values.result) writeResultFile(values.result, merged);
  let traceFile: string | undefined;
  if (values.out && merged.trace) {
    mkdirSync(values.out, { recursive: true });
    traceFile = join(values.out, `merged-${merged.trace.violation.kind}-seed-${merged.simulation.seed}.json`);
    writeFileSync(traceFile, JSON.stringify(merged.trace, null, 1) + '\n');
  }
  const code = merged.result === 'violation' ? EXIT.VIOLATION : merged.result === 'error' ? EXIT.BAD_INPUT : EXIT.OK;
  if (values.json) {
    process.stdout.write(JSON.stringify({ ...merged, exitCode: code }) + '\n');
    return code;
  }
  const out = (s: string) => process.stdout.write(s + '\n');
  const sim = merged.simulation;
  if (merged.trace) {
    out(renderTraceText(merged.trace).replace('A shortest counterexample', 'A shrunk counterexample'));
    out('');
  }
  out(`${positionals.length} result${positionals.length === 1 ? '' : 's'} merged: seeds ${merged.seedRanges.map(([a, b]) => (a === b ? `${a}` : `${a}..${b}`)).join(', ') || 'none'} complete; ${n(sim.walks)} walks, ${n(sim.steps)} steps.`);
  if (sim.seed !== null) out(`The shortest counterexample (${sim.shrunkLength} states) is seed ${sim.seed}'s. Replay: ${sim.replay}`);
  else if (merged.result === 'ok') out('No violation found.');
  else if (merged.error) out(`A run stopped on an error: ${merged.error.code}: ${merged.error.message}`);
  if (traceFile) out(`Trace written to ${traceFile}.`);
  return code;
}
