#!/usr/bin/env -S node --single-threaded-gc
// --single-threaded-gc: V8's parallel GC helpers compete with the worker threads for the cores;
// measured on 2 cores, checks run faster without them (see the bench).
// The `quorum` executable. It loads the TypeScript sources (and users' TypeScript models) through tsx,
// so no build step stands between a model file and a check.
import { register as registerHooks } from 'node:module';
import { register } from 'tsx/esm/api';

register();
registerHooks('./model-format-hooks.mjs', import.meta.url);
const { main } = await import('./main.ts');
// A closed pipe (e.g. `quorum ... | head`) is not an error.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
});
const code = await main(process.argv.slice(2));
process.exitCode = code;
