import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/client';
import { freePort } from '../../scripts/lib/postgres-server.mjs';
import { startAppServer, type AppServer } from './support/app-server';
import { checkInvariants } from './support/check-invariants';
import { formatRoutes, serverErrorCounts, startWorkload } from './support/run-workload';
import { createScratchDatabase, type ScratchDatabase } from './support/scratch-database';

/** Seconds of load in CI; bench/load runs the same workload for 60 s. */
const SECONDS = Number(process.env.RELIABILITY_LOAD_SECONDS ?? 12);

let database: ScratchDatabase;
let server: AppServer;
let db: DatabaseHandle;
beforeAll(async () => {
  database = await createScratchDatabase();
  server = await startAppServer({ port: await freePort(), database: { url: database.url }, storageRoot: mkdtempSync(path.join(os.tmpdir(), 'segtrial-rel-load-')) });
  db = await database.open();
});
afterAll(async () => {
  await server?.kill('SIGTERM');
  await database?.drop();
});

describe('mixed load on the production build and PostgreSQL', () => {
  it(`50 clients for ${SECONDS} s: no 5xx, no connection error, every invariant holds afterwards`, async () => {
    const result = await startWorkload({ url: server.url, durationSeconds: SECONDS, connections: 50 }).done;
    console.log(`load, 50 connections, ${result.seconds.toFixed(1)} s:\n${formatRoutes(result)}`);
    expect(serverErrorCounts(result), JSON.stringify(result.serverErrors.slice(0, 3))).toEqual({});
    expect(result.groups.map((g) => [g.group, g.errors, g.timeouts])).toEqual(result.groups.map((g) => [g.group, 0, 0]));
    for (const route of ['auth.login', 'participants.enroll', 'participants.randomize', 'participants.list', 'trials.balance', 'admin.auditTrail', 'trials.list']) {
      expect(result.routes[route]?.statuses['200'], `${route} answered 200 at least once`).toBeGreaterThan(0);
    }
    const report = await checkInvariants(db.db, result.acks);
    expect(report.violations).toEqual([]);
    // Requests still in flight when the clients stop may have committed without being acknowledged.
    expect(report.allocations).toBeGreaterThanOrEqual(result.acks.randomized.length);
    expect(report.allocations).toBeLessThanOrEqual(result.acks.randomized.length + 50);
    expect(report.participants).toBeGreaterThanOrEqual(result.acks.enrolled.length);
    expect(report.participants).toBeLessThanOrEqual(result.acks.enrolled.length + 50);
  });
});
