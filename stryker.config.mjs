// Mutation testing of Afín's core, one slice at a time: `npm run mutate -- --mutate 'src/keys/**'`
// (any slice's glob below), or `npm run mutate` for every slice (slow). Each slice keeps its own
// incremental file, so a second run only retries mutants whose code or tests changed. While others
// edit the tree, run it through `sh stryker/snapshot.sh --mutate '…'` (a private copy of the tree).
// Not part of `npm test`. See README, "Mutation testing".
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Each slice: what is mutated, and the tests that guard it (run against every mutant). */
export const SLICES = {
  keys: {
    mutate: ['src/keys/key-service.ts', 'src/keys/user-token.ts', 'src/keys/workspace-secret.ts'],
    // Service-level tests only: the HTTP ones (test/keys/*.test.ts, test/server/auth.test.ts) cost ~30 s a mutant.
    tests: ['test/keys/key-service.test.ts', 'test/keys/tokens-unit.test.ts'],
  },
  ingest: {
    // routes.ts is left out: only the HTTP tests (test/server/ingest*.test.ts) reach it, at ~30 s a
    // mutant. Subject naming (anonSubject) moved from src/ingest/identity.ts to src/domain/subjects.ts.
    mutate: ['src/ingest/ingest-service.ts', 'src/domain/subjects.ts'],
    tests: ['test/ingest/*.test.ts'],
  },
  privacy: {
    mutate: ['src/privacy/consent.ts', 'src/privacy/privacy-service.ts', 'src/privacy/suppression.ts'],
    // Service-level tests; test/privacy/{consent,erasure,suppression-writes}.test.ts go through HTTP.
    tests: ['test/privacy/consent-service.test.ts', 'test/privacy/privacy-service.test.ts', 'test/privacy/suppression-list.test.ts'],
  },
  store: {
    mutate: ['src/store/sqlite/sqlite-store.ts', 'src/store/postgres/postgres-store.ts'],
    // The PostgreSQL tests need AFIN_TEST_DATABASE_URL: without it they are skipped and every
    // PostgreSQL mutant counts as not covered. caching-store.test.ts is left out: it tests the wrapper.
    tests: [
      'test/store/sqlite-specifics.test.ts',
      'test/store/sqlite.test.ts',
      'test/store/sqlite-profile-cache.test.ts',
      'test/store/postgres.test.ts',
      'test/store/postgres-consent-reads.test.ts',
      'test/store/link-identities-order.test.ts',
      'test/store/ingest-wal-sync.test.ts',
      'test/store/*-mutation.test.ts',
    ],
  },
  recommend: {
    mutate: ['src/recommend/pipeline/**/*.ts'],
    // Pure-function tests only. Left out: test/recommend/pipeline/stages.test.ts, served-defaults.test.ts
    // and test/server/recommend.test.ts, which train and serve through HTTP (5-8 s a mutant, and they
    // cover every line of the slice).
    // One glob an entry and no {a,b} globs: the list reaches the test runners joined by commas.
    tests: [
      'test/recommend/pipeline/history.test.ts',
      'test/recommend/pipeline/score-page.test.ts',
      'test/recommend/pipeline/shape.test.ts',
      'test/recommend/pipeline/*-mutation.test.ts',
      'test/recommend/pipeline-*.test.ts',
    ],
  },
  catalog: {
    mutate: ['src/converse/catalog-search.ts'],
    // grounding-rest.test.ts also reaches the topic narrowing; its linear-time check compares two runs
    // of the same moment (no absolute bound since 79e08d8), so a loaded machine no longer fails it.
    tests: ['test/converse/catalog-search-mutation.test.ts', 'test/converse/grounding-rest.test.ts'],
  },
  nlu: {
    mutate: ['src/converse/nlu/**/*.ts'],
    // Fast tests only: the assistant's HTTP tests (assistant, chat-privacy, long-input) and the frozen
    // eval in grounding.test.ts (15 s) would run against nearly every mutant.
    tests: ['test/converse/nlu/*.test.ts', 'test/converse/*-mutation.test.ts'],
  },
  form: {
    mutate: ['src/converse/turn/form.ts'],
    // The form's own unit tests; the assistant's HTTP tests reach it too, at ~30 s a mutant.
    tests: ['test/converse/form.test.ts'],
  },
};

