// Test settings. `npm test` passes this file to vitest: the top level of the repository holds only
// package.json, tsconfig.json and the folders.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'models/**/*.test.ts'],
    // The reference-count tests explore hundreds of thousands of states.
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Ink renders only the final frame when it believes it runs on CI; the component tests read
    // intermediate frames (is-in-ci treats CI=false as not CI; so does quorum).
    env: { CI: 'false' },
  },
});
