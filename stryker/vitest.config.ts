import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The tests Stryker runs against each mutant: those of the slice being mutated (set by
 * stryker.config.mjs in AFIN_MUTATE_TESTS), so a slice does not wait for the whole suite.
 */
const tests = (process.env.AFIN_MUTATE_TESTS ?? '').split(',').filter(Boolean);

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('..', import.meta.url)),
    include: tests.length > 0 ? tests : ['test/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'test/web/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
