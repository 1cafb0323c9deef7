// Type-checks a model module before it runs: a typo such as `s.countr` is otherwise `undefined` at run
// time and silently changes a verdict. Only the model's own files are checked (not quorum's sources
// nor packages), with the compiler options of the tsconfig.json nearest to the model, and a clean
// result is cached by the content hash of every file the program read, so an unchanged model is not
// checked again.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as TS from 'typescript';

/** quorum's own sources: checked by quorum's build, not again for every model. */
const QUORUM_SRC = resolve(dirname(fileURLToPath(import.meta.url)), '..') + sep;

export interface TypeDiagnostic {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  readonly col: number;
  readonly message: string;
  /** TypeScript's error number (TS2339 is 2339). */
  readonly tsCode: number;
}

/** Where the diagnostic points, as the CLI prints it: "file:line:col" (file relative to the working folder). */
export function diagnosticWhere(d: TypeDiagnostic): string {
  const file = relative(process.cwd(), d.file) || d.file;
  return `${file}:${d.line}:${d.col}`;
}

/** Used when no tsconfig.json is found above the model. */
const DEFAULT_OPTIONS = {
  strict: true,
  target: 'ES2022',
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  skipLibCheck: true,
  allowImportingTsExtensions: true,
  esModuleInterop: true,
  resolveJsonModule: true,
};

interface CacheEntry {
  readonly ts: string;
  /** Every file the program read, with the sha256 of its content ('' for a file that was absent). */
  readonly inputs: [string, string][];
}

function typescriptVersion(): string {
  try {
    const req = createRequire(import.meta.url);
    return (JSON.parse(readFileSync(req.resolve('typescript/package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

function hashFile(path: string): string {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch {
    return '';
  }
}

function defaultCacheDir(): string {
  const uid = typeof process.getuid === 'function' ? process.getuid() : 'user';
  return join(tmpdir(), `quorum-${uid}`, 'typecheck');
}

function entryPath(dir: string, modelPath: string): string {
  return join(dir, `${createHash('sha256').update(modelPath).digest('hex').slice(0, 24)}.json`);
}

function readEntry(file: string): CacheEntry | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as CacheEntry;
  } catch {
    return undefined;
  }
}

function writeEntry(file: string, entry: CacheEntry): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(entry));
    renameSync(tmp, file);
  } catch {
    // A cache that cannot be written only costs the next run its time.
  }
}

function isModelFile(file: string, roots: readonly string[]): boolean {
  const f = resolve(file);
  if (roots.includes(f)) return true;
  return !f.split(sep).includes('node_modules') && !f.startsWith(QUORUM_SRC);
}

export interface TypecheckOptions {
  /** Where clean results are remembered (default: quorum's folder in the system's temporary folder). */
  readonly cacheDir?: string;
}

export interface TypecheckResult {
  readonly diagnostics: TypeDiagnostic[];
  /** True when an unchanged clean result was reused. */
  readonly cached: boolean;
}

/** Type-checks the model module at `modelPath` (and the files it imports that are not packages nor quorum's). */
export async function typecheckModel(modelPath: string, opts: TypecheckOptions = {}): Promise<TypecheckResult> {
  const model = resolve(modelPath);
  const version = typescriptVersion();
  const cacheFile = entryPath(opts.cacheDir ?? defaultCacheDir(), model);
  const cached = readEntry(cacheFile);
  if (cached && cached.ts === version && cached.inputs.every(([p, h]) => hashFile(p) === h)) return { diagnostics: [], cached: true };

  const { diagnostics, inputs } = await checkProgram([model]);
  // Only a clean result is remembered: an error may go away without any file it read changing
  // (a package installed, a missing module created).
  if (diagnostics.length === 0) writeEntry(cacheFile, { ts: version, inputs: [...inputs].filter((p) => existsSync(p)).map((p) => [p, hashFile(p)]) });
  return { diagnostics, cached: false };
}

/**
 * Type-checks the given files together (one program, the options of the tsconfig.json nearest to the
 * first), reporting errors in them and in the files they import that are not packages nor quorum's.
 */
export async function typecheckFiles(files: readonly string[]): Promise<TypeDiagnostic[]> {
  return (await checkProgram(files.map((f) => resolve(f)))).diagnostics;
}

async function checkProgram(roots: readonly string[]): Promise<{ diagnostics: TypeDiagnostic[]; inputs: Set<string> }> {
  const model = roots[0]!;
  const ts = (await import('typescript')).default as typeof TS;
  const configFile = ts.findConfigFile(dirname(model), ts.sys.fileExists, 'tsconfig.json');
  let options: TS.CompilerOptions;
  const inputs = new Set<string>();
  if (configFile) {
    inputs.add(resolve(configFile));
    const parsed = ts.getParsedCommandLineOfConfigFile(configFile, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
    options = parsed?.options ?? ts.convertCompilerOptionsFromJson(DEFAULT_OPTIONS, dirname(model)).options;
    for (const extended of (parsed as { extendedSourceFiles?: string[] } | undefined)?.extendedSourceFiles ?? []) inputs.add(resolve(extended));
  } else {
    options = ts.convertCompilerOptionsFromJson(DEFAULT_OPTIONS, dirname(model)).options;
  }
  options = { ...options, noEmit: true, declaration: false, composite: false, incremental: false, tsBuildInfoFile: undefined };
  const program = ts.createProgram({ rootNames: [...roots], options });

  const raw: TS.Diagnostic[] = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
  for (const sf of program.getSourceFiles()) {
    if (!program.isSourceFileDefaultLibrary(sf)) inputs.add(resolve(sf.fileName));
    if (sf.isDeclarationFile || !isModelFile(sf.fileName, roots)) continue;
    raw.push(...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf));
  }
  const diagnostics: TypeDiagnostic[] = raw
    .filter((d) => d.category === ts.DiagnosticCategory.Error)
    .map((d) => {
      const message = ts.flattenDiagnosticMessageText(d.messageText, ' ').replace(/\s+/g, ' ').trim();
      if (!d.file || d.start === undefined) return { file: model, line: 1, col: 1, message, tsCode: d.code };
      const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
      return { file: resolve(d.file.fileName), line: line + 1, col: character + 1, message, tsCode: d.code };
    });
  return { diagnostics, inputs };
}
