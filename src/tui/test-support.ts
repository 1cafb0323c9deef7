// Helpers for the screen tests: fixtures built from the real models, fake terminal streams and
// polling. Not used by the screens themselves.
import { EventEmitter } from 'node:events';
import { CompiledModel } from '../engine/compiled-model.js';
import { checkModel } from '../engine/index.js';
import { defineModel } from '../model/model.js';
import { buildTraceFile, type TraceFile } from '../trace/trace-file.js';
import paxosNaive from '../../models/paxos-naive.js';
import twoPhaseCommit from '../../models/two-phase-commit.js';

export const PAXOS_CONSTANTS = { Acceptor: ['a1', 'a2', 'a3'], Value: ['v1', 'v2'], MaxBallot: 2 };

/** The shortest Agreement violation of the naive Paxos (13 states), as `quorum check` writes it. */
export async function paxosNaiveTrace(): Promise<TraceFile> {
  const r = await checkModel(paxosNaive, { constants: PAXOS_CONSTANTS, invariants: ['Agreement'], workers: 0 });
  if (!r.violation) throw new Error('expected paxos-naive to violate Agreement');
  return buildTraceFile(r.compiled as CompiledModel<unknown>, { kind: r.violation.kind, name: r.violation.name }, r.violation.trace, {
    spec: 'specs/paxos-naive.cfg',
    constants: PAXOS_CONSTANTS,
  });
}

export function twoPhaseModel(rms = ['r1', 'r2', 'r3'], invariants = ['Consistent', 'TypeOK']): CompiledModel<unknown> {
  return new CompiledModel(twoPhaseCommit, twoPhaseCommit.build({ RM: rms } as never), { invariants }) as CompiledModel<unknown>;
}

export function paxosNaiveModel(maxBallot = 1): CompiledModel<unknown> {
  const k = { ...PAXOS_CONSTANTS, MaxBallot: maxBallot };
  return new CompiledModel(paxosNaive, paxosNaive.build(k as never), { invariants: ['Agreement'] }) as CompiledModel<unknown>;
}

/** x counts up from 0 (or 10) to 12; CONSTRAINT x < 3 as in TLC's documented example; Stay is a
 * stuttering step at 1 that the action constraint forbids. */
const counter = defineModel({
  name: 'counter',
  constants: {},
  build: () => ({
    init: [0, 10],
    actions: {
      Inc: { step: (x: number) => (x < 12 ? x + 1 : undefined) },
      Stay: { step: (x: number) => (x === 1 ? x : undefined) },
    },
    invariants: { Small: (x: number) => x < 3, Tiny: (x: number) => x < 4 },
    constraints: { Bounded: (x: number) => x < 3 },
    actionConstraints: { NoStay: (x: number, y: number) => x !== y },
  }),
});

export function counterModel(invariants: string[] = []): CompiledModel<unknown> {
  return new CompiledModel(counter, counter.build({} as never), { invariants, constraints: ['Bounded'], actionConstraints: ['NoStay'] }) as CompiledModel<unknown>;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls until `f` returns true (or throws with the last value it saw). */
export async function waitFor(f: () => boolean, what: string | (() => string), timeoutMs = 4000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!f()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await sleep(10);
  }
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001B\[[0-?]*[ -/]*[@-~]|\u001B\][^\u0007]*\u0007|\u001B[()][AB0-2]|\u001B[=>78]/g;
export const stripAnsi = (s: string) => s.replace(ANSI, '');

/** A stand-in for process.stdout: records what is written. */
export class FakeStdout extends EventEmitter {
  readonly chunks: string[] = [];
  isTTY = false;
  constructor(
    readonly columns = 100,
    readonly rows = 40,
  ) {
    super();
  }
  write = (s: string | Uint8Array, cb?: unknown): boolean => {
    this.chunks.push(typeof s === 'string' ? s : Buffer.from(s).toString('utf8'));
    if (typeof cb === 'function') (cb as () => void)();
    return true;
  };
  text(): string {
    return stripAnsi(this.chunks.join(''));
  }
}

/** A stand-in for process.stdin that Ink can read keys from. */
export class FakeStdin extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  write(data: string): void {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  }
  read = (): string | null => {
    const d = this.data;
    this.data = null;
    return d;
  };
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}

export const KEYS = {
  up: '\u001B[A',
  down: '\u001B[B',
  enter: '\r',
  tab: '\t',
  escape: '\u001B',
  backspace: '\u007F',
} as const;
