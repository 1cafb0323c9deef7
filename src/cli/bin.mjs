#!/usr/bin/env -S node --single-threaded-gc
// --single-threaded-gc: V8's parallel GC helpers compete with the worker threads for the cores;
// measured on 2 cores, checks run faster without them (see the bench).
// The `quorum` executable. It loads the TypeScript sources (and users' TypeScript models) through tsx,
// so no build step stands between a model file and a check; commands that load no model run a
// pre-built bundle of the same sources instead, rebuilt when any of them changes (cli-bundle.mjs).
import { cliBundle } from './cli-bundle.mjs';

const args = process.argv.slice(2);
let main;
const bundle = await cliBundle(args);
if (bundle !== undefined) {
  if (args.includes('--debug')) process.setSourceMapsEnabled(true);
  ({ main } = await import(bundle));
} else {
  const { register: registerHooks } = await import('node:module');
  const { register } = await import('tsx/esm/api');
  register();
  registerHooks('./model-format-hooks.mjs', import.meta.url);
  ({ main } = await import('./main.ts'));
}
// A closed pipe (e.g. `quorum ... | head`) is not an error.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
});
const code = await main(args);
process.exitCode = code;
