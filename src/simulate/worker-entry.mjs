// Piscina loads this plain-JS file; it lets the simulation worker import TypeScript through tsx.
import { register } from 'tsx/esm/api';

register();
const { default: runTask } = await import('./worker.ts');
export default runTask;
