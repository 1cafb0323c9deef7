// Prints the consistency matrix: which guarantee each Cosmos DB consistency level keeps, from the specs
// in specs/consistency/ (one per level and guarantee). Run: npm run matrix [-- DIR]
// A kept guarantee shows the states explored; a lost one the length of its shortest counterexample.
// Exits 1 when a spec's outcome differs from its EXPECT line.
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkSpec } from '../engine/index.js';

const dir = resolve(process.argv[2] ?? fileURLToPath(new URL('../../specs/consistency/', import.meta.url)));
const LEVELS = ['Strong', 'Bounded_Staleness', 'Session', 'Consistent_Prefix', 'Eventual'];
const GUARANTEES = ['Strong', 'Bounded_Staleness', 'Session', 'Consistent_Prefix', 'Eventual'];

const cells = new Map<string, string>();
let unexpected = 0;
for (const file of readdirSync(dir).filter((f) => f.endsWith('.cfg')).sort()) {
  const r = await checkSpec(join(dir, file), { workers: 0 });
  const level = r.loaded.spec.constants.get('Consistency')?.value;
  const guarantee = r.loaded.spec.invariants[0]?.name;
  if (level?.kind !== 'string' || guarantee === undefined) continue;
  const cell = r.status === 'ok' ? `holds (${r.distinctStates} states)` : r.violation ? `violated (${r.violation.trace.length} states)` : `error`;
  const exp = r.loaded.spec.expect;
  const asExpected = exp === undefined || (exp.kind === 'ok' ? r.status === 'ok' : r.status === 'violation' && (!exp.name || exp.name === r.violation?.name));
  if (!asExpected) unexpected++;
  cells.set(`${guarantee}|${level.value}`, asExpected ? cell : `${cell} UNEXPECTED`);
}

const head = ['guarantee \\ level', ...LEVELS];
const rows = GUARANTEES.map((g) => [g, ...LEVELS.map((l) => cells.get(`${g}|${l}`) ?? '-')]);
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const fmt = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
console.log(fmt(head));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of rows) console.log(fmt(r));
if (unexpected > 0) {
  console.log(`${unexpected} spec(s) not as their EXPECT line says`);
  process.exitCode = 1;
}
