// Knossos's mutex: acquire is illegal when held, release is illegal when free; starts free.
import type { SequentialSpec } from '../types.js';
import { describeJepsen, type JepsenInput } from './common.js';

export function mutexSpec(initiallyHeld = false): SequentialSpec<boolean, JepsenInput, unknown> {
  return {
    name: 'mutex',
    init: () => initiallyHeld,
    step(held, input) {
      if (input.f === 'acquire') return held ? [] : [true];
      if (input.f === 'release') return held ? [false] : [];
      return [];
    },
    describeOperation: describeJepsen,
    describeState: (held) => (held ? 'held' : 'free'),
    requirement: (input) => (input.f === 'acquire' ? 'free' : input.f === 'release' ? 'held' : undefined),
  };
}
