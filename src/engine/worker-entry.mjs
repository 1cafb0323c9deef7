// Piscina loads this plain-JS file; it lets the worker import TypeScript (the engine and user models)
// through tsx, as the main thread does.
import { register } from 'tsx/esm/api';

register();
const { default: expand } = await import('./worker.ts');
export default expand;
