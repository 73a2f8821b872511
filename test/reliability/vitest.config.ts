import { defineConfig } from 'vitest/config';
import { resolve } from '../../vitest.config';

// The reliability suite (docs/reliability.md): the production build under load, crashes, database
// outages, a killed inference worker, hostile input. Each file starts its own app server processes,
// so files run one after another; `npm test -- --only reliability` runs it with a PostgreSQL server.
export default defineConfig({
  resolve,
  test: {
    name: 'reliability',
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/reliability/**/*.test.ts'],
    environment: 'node',
    testTimeout: 600_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
