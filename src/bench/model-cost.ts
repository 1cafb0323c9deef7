// How much of a check is the model's own code. The states a breadth-first search stores are collected
// (encoded, in the order the checker expands them), then replayed twice: once only decoded, once decoded
// and given to the model as the checker does (every action with every argument, the action properties
// and constraints on each step, the invariants on each state), with no fingerprinting, deduplication or
// encoding. The difference is the model's time: a floor no checker built on these states can go below,
// and from it the rate N workers could reach if the checker cost nothing and scaled perfectly.
import { ByteReader, ByteWriter, StateCodec } from '../engine/codec.js';
import { CompiledModel } from '../engine/compiled-model.js';
import { specCheckOptions } from '../engine/index.js';
import { SeenTable } from '../engine/seen-table.js';
import type { CfgValue } from '../model/constants.js';
import { loadSpec } from '../spec/load.js';
import { is } from 'immutable';

export interface ModelCost {
  /** Distinct states stored (as the checker counts them). */
  readonly states: number;
  /** Successors the model produced, initial states included (as the checker counts them). */
  readonly generated: number;
  /** Best time to decode every stored state. */
  readonly decodeMs: number;
  /** Best time to decode every stored state and run the model's code on it, minus decodeMs. */
  readonly modelMs: number;
}

interface Stored {
  readonly bytes: Uint8Array;
  readonly offsets: Uint32Array;
  readonly count: number;
}

/** The states a breadth-first search stores, encoded in the order it expands them. */
function collect(model: CompiledModel<unknown>, codec: StateCodec): { stored: Stored; generated: number } {
  const table = SeenTable.create();
  const fp = new Uint32Array(2);
  const w = new ByteWriter(1 << 20);
  let offsets = new Uint32Array(1 << 16);
  let count = 0;
  let generated = 0;
  const store = (t: unknown) => {
    generated++;
    if (!model.satisfiesConstraints(t)) return;
    model.keyFingerprintInto(t, fp, 0);
    if (!table.add(fp[0]!, fp[1]!)) return;
    codec.encode(t, w);
    if (count + 2 > offsets.length) {
      const o = new Uint32Array(offsets.length * 2);
      o.set(offsets);
      offsets = o;
    }
    offsets[++count] = w.pos;
  };
  for (const s of model.init) store(s);
  for (let i = 0; i < count; i++) {
    const r = new ByteReader(w.buf); // the writer's buffer moves as it grows
    r.pos = offsets[i]!;
    const s = codec.decode(r);
    model.successors(s, (_action, _args, t) => {
      if (model.actionConstraints.length > 0 && !model.allowsStep(s, t)) {
        generated++;
        return;
      }
      store(t);
    });
  }
  return { stored: { bytes: w.take(), offsets: offsets.subarray(0, count + 1), count }, generated };
}

function decodeAll(codec: StateCodec, st: Stored): number {
  const r = new ByteReader(st.bytes);
  let n = 0;
  for (let i = 0; i < st.count; i++) {
    r.pos = st.offsets[i]!;
    if (codec.decode(r) !== undefined) n++;
  }
  return n;
}

function decodeAndRunModel(model: CompiledModel<unknown>, codec: StateCodec, st: Stored): number {
  const r = new ByteReader(st.bytes);
  const checkSteps = model.actionConstraints.length > 0;
  const stepProperties = model.stepProperties.length > 0;
  let n = 0;
  for (let i = 0; i < st.count; i++) {
    r.pos = st.offsets[i]!;
    const s = codec.decode(r);
    if (model.violatedInvariant(s) === undefined) n++;
    model.successors(s, (_action, _args, t) => {
      if (stepProperties && !is(s, t) && model.violatedStepProperty(s, t) !== undefined) n++;
      if ((!checkSteps || model.allowsStep(s, t)) && model.satisfiesConstraints(t)) n++;
    });
  }
  return n;
}

function timed(f: () => number): number {
  const t0 = performance.now();
  if (f() < 0) throw new Error('unreachable');
  return performance.now() - t0;
}

/** Measures the model's own share of checking a spec (in this thread; `rounds` alternating replays, best kept). */
export async function measureModelCost(spec: string, overrides: readonly { name: string; value: CfgValue }[] = [], rounds = 3): Promise<ModelCost> {
  const loaded = await loadSpec(spec, overrides);
  const instance = loaded.definition.build(loaded.constants as never);
  const model = new CompiledModel(loaded.definition, instance, specCheckOptions(loaded, instance));
  const codec = new StateCodec(instance.records ?? []);
  const { stored, generated } = collect(model, codec);
  let decodeMs = Infinity, bothMs = Infinity;
  for (let k = 0; k < rounds; k++) {
    decodeMs = Math.min(decodeMs, timed(() => decodeAll(codec, stored)));
    bothMs = Math.min(bothMs, timed(() => decodeAndRunModel(model, codec, stored)));
  }
  return { states: stored.count, generated, decodeMs, modelMs: Math.max(0, bothMs - decodeMs) };
}
