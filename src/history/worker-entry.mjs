// Piscina loads this plain-JS file; it lets the worker import the TypeScript sources through tsx, as the
// main thread does.
import { register } from 'tsx/esm/api';

register();
const { default: run } = await import('./worker.ts');
export default run;
