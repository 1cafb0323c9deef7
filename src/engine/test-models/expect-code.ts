// Asserts that f throws a QuorumError with the given code; returns it for further checks.
import { expect } from 'vitest';
import { QuorumError } from '../../model/errors.js';

export function expectCode(f: () => unknown, code: string): QuorumError {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(QuorumError);
  expect((err as QuorumError).code).toBe(code);
  return err as QuorumError;
}
