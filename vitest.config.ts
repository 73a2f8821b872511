import { defineConfig } from 'vitest/config';

// Two projects: `unit` holds the pure modules' colocated tests (no database, no network);
// `integration` drives the server against a real database. The integration project is run
// once per driver by scripts/test.mjs (PGlite, then PostgreSQL via DATABASE_URL); the imaging-heavy
// files that test nothing database-specific run on PGlite only (test/integration/drivers.mjs says
// which, and why).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{analysis,imaging,server,models,cli,db}/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
        },
      },
      {
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
