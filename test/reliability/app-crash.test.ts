import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/client';
import { freePort } from '../../scripts/lib/postgres-server.mjs';
import { startAppServer, type AppServer } from './support/app-server';
import { checkInvariants } from './support/check-invariants';
import { serverErrorCounts, startWorkload } from './support/run-workload';
import { createScratchDatabase, type ScratchDatabase } from './support/scratch-database';
import { RELIABILITY_SEED, seededRandom } from './support/seeded-random';

/** SIGKILL runs (20 in CI: see docs/reliability.md for the time they take). */
const RUNS = Number(process.env.RELIABILITY_CRASH_RUNS ?? 20);

let database: ScratchDatabase;
let db: DatabaseHandle;
let server: AppServer | undefined;
let port: number;
const storageRoot = mkdtempSync(path.join(os.tmpdir(), 'segtrial-rel-crash-'));
const start = () => startAppServer({ port, database: { url: database.url }, storageRoot });

beforeAll(async () => {
  database = await createScratchDatabase();
  port = await freePort();
  server = await start();
  db = await database.open();
});
afterAll(async () => {
  await server?.kill('SIGTERM');
  await database?.drop();
});

describe('the app server killed with SIGKILL under load (PostgreSQL)', () => {
  it(`${RUNS} kills at random moments: every acknowledged write survives, nothing is half-written, invariants hold`, async () => {
    const random = seededRandom(RELIABILITY_SEED);
    const acks = { enrolled: [] as string[], randomized: [] as string[] };
    const runs: string[] = [];
    for (let run = 1; run <= RUNS; run++) {
      // Kill at a random moment once writes are flowing (the first randomization acknowledged).
      const workload = startWorkload({ url: server!.url, durationSeconds: 60, connections: 50 });
      await workload.firstRandomization;
      const killAfterMs = Math.round(random() * 2500);
      await new Promise((r) => setTimeout(r, killAfterMs));
      await server!.kill('SIGKILL');
      await new Promise((r) => setTimeout(r, 200));
      workload.stop();
      const result = await workload.done;
      // Before the kill, the server answered every request without a 5xx.
      expect(serverErrorCounts(result), `run ${run} (seed ${RELIABILITY_SEED}): ${JSON.stringify(result.serverErrors.slice(0, 2))}`).toEqual({});
      acks.enrolled.push(...result.acks.enrolled);
      acks.randomized.push(...result.acks.randomized);
      const restartedAt = performance.now();
      server = await start();
      const restartMs = performance.now() - restartedAt;
      const report = await checkInvariants(db.db, acks);
      expect(report.violations, `run ${run}, killed ${killAfterMs} ms after the first randomization (seed ${RELIABILITY_SEED})`).toEqual([]);
      runs.push(
        `run ${String(run).padStart(2)}: killed after ${String(killAfterMs).padStart(4)} ms, acked ${result.acks.enrolled.length} enrollments + ${result.acks.randomized.length} randomizations; stored ${report.participants} participants, ${report.allocations} allocations; back in ${(restartMs / 1000).toFixed(1)} s`,
      );
    }
    console.log(`SIGKILL runs (seed ${RELIABILITY_SEED}):\n${runs.join('\n')}`);
    expect(acks.randomized.length).toBeGreaterThan(RUNS); // the kills really landed among writes
  });
});
