#!/usr/bin/env -S node --single-threaded-gc
// `npm run bench` starts here, as the quorum command starts in src/cli/bin.mjs: tsx is registered in
// code, not preloaded with `--import tsx`. Workers inherit the node flags, and a preload flag would
// make each worker load tsx a second time (0.2-0.4 s more start-up per run), which users never pay.
import { register } from 'tsx/esm/api';

register();
await import('./bench.ts');
