// Runs that spill to disk, stop and go on: each must end exactly as an uninterrupted run in memory does.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { checkSpec, readCheckpoint, RunDir, type SpecCheckResult } from './index.js';
import { parseConstantOverride } from '../spec/cfg.js';
import { QuorumError } from '../model/errors.js';

const specs = fileURLToPath(new URL('../../specs/', import.meta.url));
const naive = join(specs, 'paxos-naive.cfg');
const twoPhase = join(specs, 'two-phase-commit.cfg');
const scratch = mkdtempSync(join(tmpdir(), 'quorum-checkpoint-'));
const afterAllDirs: string[] = [scratch];
afterAll(() => {
  for (const d of afterAllDirs) rmSync(d, { recursive: true, force: true });
});
let dirs = 0;
const freshDir = () => join(scratch, `run-${++dirs}`);

/** What must not differ between a run in memory and a spilled, stopped or resumed one. */
const essence = (r: SpecCheckResult) => ({
  status: r.status,
  distinct: r.distinctStates,
  generated: r.statesGenerated,
  depth: r.depth,
  coverage: r.coverage,
  violation: r.violation && { kind: r.violation.kind, name: r.violation.name, trace: r.violation.trace.map((s) => [s.action, s.state]) },
});

const expectCode = async (p: Promise<unknown>, code: string) => {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(QuorumError);
  expect((e as QuorumError).code).toBe(code);
  return e as QuorumError;
};

let inMemory: SpecCheckResult | undefined;
const naiveInMemory = async () => (inMemory ??= await checkSpec(naive, { workers: 0 }));

describe('spilling the parent log and the frontier to the run folder', () => {
  it('2PC with 7 RMs, everything but the seen set on disk from the first task: the reference counts (296,448, depth 23)', async () => {
    const dir = freshDir();
    const r = await checkSpec(twoPhase, { workers: 2, runDir: dir, spillAbove: 0 });
    expect(r.status).toBe('ok');
    expect([r.distinctStates, r.depth, r.queue]).toEqual([296_448, 23, 0]);
    expect(r.memory!.spilled).toBe(true);
    expect(r.memory!.spilledBytes).toBeGreaterThan(296_448 * 16);
    expect(r.parentLogBytes).toBe(0);
    // A finished run leaves no spill files behind.
    expect(() => readdirSync(dir)).toThrow();
  }, 300_000);

  it('paxos-naive spilled: the same counts and the same counterexample, rebuilt from the log on disk', async () => {
    const mem = await naiveInMemory();
    const r = await checkSpec(naive, { workers: 0, runDir: freshDir(), spillAbove: 0 });
    expect(r.memory!.spilled).toBe(true);
    expect(essence(r)).toEqual(essence(mem));
    expect(r.violation!.trace).toHaveLength(13);
  }, 120_000);

  it('symmetry and liveness on a spilled run: the counts and verdicts of the run in memory', async () => {
    const sym = join(specs, 'paxos-symmetry.cfg');
    const overrides = [parseConstantOverride('MaxBallot=1')];
    const symMem = await checkSpec(sym, { workers: 0, overrides });
    const symSpilled = await checkSpec(sym, { workers: 0, overrides, runDir: freshDir(), spillAbove: 0 });
    expect(symSpilled.memory!.spilled).toBe(true);
    expect(essence(symSpilled)).toEqual(essence(symMem));
    const live = join(specs, 'paxos-liveness-unfair.cfg');
    const liveMem = await checkSpec(live, { workers: 0 });
    const liveSpilled = await checkSpec(live, { workers: 0, runDir: freshDir(), spillAbove: 0 });
    expect(liveSpilled.memory!.spilled).toBe(true);
    expect(liveSpilled.violation?.name).toBe('EventuallyChosen');
    expect(essence(liveSpilled)).toEqual(essence(liveMem));
    // Its graph lives in memory only: a checkpoint is refused, with the reason.
    await expectCode(checkSpec(live, { workers: 0, runDir: freshDir(), checkpointMinutes: 0 }), 'USAGE');
  }, 120_000);
});

