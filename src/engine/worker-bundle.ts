// Workers run one JavaScript file: the worker code and the model, bundled by esbuild in the main thread.
// Loading TypeScript through tsx in every worker (a loader thread, a transform per module) made a
// worker take 2-3 times longer to start and cost CPU that the other workers needed.
// Packages stay outside the bundle, each imported from where the importing file would find it, so the
// bundle loads the same package files the modules would load themselves.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Loader, Plugin } from 'esbuild';

const WORKER_SOURCE = fileURLToPath(new URL('./worker.ts', import.meta.url));
const ENTRY_NAME = 'quorum-worker-entry.js';
const RESOLVING = Symbol('quorum: resolving a package');

const LOADERS: Record<string, Loader> = { '.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.tsx': 'tsx', '.js': 'js', '.mjs': 'js', '.cjs': 'js', '.jsx': 'jsx' };

/** Every package import stays an import, of the file the importer itself would load. */
const packagesOutside: Plugin = {
  name: 'quorum-packages-outside',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === RESOLVING) return undefined;
      if (isBuiltin(args.path)) return { path: args.path, external: true };
      const r = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: RESOLVING });
      if (r.errors.length > 0) return { errors: r.errors };
      // A package shipped as TypeScript (quorum itself, imported by a model in another project) is
      // bundled: the worker runs without a TypeScript loader.
      if (/\.[cm]?tsx?$/.test(r.path)) return { path: r.path };
      return { path: pathToFileURL(r.path).href, external: true };
    });
    // import.meta in a bundled file would describe the bundle: it keeps describing the file it is written in.
    b.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, (args) => {
      const contents = readFileSync(args.path, 'utf8')
        .replace(/\bimport\.meta\.url\b/g, JSON.stringify(pathToFileURL(args.path).href))
        .replace(/\bimport\.meta\.filename\b/g, JSON.stringify(args.path))
        .replace(/\bimport\.meta\.dirname\b/g, JSON.stringify(dirname(args.path)));
      return { contents, loader: LOADERS[extname(args.path)] ?? 'js', resolveDir: dirname(args.path) };
    });
  },
};

function cacheDir(): string {
  const uid = typeof process.getuid === 'function' ? process.getuid() : 'user';
  return join(tmpdir(), `quorum-${uid}`, 'workers');
}

// What a bundle was built from, to reuse it without running esbuild while none of it changed.
interface Manifest {
  readonly bundle: string;
  /** Bundled source files and the tsconfig.json files that apply to them: [path, mtimeMs, size] (size -1: absent). */
  readonly inputs: [string, number, number][];
  /** Package files the bundle imports. */
  readonly packages: string[];
}

function manifestPath(dir: string, modelPath: string, source = WORKER_SOURCE): string {
  return join(dir, `manifest-${createHash('sha256').update(`${source}\0${modelPath}`).digest('hex').slice(0, 20)}.json`);
}

function writeAtomically(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

function unchanged(m: Manifest): boolean {
  if (!existsSync(m.bundle) || !m.packages.every((p) => existsSync(p))) return false;
  return m.inputs.every(([path, mtimeMs, size]) => {
    const st = statSync(path, { throwIfNoEntry: false });
    // size -1: a file that must still not exist (a tsconfig.json nearer to a source than the one read).
    return size === -1 ? st === undefined : st !== undefined && st.mtimeMs === mtimeMs && st.size === size;
  });
}

/**
 * The tsconfig.json esbuild reads for each source (the nearest one above it: its compiler options change
 * the output), the configs it `extends`, and, as [path, -1, -1], each place between where one would be nearer.
 */
function configInputs(sources: readonly string[]): [string, number, number][] {
  const found = new Map<string, [string, number, number]>();
  const visited = new Set<string>();
  const addConfig = (config: string) => {
    if (found.has(config)) return;
    const st = statSync(config, { throwIfNoEntry: false });
    found.set(config, st === undefined ? [config, -1, -1] : [config, st.mtimeMs, st.size]);
    if (st !== undefined) for (const base of extendedConfigs(config)) addConfig(base);
  };
  for (const src of sources) {
    for (let dir = dirname(src); !visited.has(dir); ) {
      visited.add(dir);
      const config = join(dir, 'tsconfig.json');
      if (existsSync(config)) {
        addConfig(config);
        break;
      }
      found.set(config, [config, -1, -1]);
      const up = dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  return [...found.values()];
}

/** The files a tsconfig.json `extends` (a path, or a package's config file), as far as they resolve. */
export function extendedConfigs(config: string): string[] {
  let ext: unknown;
  try {
    ext = (JSON.parse(stripJsonComments(readFileSync(config, 'utf8'))) as { extends?: unknown }).extends;
  } catch {
    return []; // esbuild reports a config it cannot read
  }
  const names = (Array.isArray(ext) ? ext : [ext]).filter((x): x is string => typeof x === 'string');
  const out: string[] = [];
  for (const name of names) {
    if (name.startsWith('.') || isAbsolute(name)) {
      const path = resolve(dirname(config), name);
      out.push(existsSync(path) || path.endsWith('.json') ? path : `${path}.json`);
      continue;
    }
    // A package's config: the file named, or its tsconfig.json (never the package's JavaScript entry).
    const req = createRequire(config);
    for (const candidate of name.endsWith('.json') ? [name] : [`${name}.json`, `${name}/tsconfig.json`]) {
      try {
        out.push(req.resolve(candidate));
        break;
      } catch {
        // not this form; one that resolves nowhere is not tracked
      }
    }
  }
  return out;
}

/** tsconfig.json is JSON with comments and trailing commas. */
function stripJsonComments(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      const start = i;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      out += text.slice(start, i + 1);
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else out += c;
  }
  return out.replace(/,(\s*[}\]])/g, '$1');
}

