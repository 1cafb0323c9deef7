#!/usr/bin/env -S node --single-threaded-gc
// `npm run bench` starts here, as the quorum command starts in src/cli/bin.mjs: tsx is registered in
// code, not preloaded with `--import tsx`. Workers inherit the node flags, and a preload flag would
// make each worker load tsx a second time (0.2-0.4 s more start-up per run), which users never pay.
import { register } from 'tsx/esm/api';

register();
// `--time-to-bug`: simulate's time to each known bug instead (time-to-bug.ts).
const timeToBug = process.argv.indexOf('--time-to-bug');
if (timeToBug >= 0) process.argv.splice(timeToBug, 1);
await import(timeToBug >= 0 ? './time-to-bug.ts' : './bench.ts');
