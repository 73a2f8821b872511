import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobs } from '../../db/schema';
import { claimJob, completeJob, enqueueJob, failJob } from '../../server/jobs/queue';
import { PermanentJobError, runWorker } from '../../server/jobs/worker';
import { openTestDatabase, TEST_DRIVER } from './support/test-database';

let handle: Awaited<ReturnType<typeof openTestDatabase>>;
beforeAll(async () => {
  handle = await openTestDatabase();
});
afterAll(() => handle.close());

describe(`job queue (${TEST_DRIVER})`, () => {
  it('enqueues idempotently by key', async () => {
    const a = await enqueueJob(handle.db, { kind: 'k1', key: 'study-1/model-1', payload: { n: 1 } });
    const b = await enqueueJob(handle.db, { kind: 'k1', key: 'study-1/model-1', payload: { n: 2 } });
    expect(a.created).toBe(true);
    expect(b).toEqual({ id: a.id, created: false });
  });

  it('hands each job to one worker, and to another once the first lease expires', async () => {
    await enqueueJob(handle.db, { kind: 'k2', key: 'lease-1', payload: {} });
    const first = await claimJob(handle.db, { workerId: 'w1', kinds: ['k2'], leaseSeconds: 60 });
    expect(first?.key).toBe('lease-1');
    expect(await claimJob(handle.db, { workerId: 'w2', kinds: ['k2'], leaseSeconds: 60 })).toBeNull();
    // The first worker "dies": its lease runs out.
    await handle.db
      .update(jobs)
      .set({ leaseUntil: sql`now() - interval '1 second'` })
      .where(eq(jobs.id, first!.id));
    const second = await claimJob(handle.db, { workerId: 'w2', kinds: ['k2'], leaseSeconds: 60 });
    expect(second).toMatchObject({ id: first!.id, attempts: 2, lockedBy: 'w2' });
    expect(await completeJob(handle.db, { jobId: first!.id, workerId: 'w1', result: 'late' })).toBe(false); // the dead worker cannot complete it
    expect(await completeJob(handle.db, { jobId: first!.id, workerId: 'w2', result: 'ok' })).toBe(true);
  });

  it('retries transient failures with backoff and fails permanently after maxAttempts', async () => {
    const { id } = await enqueueJob(handle.db, { kind: 'k3', key: 'retry-1', payload: {}, maxAttempts: 2 });
    await claimJob(handle.db, { workerId: 'w', kinds: ['k3'], leaseSeconds: 60 });
    expect(await failJob(handle.db, { jobId: id, workerId: 'w', error: 'GPU busy', permanent: false })).toBe('retry');
    expect(await claimJob(handle.db, { workerId: 'w', kinds: ['k3'], leaseSeconds: 60 })).toBeNull(); // backing off
    await handle.db
      .update(jobs)
      .set({ runAfter: sql`now()` })
      .where(eq(jobs.id, id));
    await claimJob(handle.db, { workerId: 'w', kinds: ['k3'], leaseSeconds: 60 });
    expect(await failJob(handle.db, { jobId: id, workerId: 'w', error: 'GPU busy again', permanent: false })).toBe('failed');
    const [row] = await handle.db.select().from(jobs).where(eq(jobs.id, id));
    expect(row).toMatchObject({ status: 'failed', lastError: 'GPU busy again', attempts: 2 });
  });

  it('runs handlers with progress, and fails bad input at once', async () => {
    await enqueueJob(handle.db, { kind: 'k4', key: 'ok-1', payload: { tiles: 3 } });
    await enqueueJob(handle.db, { kind: 'k4', key: 'bad-1', payload: { tiles: -1 } });
    const controller = new AbortController();
    let finished = 0;
    const worker = runWorker({
      db: handle.db,
      workerId: 'wk',
      pollMs: 20,
      signal: controller.signal,
      log: () => {},
      handlers: {
        k4: async ({ job, reportProgress }) => {
          const tiles = (job.payload as { tiles: number }).tiles;
          if (tiles < 0) throw new PermanentJobError('negative tile count');
          for (let i = 1; i <= tiles; i++) await reportProgress(i, tiles);
          if (++finished === 1) setTimeout(() => controller.abort(), 50);
          return { tiles };
        },
      },
    });
    await worker;
    const rows = await handle.db.select().from(jobs).where(eq(jobs.kind, 'k4'));
    expect(rows.find((r) => r.key === 'ok-1')).toMatchObject({ status: 'succeeded', progressDone: 3, progressTotal: 3, result: { tiles: 3 } });
    expect(rows.find((r) => r.key === 'bad-1')).toMatchObject({ status: 'failed', attempts: 1, lastError: 'negative tile count' });
  });
});
