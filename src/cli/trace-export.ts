// `quorum trace FILE --format itf|mermaid|text|json`: a saved trace on stdout in another notation.
// ITF needs the model's own values (sets and sequences both read as arrays in a trace file): the
// trace is replayed through its spec's model when the spec loads, and converted from JSON otherwise.
import { existsSync } from 'node:fs';
import { QuorumError } from '../model/errors.js';
import { compileSpec } from '../simulate/index.js';
import { toItf, type ItfValue } from '../trace/itf.js';
import { renderMermaid } from '../trace/mermaid.js';
import { renderTraceText } from '../trace/render-text.js';
import { replayTrace, traceToReplay } from '../trace/replay-trace.js';
import { readTraceFile, type TraceFile } from '../trace/trace-file.js';
import { EXIT } from './exit-codes.js';

export const TRACE_FORMATS = ['text', 'json', 'itf', 'mermaid'] as const;

/** A trace file's plain JSON as ITF, when the model is not at hand: objects as records, arrays as sequences. */
function plainToItf(v: unknown): ItfValue {
  if (Array.isArray(v)) return v.map(plainToItf);
  if (typeof v === 'number') return Number.isSafeInteger(v) ? { '#bigint': String(v) } : { '#unserializable': String(v) };
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (v === null || typeof v !== 'object') return { '#unserializable': String(v) };
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plainToItf(x)]));
}

export async function itfOf(t: TraceFile, warn: (s: string) => void): Promise<ReturnType<typeof toItf>> {
  const loop = t.violation.loopStart;
  const description = `${t.violation.kind} ${t.violation.name} violated; created by quorum`;
  if (t.spec && existsSync(t.spec)) {
    try {
      const { compiled } = await compileSpec(t.spec);
      const r = replayTrace(compiled, traceToReplay(t));
      if (r.ok) return toItf(r.steps.map((s, i) => ({ action: t.trace[i]!.action, state: s.state })), { model: t.model, spec: t.spec, description, loop });
      warn(`quorum: the trace does not replay through ${t.spec} (other constants?); sets are written as sequences`);
    } catch (e) {
      warn(`quorum: cannot load ${t.spec} (${e instanceof Error ? e.message : String(e)}); sets are written as sequences`);
    }
  } else warn('quorum: the trace names no spec that can be loaded here; sets are written as sequences');
  const first = t.trace[0]?.state;
  const vars = first && typeof first === 'object' && !Array.isArray(first) ? Object.keys(first) : ['state'];
  return {
    '#meta': { format: 'ITF', 'format-description': 'https://apalache-mc.org/docs/adr/015adr-trace.html', source: t.spec ?? t.model, description },
    vars,
    states: t.trace.map((s, index) => {
      const st: Record<string, unknown> = { '#meta': { index, action: s.action } };
      const plain = s.state as Record<string, unknown>;
      for (const v of vars) st[v] = plainToItf(vars.length === 1 && v === 'state' && !(v in (plain ?? {})) ? plain : plain[v]);
      return st as never;
    }),
    ...(loop !== undefined ? { loop } : {}),
  };
}

export async function traceExport(file: string, format: string, opts: { full?: boolean } = {}): Promise<number> {
  if (!(TRACE_FORMATS as readonly string[]).includes(format)) throw new QuorumError('USAGE', `--format takes ${TRACE_FORMATS.join(', ')}; got '${format}'`, '--format');
  const t = readTraceFile(file);
  const out = (s: string) => process.stdout.write(s + '\n');
  switch (format) {
    case 'text':
      out(renderTraceText(t, { full: opts.full ?? false }));
      break;
    case 'json':
      out(JSON.stringify(t, null, 1));
      break;
    case 'mermaid':
      out(renderMermaid(t));
      break;
    case 'itf':
      out(JSON.stringify(await itfOf(t, (s) => process.stderr.write(s + '\n'))));
      break;
  }
  return EXIT.OK;
}
