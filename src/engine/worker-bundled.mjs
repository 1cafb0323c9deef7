// Piscina loads this plain-JS file when the main thread has bundled the worker code with the model
// (worker-bundle.ts): the worker then runs JavaScript only, with no TypeScript loader to start.
import { workerData } from 'piscina';

// Stack traces of a model that throws name its TypeScript source lines (the bundle carries a source map).
process.setSourceMapsEnabled(true);
const { default: expand } = await import(workerData.bundle);
export default expand;
