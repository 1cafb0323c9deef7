// A checkpoint: everything a breadth-first run needs to go on exactly where it stopped, taken when
// no task is in flight. The seen table is written whole; the parent log and the frontier are records
// in the run folder's spill files, which the checkpoint names with their lengths. meta.json is written
// last (renamed into place), so a checkpoint is either complete or the previous one is still there.
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { QuorumError } from '../model/errors.js';
import type { FoundViolation, FoundWitness } from './expand.js';
import type { RecordRef, RunDir } from './run-dir.js';
import { SeenTable } from './seen-table.js';

export const CHECKPOINT_FORMAT = 'quorum-checkpoint';
export const CHECKPOINT_VERSION = 1;
const META = 'checkpoint.json';
const SEEN = 'seen.bin';

/** What the run checks, so a resume with another model, constants or properties is refused. */
export interface RunIdentity {
  /** The spec file, as given. */
  readonly spec: string;
  /** The --const overrides, in .cfg syntax. */
  readonly overrides: readonly string[];
  /** Hashes: the model's code, the constants and the checked properties. */
  readonly model: string;
  readonly constants: string;
  readonly properties: string;
}

/** The run's position: level `level` has `pending` still to expand; `next` holds what it produced so far. */
export interface RunPosition {
  readonly level: number;
  readonly depth: number;
  readonly generated: number;
  readonly queued: number;
  readonly fired: readonly number[];
  readonly fresh: readonly number[];
  readonly elapsedMs: number;
  /** States per output chunk of this level (kept so a resumed level is cut the same way). */
  readonly outChunk: number;
  readonly found: readonly FoundViolation[];
  readonly witnesses: readonly (FoundWitness | null)[];
  readonly levels: readonly (readonly RecordRef[])[];
  readonly pending: readonly { readonly ref: RecordRef; readonly from: number }[];
  readonly next: readonly { readonly frontier: RecordRef; readonly log: RecordRef }[];
}

export interface Checkpoint extends RunPosition {
  readonly format: string;
  readonly version: number;
  readonly identity: RunIdentity;
  readonly writtenAt: string;
  readonly distinctStates: number;
  readonly seen: { readonly file: string; readonly bytes: number; readonly crc: number };
  /** Spill files and their lengths when the checkpoint was taken. */
  readonly files: Record<string, number>;
}

export interface LoadedCheckpoint {
  readonly checkpoint: Checkpoint;
  readonly table: SeenTable;
  readonly dir: RunDir;
}

export function checkpointExists(dir: string): boolean {
  return existsSync(join(dir, META));
}

export function writeCheckpoint(dir: RunDir, identity: RunIdentity, table: SeenTable, pos: RunPosition): void {
  dir.ensure();
  const parts = table.parts();
  let bytes = 0;
  let crc = 0;
  for (const p of parts) {
    bytes += p.byteLength;
    crc = crc32(p, crc);
  }
  const files: Record<string, number> = {};
  for (const refs of [...pos.levels, pos.pending.map((p) => p.ref), pos.next.flatMap((n) => [n.frontier, n.log])]) {
    for (const r of refs) files[r.file] = dir.length(r.file);
  }
  const cp: Checkpoint = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    identity,
    writtenAt: new Date().toISOString(),
    distinctStates: table.count,
    seen: { file: SEEN, bytes, crc: crc >>> 0 },
    files,
    ...pos,
  };
  try {
    // Written part by part: the table is most of the run's memory and is not copied whole.
    const fd = openSync(join(dir.path, SEEN + '.tmp'), 'w');
    try {
      for (const p of parts) for (let at = 0; at < p.byteLength; ) at += writeSync(fd, p, at);
    } finally {
      closeSync(fd);
    }
    writeFileSync(join(dir.path, META + '.tmp'), JSON.stringify(cp) + '\n');
    // The table first, then the meta file that names it: a crash in between leaves a checksum mismatch, not a wrong run.
    renameSync(join(dir.path, SEEN + '.tmp'), join(dir.path, SEEN));
    renameSync(join(dir.path, META + '.tmp'), join(dir.path, META));
  } catch (e) {
    throw new QuorumError('RUN_DIR', `cannot write the checkpoint: ${e instanceof Error ? e.message : String(e)}`, dir.path);
  }
}