/** The slices a `--mutate` argument names (by the start of their globs), else all of them. */
function chosenSlices(argv) {
  const i = argv.findIndex((a) => a === '--mutate' || a === '-m' || a.startsWith('--mutate='));
  if (i < 0) return Object.keys(SLICES);
  const arg = argv[i].startsWith('--mutate=') ? argv[i].slice('--mutate='.length) : (argv[i + 1] ?? '');
  const asked = arg.split(',').map((g) => g.replace(/[*{].*$/, '').replace(/\/$/, ''));
  const hit = Object.keys(SLICES).filter((name) =>
    SLICES[name].mutate.some((g) => asked.some((a) => g.startsWith(a) || a.startsWith(g.replace(/[*{].*$/, '').replace(/\/$/, '')))),
  );
  return hit.length > 0 ? hit : Object.keys(SLICES);
}

/**
 * A tsconfig for the TypeScript checker that compiles the slice's tests and mutated files (and what
 * they import) rather than the whole project, so a type error elsewhere in the tree (work in progress,
 * or a construct TypeScript 5.9 reads differently from 7) no longer stops the run. The cost: a mutant
 * that only breaks the types of a caller outside the slice is tested rather than set aside as a
 * CompileError.
 */
function sliceTsconfig(tag, files) {
  mkdirSync('reports/mutation', { recursive: true });
  const file = `reports/mutation/tsconfig.${tag}.json`;
  writeFileSync(file, `${JSON.stringify({ extends: '../../tsconfig.json', include: files.map((f) => `../../${f}`) }, null, 2)}\n`);
  return file;
}

const slices = chosenSlices(process.argv);
const tag = slices.length === Object.keys(SLICES).length ? 'all' : slices.join('+');
// Read by stryker/vitest.config.ts in the test-runner processes, which inherit this environment.
process.env.AFIN_MUTATE_RECORD ??= `reports/mutation/${tag}.record.jsonl`;
process.env.AFIN_MUTATE_TESTS = [...new Set(slices.flatMap((s) => SLICES[s].tests))].join(',');
process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --import ${fileURLToPath(new URL('./stryker/typescript-5.mjs', import.meta.url))}`.trim();

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'stryker/vitest.config.ts', related: false },
  checkers: slices.some((s) => SLICES[s].checker === false) ? [] : ['typescript'],
  tsconfigFile: sliceTsconfig(
    tag,
    slices.flatMap((s) => [...SLICES[s].mutate, ...SLICES[s].tests]),
  ),
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  mutate: slices.flatMap((s) => SLICES[s].mutate),
  // Two cores shared with other work: one test runner, one checker.
  concurrency: 1,
  coverageAnalysis: 'perTest',
  // Module-level constants would need every test re-run per mutant; they are covered by the rest.
  ignoreStatic: true,
  incremental: true,
  incrementalFile: `reports/mutation/${tag}.incremental.json`,
  // `record` (stryker/record-reporter.mjs) writes each result as it comes, for runs stopped early.
  appendPlugins: [fileURLToPath(new URL('./stryker/record-reporter.mjs', import.meta.url))],
  reporters: ['clear-text', 'progress', 'html', 'json', 'record'],
  htmlReporter: { fileName: `reports/mutation/${tag}.html` },
  jsonReporter: { fileName: `reports/mutation/${tag}.json` },
  thresholds: { high: 90, low: 80, break: null },
  timeoutMS: 20_000,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  ignorePatterns: ['reports', '.tmp', 'data', 'web'],
};
