// A run's folder on disk: frontier chunks and parent-log chunks that do not fit the memory budget,
// and the checkpoint. Files are append-only, one pair per BFS level; each record carries a CRC-32 of
// its payload, so a damaged file is an error when read back, never a wrong count.
import { closeSync, existsSync, ftruncateSync, mkdirSync, openSync, readdirSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { QuorumError } from '../model/errors.js';
import type { Chunk } from './chunk.js';
import type { TaskChunk } from './expand.js';

/** Where a record is: file name (inside the run folder), byte offset, states. */
export interface RecordRef {
  readonly file: string;
  readonly offset: number;
  readonly count: number;
}

const HEADER = 16; // magic, count, payload bytes, crc32
const FRONTIER_MAGIC = 0x51465231; // "QFR1"
const LOG_MAGIC = 0x514c4731; // "QLG1"

export const frontierFile = (level: number): string => `frontier-${level}.bin`;
export const logFile = (level: number): string => `log-${level}.bin`;

export class RunDir {
  private readonly writers = new Map<string, { fd: number; length: number }>();
  private readonly readers = new Map<string, number>();
  /** Bytes written to spill files by this process. */
  spilledBytes = 0;

  constructor(readonly path: string) {}

  get exists(): boolean {
    return existsSync(this.path);
  }

  ensure(): void {
    if (!existsSync(this.path)) {
      try {
        mkdirSync(this.path, { recursive: true });
      } catch (e) {
        throw new QuorumError('RUN_DIR', `cannot create the run folder: ${e instanceof Error ? e.message : String(e)}`, this.path);
      }
    }
  }

  /** Current length of a spill file (what a checkpoint records). */
  length(file: string): number {
    const w = this.writers.get(file);
    if (w) return w.length;
    const st = statSync(join(this.path, file), { throwIfNoEntry: false });
    return st ? st.size : 0;
  }

  private writer(file: string): { fd: number; length: number } {
    let w = this.writers.get(file);
    if (!w) {
      this.ensure();
      const full = join(this.path, file);
      const fd = openSync(full, 'a');
      w = { fd, length: statSync(full).size };
      this.writers.set(file, w);
    }
    return w;
  }

  private append(file: string, magic: number, count: number, parts: readonly Uint8Array[]): RecordRef {
    const w = this.writer(file);
    let len = 0;
    let crc = 0;
    for (const p of parts) {
      len += p.byteLength;
      crc = crc32(p, crc);
    }
    const head = new Uint32Array([magic, count, len, crc >>> 0]);
    const offset = w.length;
    try {
      writeAll(w.fd, new Uint8Array(head.buffer));
      for (const p of parts) writeAll(w.fd, p);
    } catch (e) {
      throw new QuorumError('RUN_DIR', `cannot write ${file}: ${e instanceof Error ? e.message : String(e)}`, this.path);
    }
    w.length += HEADER + len;
    this.spilledBytes += HEADER + len;
    return { file, offset, count };
  }

  /** A frontier chunk's states: fingerprints, offsets and bytes. */
  writeFrontier(level: number, c: TaskChunk): RecordRef {
    return this.append(frontierFile(level), FRONTIER_MAGIC, c.count, [u8(c.fps), u8(c.offsets), c.bytes]);
  }

  /** A chunk's (fingerprint, parent fingerprint) pairs, for rebuilding traces. */
  writeLog(level: number, c: Pick<Chunk, 'fps' | 'parents' | 'count'>): RecordRef {
    return this.append(logFile(level), LOG_MAGIC, c.count, [u8(c.fps), u8(c.parents)]);
  }

  private read(ref: RecordRef, magic: number, sizes: (count: number, len: number) => number[]): Uint8Array[] {
    let fd = this.readers.get(ref.file);
    const full = join(this.path, ref.file);
    try {
      if (fd === undefined) {
        fd = openSync(full, 'r');
        this.readers.set(ref.file, fd);
      }
      const head = new Uint32Array(4);
      readAll(fd, new Uint8Array(head.buffer), ref.offset, full);
      if (head[0] !== magic || head[1] !== ref.count) throw new QuorumError('CHECKPOINT_INVALID', `damaged record at byte ${ref.offset} (bad header)`, full);
      const len = head[2]!;
      const parts = sizes(ref.count, len).map((n) => new Uint8Array(n));
      if (parts.reduce((n, p) => n + p.byteLength, 0) !== len) throw new QuorumError('CHECKPOINT_INVALID', `damaged record at byte ${ref.offset} (bad length)`, full);
      let at = ref.offset + HEADER;
      let crc = 0;
      for (const p of parts) {
        readAll(fd, p, at, full);
        at += p.byteLength;
        crc = crc32(p, crc);
      }
      if (crc >>> 0 !== head[3]) throw new QuorumError('CHECKPOINT_INVALID', `damaged record at byte ${ref.offset} (checksum mismatch)`, full);
      return parts;
    } catch (e) {
      if (e instanceof QuorumError) throw e;
      throw new QuorumError('CHECKPOINT_INVALID', `cannot read a record at byte ${ref.offset}: ${e instanceof Error ? e.message : String(e)}`, full);
    }
  }

  readFrontier(ref: RecordRef): TaskChunk {
    const [fps, offsets, bytes] = this.read(ref, FRONTIER_MAGIC, (n, len) => [8 * n, 4 * (n + 1), len - 12 * n - 4]);
    return { count: ref.count, fps: u32(fps!), offsets: u32(offsets!), bytes: bytes! };
  }

  readLog(ref: RecordRef): { fps: Uint32Array; parents: Uint32Array } {
    const [fps, parents] = this.read(ref, LOG_MAGIC, (n) => [8 * n, 8 * n]);
    return { fps: u32(fps!), parents: u32(parents!) };
  }

  /** Cuts a spill file back to a checkpoint's length (records after it belong to a run that did not finish). */
  truncate(file: string, length: number): void {
    const full = join(this.path, file);
    const st = statSync(full, { throwIfNoEntry: false });
    if (!st) throw new QuorumError('CHECKPOINT_INVALID', 'a file the checkpoint needs is missing', full);
    if (st.size < length) throw new QuorumError('CHECKPOINT_INVALID', `the file is shorter (${st.size} bytes) than the checkpoint recorded (${length})`, full);
    if (st.size > length) {
      const fd = openSync(full, 'r+');
      try {
        ftruncateSync(fd, length);
      } finally {
        closeSync(fd);
      }
    }
  }

  /** Removes the frontier files of levels below `level` that nothing needs any more. */
  dropFrontiersBelow(level: number): void {
    if (!existsSync(this.path)) return;
    for (const name of readdirSync(this.path)) {
      const m = /^frontier-(\d+)\.bin$/.exec(name);
      if (!m || Number(m[1]) >= level) continue;
      this.closeFile(name);
      rmSync(join(this.path, name), { force: true });
    }
  }

  private closeFile(name: string): void {
    const w = this.writers.get(name);
    if (w) closeSync(w.fd);
    this.writers.delete(name);
    const r = this.readers.get(name);
    if (r !== undefined) closeSync(r);
    this.readers.delete(name);
  }

  /** Removes the run's own files (and the folder, when nothing else is in it). */
  remove(): void {
    this.close();
    if (!existsSync(this.path)) return;
    for (const name of readdirSync(this.path)) {
      if (/^(frontier-\d+\.bin|log-\d+\.bin|seen\.bin(\.tmp)?|checkpoint\.json(\.tmp)?)$/.test(name)) rmSync(join(this.path, name), { force: true });
    }
    if (readdirSync(this.path).length === 0) rmSync(this.path, { recursive: true, force: true });
  }

  close(): void {
    for (const name of [...new Set([...this.writers.keys(), ...this.readers.keys()])]) this.closeFile(name);
  }
}

function u8(a: Uint32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

function u32(a: Uint8Array): Uint32Array {
  return new Uint32Array(a.buffer, a.byteOffset, a.byteLength >> 2);
}

function writeAll(fd: number, data: Uint8Array): void {
  let off = 0;
  while (off < data.byteLength) off += writeSync(fd, data, off, data.byteLength - off);
}

function readAll(fd: number, into: Uint8Array, position: number, file: string): void {
  let off = 0;
  while (off < into.byteLength) {
    const n = readSync(fd, into, off, into.byteLength - off, position + off);
    if (n === 0) throw new QuorumError('CHECKPOINT_INVALID', `the file ends early (a record at byte ${position} is cut)`, file);
    off += n;
  }
}
