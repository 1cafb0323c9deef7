// From a spec file (or a model module and options) to a model ready to check.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseCfg, type Spec } from './cfg.js';
import { resolveConstants, type CfgValue } from '../model/constants.js';
import { QuorumError } from '../model/errors.js';
import { isModelDefinition, type ModelDefinition } from '../model/model.js';

/** The bundled models/ folder. */
export const BUNDLED_MODELS = resolve(dirname(fileURLToPath(import.meta.url)), '../../models');

export function readSpec(file: string): Spec {
  if (!existsSync(file)) throw new QuorumError('FILE_NOT_FOUND', `no such spec file`, file);
  if (statSync(file).isDirectory()) throw new QuorumError('FILE_NOT_FOUND', `is a folder, not a .cfg file`, file);
  return parseCfg(readFileSync(file, 'utf8'), file);
}

function candidates(name: string, specDir: string): string[] {
  const looksLikePath = name.includes('/') || /\.(m?[jt]s)$/.test(name);
  if (looksLikePath) {
    const base = isAbsolute(name) ? name : resolve(specDir, name);
    return [base, `${base}.ts`, `${base}.js`, join(base, 'index.ts'), join(base, 'index.js')];
  }
  const out: string[] = [];
  for (const dir of [resolve(specDir, '../models'), resolve('models'), BUNDLED_MODELS]) {
    out.push(join(dir, `${name}.ts`), join(dir, `${name}.js`), join(dir, name, 'index.ts'), join(dir, name, 'index.js'));
  }
  return [...new Set(out)];
}

/** Finds the module file of a model named in a spec (a bundled model's name, or a path). */
export function resolveModelPath(name: string, specDir = '.', where = name): string {
  for (const c of candidates(name, specDir)) {
    if (existsSync(c) && statSync(c).isFile()) return c;
  }
  throw new QuorumError('UNKNOWN_MODEL', `unknown model '${name}'; bundled models: ${listBundledModels().join(', ')}`, where);
}

export function listBundledModels(): string[] {
  try {
    return readdirSync(BUNDLED_MODELS, { withFileTypes: true })
      .filter((d) => (d.isFile() && /\.ts$/.test(d.name) && !d.name.endsWith('.test.ts')) || (d.isDirectory() && existsSync(join(BUNDLED_MODELS, d.name, 'index.ts'))))
      .map((d) => d.name.replace(/\.ts$/, ''))
      .sort();
  } catch {
    return [];
  }
}

/** Imports a model module; its default export (or export `model`) must be a model definition. */
export async function loadModel(path: string, where = path): Promise<ModelDefinition> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (e) {
    const message = (e instanceof Error ? e.message : String(e)).replace(/\u001b\[[0-9;]*m/g, '');
    // esbuild reports "Transform failed with 1 error:" and then "file:line:col: ERROR: message" (tsx gives
    // this text); esbuild's own error objects carry it as errors[].location (column 0-based).
    const first = (e as { errors?: { text?: string; location?: { file: string; line: number; column: number } | null }[] }).errors?.[0];
    if (first?.location && first.text) {
      const file = resolve(first.location.file);
      throw new QuorumError('MODEL_LOAD', `syntax error: ${first.text}`, `${relative(process.cwd(), file) || file}:${first.location.line}:${first.location.column + 1}`);
    }
    const syntax = /^(.+?):(\d+):(\d+): ERROR: (.+)$/m.exec(message);
    if (syntax) throw new QuorumError('MODEL_LOAD', `syntax error: ${syntax[4]}`, `${relative(process.cwd(), syntax[1]!) || syntax[1]}:${syntax[2]}:${syntax[3]}`);
    const lines = message.split('\n').filter((l) => l.trim() !== '');
    // A first line that announces what follows ("...:") is shown with the line after it.
    const shown = lines[0]?.endsWith(':') && lines[1] ? `${lines[0]} ${lines[1].trim()}` : (lines[0] ?? '');
    throw new QuorumError('MODEL_LOAD', `cannot load model module ${path}: ${shown}`, where);
  }
  return modelFromModule(mod, path, where);
}

/** The model definition a loaded module exports (default export, or export `model`). */
export function modelFromModule(mod: Record<string, unknown>, path: string, where = path): ModelDefinition {
  const def = mod.default ?? mod.model;
  if (!isModelDefinition(def)) {
    throw new QuorumError('MODEL_LOAD', `${path} does not export a model (export default defineModel({...}))`, where);
  }
  return def;
}

export interface LoadedSpec {
  readonly spec: Spec;
  readonly modelPath: string;
  readonly definition: ModelDefinition;
  /** Validated constants, as plain values (structured-cloneable, for workers). */
  readonly constants: Record<string, unknown>;
}

export async function loadSpec(file: string, overrides: readonly { name: string; value: CfgValue }[] = []): Promise<LoadedSpec> {
  const spec = readSpec(file);
  const modelPath = resolveModelPath(spec.model.name, dirname(file), spec.model.where);
  const definition = await loadModel(modelPath, spec.model.where);
  const written = new Map(spec.constants);
  for (const o of overrides) written.set(o.name, { value: o.value, where: `--const ${o.name}` });
  const constants = resolveConstants(definition.constants, written, definition.name, file) as Record<string, unknown>;
  return { spec, modelPath, definition, constants };
}
