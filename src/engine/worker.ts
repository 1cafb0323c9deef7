// A Piscina worker: loads the model module by path (models know nothing about workers), then
// expands chunks. Results carry their buffers as transferables.
import { move, transferableSymbol, valueSymbol, workerData } from 'piscina';
import { StateCodec } from './codec.js';
import { CompiledModel, type CheckOptions } from './compiled-model.js';
import { expandChunk, type ExpandContext, type ExpandResult, type ExpandTask } from './expand.js';
import { loadModel, modelFromModule } from '../spec/load.js';

export interface WorkerSetup {
  readonly modelPath: string;
  readonly constants: Record<string, unknown>;
  readonly check: CheckOptions;
  /** URL of this code bundled with the model (worker-bundle.ts); absent when workers load TypeScript through tsx. */
  readonly bundle?: string;
}

// A bundled worker has the model module compiled in: the bundle's entry hands it over here, by its path.
const preloaded = new Map<string, Record<string, unknown>>();

export function preloadModel(path: string, mod: Record<string, unknown>): void {
  preloaded.set(path, mod);
}

let ctx: Promise<ExpandContext> | undefined;

async function setup(s: WorkerSetup): Promise<ExpandContext> {
  const mod = preloaded.get(s.modelPath);
  const definition = mod !== undefined ? modelFromModule(mod, s.modelPath) : await loadModel(s.modelPath);
  const instance = definition.build(s.constants as never);
  return { model: new CompiledModel(definition, instance, s.check), codec: new StateCodec(instance.records ?? []) };
}

export default async function expand(task: ExpandTask): Promise<unknown> {
  ctx ??= setup(workerData as WorkerSetup);
  const result: ExpandResult = expandChunk(await ctx, task);
  const transfers: ArrayBuffer[] = [];
  for (const c of result.out) transfers.push(c.bytes.buffer as ArrayBuffer, c.offsets.buffer as ArrayBuffer, c.fps.buffer as ArrayBuffer, c.parents.buffer as ArrayBuffer);
  if (result.graph) {
    const g = result.graph;
    transfers.push(g.edgeCounts.buffer as ArrayBuffer, g.enabled.buffer as ArrayBuffer, g.predicates.buffer as ArrayBuffer, g.edges.buffer as ArrayBuffer);
  }
  if (result.rest) transfers.push(result.rest.bytes.buffer as ArrayBuffer, result.rest.offsets.buffer as ArrayBuffer);
  // An object with Piscina's transferable protocol, marked movable by move(): its buffers are transferred.
  return move({ [transferableSymbol]: transfers, [valueSymbol]: result } as never);
}
