// Where the explorer saves the path walked (`w`): a trace file in the output folder, as `check` writes them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import type { TraceFile } from '../trace/trace-file.js';

export function savePathTo(outDir: string, spec: string): (trace: TraceFile) => string {
  return (trace) => {
    mkdirSync(outDir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-').replace(/Z$/, '');
    const file = join(outDir, `${basename(spec).replace(/\.cfg$/, '')}-path-${stamp}.json`);
    writeFileSync(file, JSON.stringify(trace, null, 1) + '\n');
    return relative(process.cwd(), file) || file;
  };
}
