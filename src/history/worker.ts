// A pool worker: checks one partition sent by the main thread (pool.ts).
import { makeSpec, runPartition, type PartitionResult, type PartitionTask } from './run.js';
import { fromWire, type WireOp } from './wire.js';

const specs = new Map<string, ReturnType<typeof makeSpec>>();

export default function checkPartitionTask(task: PartitionTask & { ops: WireOp[] }): PartitionResult {
  // One spec per model and initial value in this worker (a spec may keep tables, e.g. kv's strings).
  const key = `${task.model}\0${task.init}`;
  let spec = specs.get(key);
  if (spec === undefined) specs.set(key, (spec = makeSpec(task.model, task.init)));
  return runPartition(spec, task.ops.map(fromWire), task);
}
