// The CLI's own TypeScript, pre-built by esbuild into plain JavaScript, for the commands that never
// import a model: `history`, `models`, the help and the version. Loading the sources through tsx (its
// loader thread, a transform per module, ink and fast-check loaded up front) cost 1-2 s before such a
// command did anything; the bundle loads in a fraction of that.
//
// The bundle is split at the sources' dynamic imports (the TUI, the pools, esbuild, TypeScript stay
// unloaded until used), packages stay outside it (imported from the files the sources would load),
// and import.meta keeps describing the source file it is written in. It is cached (in the same
// per-user folder as the worker bundles) with a manifest of every input: the sources, the
// tsconfig.json files that apply to them, the package files imported. Any input changed, or a
// package gone, and it is rebuilt on the next such command (a few hundred ms, once).
//
// Commands that load models (check, simulate, explore, ...) keep running the sources through tsx: a
// model imports quorum's modules itself, and two copies of them (the bundle's and the model's) would
// not share classes or state. Plain JavaScript on purpose: this runs before any TypeScript loader.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ENTRY = join(HERE, 'main.ts');
const ROOT = resolve(HERE, '..', '..');

/** Commands (the first argument) that import no model; any command with -h/--help prints the usage only. */
const MODEL_FREE = new Set(['history', 'models', 'help', '-h', '--help', '-v', '--version']);

const LOADERS = { '.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.tsx': 'tsx', '.js': 'js', '.mjs': 'js', '.cjs': 'js', '.jsx': 'jsx' };
const RESOLVING = Symbol('quorum: resolving a package');
const PRUNE_AFTER_MS = 7 * 24 * 3600 * 1000;

/** Whether these arguments can run on the bundle (QUORUM_NO_BUNDLE=1: never). */
export function bundleFits(args) {
  if (process.env.QUORUM_NO_BUNDLE) return false;
  const [cmd, ...rest] = args;
  return cmd === undefined || MODEL_FREE.has(cmd) || rest.some((a) => a === '-h' || a === '--help');
}

export function cacheDir() {
  const uid = typeof process.getuid === 'function' ? process.getuid() : 'user';
  return join(tmpdir(), `quorum-${uid}`, 'cli');
}

/** One manifest per checkout (named by the entry's path; FNV-1a: node:crypto costs 10 ms to load). */
function manifestFile(dir) {
  let h = 0x811c9dc5;
  for (let i = 0; i < ENTRY.length; i++) h = Math.imul(h ^ ENTRY.charCodeAt(i), 0x01000193);
  return join(dir, `manifest-${(h >>> 0).toString(16).padStart(8, '0')}.json`);
}

/** The bundle's main.js URL if one was built from the current inputs. */
export function freshBundle(dir = cacheDir()) {
  let m;
  try {
    m = JSON.parse(readFileSync(manifestFile(dir), 'utf8'));
  } catch {
    return undefined;
  }
  if (!existsSync(m.bundle) || !m.packages.every((p) => existsSync(p))) return undefined;
  for (const [path, mtimeMs, size] of m.inputs) {
    const st = statSync(path, { throwIfNoEntry: false });
    // size -1: a file that must still not exist (a tsconfig.json nearer to a source than the one read).
    if (size === -1 ? st !== undefined : st === undefined || st.mtimeMs !== mtimeMs || st.size !== size) return undefined;
  }
  return pathToFileURL(m.bundle).href;
}

/** Package imports stay imports, of the file the importing source would load; import.meta stays the source's. */
const packagesOutside = {
  name: 'quorum-cli-packages-outside',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === RESOLVING) return undefined;
      if (args.path.startsWith('node:')) return { path: args.path, external: true };
      const r = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: RESOLVING });
      if (r.errors.length > 0) return { errors: r.errors };
      if (r.external) return { path: args.path, external: true }; // a Node built-in
      if (/\.[cm]?tsx?$/.test(r.path)) return { path: r.path };
      return { path: pathToFileURL(r.path).href, external: true };
    });
    b.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, (args) => {
      const contents = readFileSync(args.path, 'utf8')
        .replace(/\bimport\.meta\.url\b/g, JSON.stringify(pathToFileURL(args.path).href))
        .replace(/\bimport\.meta\.filename\b/g, JSON.stringify(args.path))
        .replace(/\bimport\.meta\.dirname\b/g, JSON.stringify(dirname(args.path)));
      return { contents, loader: LOADERS[extname(args.path)] ?? 'js', resolveDir: dirname(args.path) };
    });
  },
};