describe('checkpoints and resuming', () => {
  it('stopped at a level boundary (--max-depth with --checkpoint), resumed: exactly the uninterrupted run', async () => {
    const mem = await naiveInMemory();
    const dir = freshDir();
    const first = await checkSpec(naive, { workers: 0, runDir: dir, checkpointMinutes: 0, bounds: { maxDepth: 8 } });
    expect(first.status).toBe('bounded');
    expect(first.resumePoint).toMatchObject({ dir, level: 8 });
    const loaded = readCheckpoint(new RunDir(dir));
    expect(loaded.checkpoint.pending.length).toBeGreaterThan(0);
    expect(loaded.checkpoint.next).toEqual([]);
    const rest = await checkSpec(naive, { workers: 0, resume: loaded });
    expect(rest.resumed).toMatchObject({ level: 8, distinctStates: first.distinctStates });
    expect(essence(rest)).toEqual(essence(mem));
  }, 120_000);

  it('stopped inside a level (--max-states), resumed with 2 workers: the same counts, depth and verdict', async () => {
    const mem = await naiveInMemory();
    const dir = freshDir();
    const first = await checkSpec(naive, { workers: 0, runDir: dir, checkpointMinutes: 60, bounds: { maxStates: 20_000 } });
    expect(first.status).toBe('bounded');
    const loaded = readCheckpoint(new RunDir(dir));
    // Inside its level: part of the level is still to expand and the next one has begun.
    expect(loaded.checkpoint.pending.length).toBeGreaterThan(0);
    expect(loaded.checkpoint.next.length).toBeGreaterThan(0);
    const rest = await checkSpec(naive, { workers: 2, resume: loaded });
    expect([rest.status, rest.distinctStates, rest.statesGenerated, rest.depth]).toEqual([mem.status, mem.distinctStates, mem.statesGenerated, mem.depth]);
    expect(rest.violation!.name).toBe('Agreement');
    expect(rest.violation!.trace).toHaveLength(13);
  }, 120_000);

  it('a run that cannot go on within its budget stops cleanly with a resume point, and resuming it ends as in memory', async () => {
    const mem = await naiveInMemory();
    const dir = freshDir();
    // A budget below what the process already uses: it stops at the first check, with what it found.
    const first = await checkSpec(naive, { workers: 0, runDir: dir, memoryBudget: 16 * 2 ** 20 });
    expect(first.status).toBe('memory');
    expect(first.memoryStop).toMatch(/budget of 16\.0 MiB/);
    expect(first.distinctStates).toBeGreaterThan(0);
    expect(first.resumePoint?.dir).toBe(dir);
    const rest = await checkSpec(naive, { workers: 0, resume: readCheckpoint(new RunDir(dir)) });
    expect(essence(rest)).toEqual(essence(mem));
  }, 120_000);

  it('a damaged checkpoint is an error naming the file, never a wrong count', async () => {
    const dir = freshDir();
    await checkSpec(naive, { workers: 0, runDir: dir, checkpointMinutes: 0, bounds: { maxDepth: 9 } });
    const pristine = new Map(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f))]));
    const restore = () => {
      for (const [f, b] of pristine) writeFileSync(join(dir, f), b);
    };
    const flip = (file: string, at: (len: number) => number) => {
      const b = Buffer.from(pristine.get(file)!);
      b[at(b.length)]! ^= 0x40;
      writeFileSync(join(dir, file), b);
    };
    // The seen table: checked as the checkpoint is read.
    flip('seen.bin', (n) => n - 3);
    let e = await expectCode(Promise.resolve().then(() => readCheckpoint(new RunDir(dir))), 'CHECKPOINT_INVALID');
    expect(e.where).toBe(join(dir, 'seen.bin'));
    restore();
    // The frontier: a record's checksum, checked as the resumed run reads it back.
    const frontier = [...pristine.keys()].find((f) => f.startsWith('frontier-'))!;
    flip(frontier, (n) => n - 5);
    const r = await checkSpec(naive, { workers: 0, resume: readCheckpoint(new RunDir(dir)) });
    expect(r.status).toBe('error');
    expect(r.failure!.code).toBe('CHECKPOINT_INVALID');
    expect(r.failure!.where).toBe(join(dir, frontier));
    restore();
    // The meta file: cut short.
    writeFileSync(join(dir, 'checkpoint.json'), pristine.get('checkpoint.json')!.subarray(0, 100));
    e = await expectCode(Promise.resolve().then(() => readCheckpoint(new RunDir(dir))), 'CHECKPOINT_INVALID');
    expect(e.where).toBe(join(dir, 'checkpoint.json'));
    restore();
    // A parent log file cut short: the checkpoint names a length the file no longer has.
    const log = [...pristine.keys()].find((f) => f.startsWith('log-'))!;
    writeFileSync(join(dir, log), pristine.get(log)!.subarray(0, 8));
    e = await expectCode(Promise.resolve().then(() => readCheckpoint(new RunDir(dir))), 'CHECKPOINT_INVALID');
    expect(e.where).toBe(join(dir, log));
    restore();
    // Intact again, it resumes.
    const ok = await checkSpec(naive, { workers: 0, resume: readCheckpoint(new RunDir(dir)) });
    expect(essence(ok)).toEqual(essence(await naiveInMemory()));
  }, 120_000);

  it('resuming with other constants, or after the model changed, is refused', async () => {
    const dir = freshDir();
    await checkSpec(naive, { workers: 0, runDir: dir, checkpointMinutes: 0, bounds: { maxDepth: 5 } });
    await expectCode(checkSpec(naive, { workers: 0, resume: readCheckpoint(new RunDir(dir)), overrides: [parseConstantOverride('MaxBallot=1')] }), 'RESUME_MISMATCH');

    // A model of the user's own, next to its spec, edited after the checkpoint.
    const own = mkdtempSync(join(fileURLToPath(new URL('../../out/', import.meta.url)), '.checkpoint-test-'));
    afterAllDirs.push(own);
    const modelTs = fileURLToPath(new URL('../model/model.ts', import.meta.url));
    const source = `import { defineModel } from ${JSON.stringify(modelTs)};
export default defineModel({
  name: 'count-to-twenty',
  constants: {},
  build: () => ({ init: [0], actions: { Inc: { step: (x: number) => (x < 20 ? x + 1 : undefined) } }, invariants: { Small: (x: number) => x <= 20 } }),
});
`;
    writeFileSync(join(own, 'count.ts'), source);
    const spec = join(own, 'count.cfg');
    writeFileSync(spec, `MODEL ${join(own, 'count.ts')}\nINVARIANT Small\nCHECK_DEADLOCK FALSE\n`);
    const d2 = freshDir();
    const first = await checkSpec(spec, { workers: 0, runDir: d2, checkpointMinutes: 0, bounds: { maxDepth: 2 } });
    expect(first.status).toBe('bounded');
    writeFileSync(join(own, 'count.ts'), source.replace('x < 20', 'x < 21'));
    const e = await expectCode(checkSpec(spec, { workers: 0, resume: readCheckpoint(new RunDir(d2)) }), 'RESUME_MISMATCH');
    expect(e.message).toMatch(/model's code changed/);
  }, 120_000);
});
