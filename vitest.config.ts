import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** `@/x` is the repository's `x` (tsconfig.json's paths): every project resolves it. */
export const resolve = { alias: [{ find: /^@\//, replacement: fileURLToPath(new URL('./', import.meta.url)) }] };

// Two projects: `unit` holds the pure modules' colocated tests (no database, no network);
// `integration` drives the server against a real database. The integration project is run
// once per driver by scripts/test.mjs (PGlite, then PostgreSQL via DATABASE_URL); the imaging-heavy
// files that test nothing database-specific run on PGlite only (test/integration/drivers.mjs says
// which, and why).
export default defineConfig({
  test: {
    projects: [
      {
        resolve,
        test: {
          name: 'unit',
          include: ['{analysis,imaging,server,models,cli,db}/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
        },
      },
      {
        resolve,
        test: {
          // Concurrency and crash tests: real PostgreSQL only (DATABASE_URL set by scripts/test.mjs).
          name: 'postgres',
          include: ['test/postgres/**/*.test.ts'],
          environment: 'node',
          testTimeout: 300_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
      {
        resolve,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 180_000,
          // One database per file; files run one after another to keep a 2-core machine responsive.
          fileParallelism: false,
        },
      },
    ],
  },
});