/**
 * Bundles the worker code (`source`: the checker's worker by default; it must export default and
 * preloadModel(path, module)) with the model at `modelPath` into `dir` (reusing an unchanged bundle); resolves to its URL. */
export async function buildWorkerBundle(modelPath: string, dir = cacheDir(), source = WORKER_SOURCE): Promise<string> {
  const manifestFile = manifestPath(dir, modelPath, source);
  try {
    const m = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
    if (unchanged(m)) return pathToFileURL(m.bundle).href;
  } catch {
    // no usable manifest: build
  }
  const startedAt = Date.now();
  const { build: esbuild } = await import('esbuild');
  const entry = [
    `import * as model from ${JSON.stringify(modelPath)};`,
    `import { preloadModel } from ${JSON.stringify(source)};`,
    `preloadModel(${JSON.stringify(modelPath)}, model);`,
    `export { default } from ${JSON.stringify(source)};`,
  ].join('\n');
  const out = await esbuild({
    stdin: { contents: entry, resolveDir: dirname(source), sourcefile: ENTRY_NAME, loader: 'js' },
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Node's own resolution: no "module" field or condition.
    mainFields: ['main'],
    conditions: [],
    keepNames: true,
    sourcemap: 'inline',
    sourcesContent: false,
    // Source map paths are relative to the output: the bundle is written into this folder.
    outfile: join(dir, 'worker.mjs'),
    plugins: [packagesOutside],
    logLevel: 'silent',
  });
  const code = out.outputFiles[0]!.contents;
  // Named by content: a bundle never changes once written, so runs in parallel can share it.
  const file = join(dir, `worker-${createHash('sha256').update(code).digest('hex').slice(0, 20)}.mjs`);
  mkdirSync(dir, { recursive: true });
  if (!existsSync(file)) writeAtomically(file, code);
  const inputs: [string, number, number][] = [];
  for (const rel of Object.keys(out.metafile.inputs)) {
    if (basename(rel) === ENTRY_NAME) continue; // the entry above, not a file
    const path = resolve(rel);
    const st = statSync(path);
    inputs.push([path, st.mtimeMs, st.size]);
  }
  inputs.push(...configInputs(inputs.map(([path]) => path)));
  const packages = [
    ...new Set(
      Object.values(out.metafile.outputs)
        .flatMap((o) => o.imports)
        .filter((i) => i.external && i.path.startsWith('file:'))
        .map((i) => fileURLToPath(i.path)),
    ),
  ];
  // A source written while esbuild read it may be in the bundle in its older form: build again next time.
  if (inputs.every(([, mtimeMs]) => Math.floor(mtimeMs) < startedAt)) writeAtomically(manifestFile, JSON.stringify({ bundle: file, inputs, packages } satisfies Manifest));
  prune(dir);
  return pathToFileURL(file).href;
}

const PRUNE_AFTER_MS = 7 * 24 * 3600 * 1000;

/** Every edit of a model or of quorum leaves a bundle behind: those not written for a week go. */
function prune(dir: string): void {
  const now = Date.now();
  for (const name of readdirSync(dir)) {
    if (!/^(worker-.*\.mjs|manifest-.*\.json)$/.test(name)) continue;
    const path = join(dir, name);
    const st = statSync(path, { throwIfNoEntry: false });
    // A run that already started has loaded its bundle; a later run rebuilds a pruned one.
    if (st !== undefined && now - st.mtimeMs > PRUNE_AFTER_MS) rmSync(path, { force: true });
  }
}

const built = new Map<string, Promise<string | undefined>>();

/**
 * The URL of the worker code bundled with the model at `modelPath`, or undefined if it cannot be
 * bundled (workers then load the TypeScript sources through tsx, as the main thread does).
 */
export function workerBundle(modelPath: string, source = WORKER_SOURCE): Promise<string | undefined> {
  const key = `${source}\0${modelPath}`;
  let p = built.get(key);
  if (p === undefined) {
    p = buildWorkerBundle(modelPath, undefined, source).catch(() => undefined);
    built.set(key, p);
  }
  return p;
}