/** Reads and verifies a checkpoint; cuts the spill files back to the lengths it recorded. */
export function readCheckpoint(dir: RunDir): LoadedCheckpoint {
  const metaPath = join(dir.path, META);
  if (!existsSync(dir.path)) throw new QuorumError('FILE_NOT_FOUND', 'no such run folder', dir.path);
  if (!existsSync(metaPath)) throw new QuorumError('CHECKPOINT_INVALID', `no checkpoint in this folder (no ${META})`, dir.path);
  let cp: Checkpoint;
  try {
    cp = JSON.parse(readFileSync(metaPath, 'utf8')) as Checkpoint;
  } catch (e) {
    throw new QuorumError('CHECKPOINT_INVALID', `not a readable checkpoint: ${e instanceof Error ? e.message : String(e)}`, metaPath);
  }
  const bad = (what: string): never => {
    throw new QuorumError('CHECKPOINT_INVALID', `damaged checkpoint: ${what}`, metaPath);
  };
  if (cp === null || typeof cp !== 'object' || cp.format !== CHECKPOINT_FORMAT) bad('not a quorum checkpoint');
  if (cp.version !== CHECKPOINT_VERSION) bad(`format version ${String(cp.version)}, this quorum reads version ${CHECKPOINT_VERSION}`);
  const isCount = (x: unknown) => Number.isInteger(x) && (x as number) >= 0;
  const isRef = (r: unknown) => {
    const x = r as RecordRef;
    return x !== null && typeof x === 'object' && typeof x.file === 'string' && /^(frontier|log)-\d+\.bin$/.test(x.file) && isCount(x.offset) && isCount(x.count) && x.file in (cp.files ?? {});
  };
  if (!isCount(cp.level) || cp.level < 1 || !isCount(cp.depth) || !isCount(cp.generated) || !isCount(cp.distinctStates) || !isCount(cp.outChunk)) bad('counters');
  if (!Array.isArray(cp.levels) || !cp.levels.every((l) => Array.isArray(l) && l.every(isRef))) bad('parent log');
  if (!Array.isArray(cp.pending) || !cp.pending.every((p) => isRef(p.ref) && isCount(p.from))) bad('frontier');
  if (!Array.isArray(cp.next) || !cp.next.every((n) => isRef(n.frontier) && isRef(n.log))) bad('next level');
  if (!Array.isArray(cp.fired) || !Array.isArray(cp.fresh) || !Array.isArray(cp.found) || !Array.isArray(cp.witnesses)) bad('coverage');
  const logged = cp.levels.reduce((n, l) => n + l.reduce((m, r) => m + r.count, 0), 0) + cp.next.reduce((n, x) => n + x.log.count, 0);
  if (logged !== cp.distinctStates) bad(`the parent log has ${logged} states, the seen table ${cp.distinctStates}`);
  const seenPath = join(dir.path, String(cp.seen?.file));
  let table: SeenTable | undefined;
  let size: number;
  let crc = 0;
  let fd: number | undefined;
  try {
    fd = openSync(seenPath, 'r');
    size = fstatSync(fd).size;
    if (typeof cp.seen?.bytes !== 'number' || size !== cp.seen.bytes) throw new QuorumError('CHECKPOINT_INVALID', 'damaged seen table (size mismatch)', seenPath);
    // Read straight into the table's memory, checking the checksum as it goes.
    table = SeenTable.restore(size, (into) => {
      let n = 0;
      while (n < into.byteLength) {
        const got = readSync(fd!, into, n, into.byteLength - n, null);
        if (got === 0) break;
        n += got;
      }
      crc = crc32(into.subarray(0, n), crc);
      return n;
    });
  } catch (e) {
    if (e instanceof QuorumError) throw e;
    throw new QuorumError('CHECKPOINT_INVALID', `cannot read the seen table: ${e instanceof Error ? e.message : String(e)}`, seenPath);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (crc >>> 0 !== cp.seen.crc) throw new QuorumError('CHECKPOINT_INVALID', 'damaged seen table (checksum mismatch)', seenPath);
  if (!table || table.count !== cp.distinctStates) throw new QuorumError('CHECKPOINT_INVALID', 'damaged seen table (its count is not the checkpoint\'s)', seenPath);
  for (const [file, length] of Object.entries(cp.files)) {
    if (!/^(frontier|log)-\d+\.bin$/.test(file) || !isCount(length)) bad(`file entry ${file}`);
    dir.truncate(file, length);
  }
  return { checkpoint: cp, table, dir };
}
