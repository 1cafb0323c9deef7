import { checkSpec } from '../engine/index.js';
const t0 = Date.now();
const r = await checkSpec(process.argv[2]!, { workers: Number(process.argv[3] ?? 0) });
console.log(r.status, r.distinctStates, r.statesGenerated, r.depth, Date.now() - t0, 'ms', r.violation?.name, r.violation?.trace.length, r.failure);
if (r.violation) for (const s of r.violation.trace) console.log(s.action);