/** The tsconfig.json nearest above each source (its options change the output), and the places between where one would be nearer. */
function configInputs(sources) {
  const found = new Map();
  const visited = new Set();
  const add = (config) => {
    if (found.has(config)) return;
    const st = statSync(config, { throwIfNoEntry: false });
    found.set(config, st === undefined ? [config, -1, -1] : [config, st.mtimeMs, st.size]);
    if (st === undefined) return;
    // A relative `extends` (quorum's own config has none; a package's config is not tracked).
    const ext = /"extends"\s*:\s*"(\.[^"]*)"/.exec(readFileSync(config, 'utf8'))?.[1];
    if (ext) add(resolve(dirname(config), ext.endsWith('.json') ? ext : `${ext}.json`));
  };
  for (const src of sources) {
    for (let dir = dirname(src); !visited.has(dir); ) {
      visited.add(dir);
      const config = join(dir, 'tsconfig.json');
      if (existsSync(config)) {
        add(config);
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

/** Builds the bundle into `dir` (named by its content, written atomically); resolves to its main.js URL. */
export async function buildBundle(dir = cacheDir()) {
  const startedAt = Date.now();
  const { build } = await import('esbuild');
  const { createHash } = await import('node:crypto');
  // Output paths (and the source maps' relative paths) as if written to dir/build: the bundle goes
  // to dir/cli-HASH, at the same depth.
  const outdir = join(dir, 'build');
  const out = await build({
    entryPoints: { main: ENTRY },
    absWorkingDir: ROOT,
    bundle: true,
    splitting: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    mainFields: ['main'],
    conditions: [],
    keepNames: true,
    sourcemap: 'linked',
    sourcesContent: false,
    outdir,
    plugins: [packagesOutside],
    logLevel: 'silent',
  });
  const hash = createHash('sha256');
  const files = out.outputFiles.map((f) => ({ name: f.path.slice(outdir.length + 1), contents: f.contents })).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const f of files) hash.update(f.name).update('\0').update(f.contents);
  const final = join(dir, `cli-${hash.digest('hex').slice(0, 20)}`);
  if (!existsSync(join(final, 'main.js'))) {
    const tmp = `${final}.${process.pid}.tmp`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    for (const f of files) writeFileSync(join(tmp, f.name), f.contents);
    try {
      renameSync(tmp, final);
    } catch (e) {
      rmSync(tmp, { recursive: true, force: true });
      // Another run wrote the same bundle first.
      if (!existsSync(join(final, 'main.js'))) throw e;
    }
  }
  const inputs = Object.keys(out.metafile.inputs).map((rel) => {
    const path = resolve(ROOT, rel);
    const st = statSync(path);
    return [path, st.mtimeMs, st.size];
  });
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
  if (inputs.every(([, mtimeMs]) => Math.floor(mtimeMs) < startedAt)) {
    const manifest = manifestFile(dir);
    const tmp = `${manifest}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ bundle: join(final, 'main.js'), inputs, packages }));
    renameSync(tmp, manifest);
  }
  prune(dir, final);
  return pathToFileURL(join(final, 'main.js')).href;
}

/** Every edit of quorum's sources leaves a bundle behind: those not written for a week go. */
function prune(dir, keep) {
  const now = Date.now();
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (!/^cli-[0-9a-f]+$/.test(name) || path === keep) continue;
    const st = statSync(path, { throwIfNoEntry: false });
    if (st !== undefined && now - st.mtimeMs > PRUNE_AFTER_MS) rmSync(path, { recursive: true, force: true });
  }
}

/** The bundle's URL for these arguments (built when missing or stale), or undefined: run the sources through tsx. */
export async function cliBundle(args) {
  if (!bundleFits(args)) return undefined;
  try {
    return freshBundle() ?? (await buildBundle());
  } catch {
    return undefined; // no esbuild, an unwritable cache, a build error: the sources through tsx
  }
}
