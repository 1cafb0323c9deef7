// Every history in ../shared/histories/ gives the verdict its upstream test suite asserts
// (expected.tsv). The kv histories without partitioning (Porcupine's kvNoPartitionModel) are heavier
// and are checked by the bench (`npm run bench -- --history`).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkOperations } from './check.js';
import { readEdn } from './edn.js';
import { findModel } from './models/index.js';
import { parseHistory } from './parse.js';

const dir = fileURLToPath(new URL('../../../shared/histories/', import.meta.url));
const present = existsSync(dir + 'expected.tsv');
if (!present) console.warn(`skipping the shared histories: ${dir}expected.tsv is absent`);

/** The model named in expected.tsv's model column (its first word). */
export function modelOfRow(model: string): string {
  const first = model.split(/[\s(]/)[0]!;
  return first === 'kv' ? 'kv' : first;
}

describe.skipIf(!present)('every shared history gives its expected verdict', () => {
  const rows = present
    ? readFileSync(dir + 'expected.tsv', 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split('\t') as [string, string, string])
    : [];
  it('expected.tsv lists the histories', () => {
    expect(rows.length).toBeGreaterThan(0);
  });
  it.each(rows)('%s', (file, model, expected) => {
    const entry = findModel(modelOfRow(model));
    expect(entry, `model of ${model}`).toBeDefined();
    const h = parseHistory(readFileSync(dir + file, 'utf8'), file);
    const v = checkOperations(entry!.make(readEdn(entry!.defaultInit)), h.ops);
    expect(v.verdict).toBe(expected);
    if (v.verdict === 'not-linearizable') expect(v.explanation?.ops.length).toBeGreaterThan(0);
  });
});
