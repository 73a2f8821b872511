import { and, eq, sql } from 'drizzle-orm';
import type { Database, DbOrTx } from '../../db/client';
import { jobs } from '../../db/schema';

export type JobRow = typeof jobs.$inferSelect;

/**
 * A small durable queue in our own schema, the same code on PGlite and PostgreSQL.
 *
 * Why not pg-boss or graphile-worker: both need a `pg` socket connection and cannot run over the
 * embedded PGlite database, and pg-boss 12 / graphile-worker 0.18 need Node 22. One code path on both
 * drivers keeps the embedded default honest. The semantics are the usual ones: at-least-once
 * delivery with leases, idempotent enqueue by key, bounded retries with backoff, progress columns.
 * Handlers must be idempotent (inference writes its result under a unique key, so a retried job
 * produces exactly one result).
 */
export async function enqueueJob(db: DbOrTx, job: { kind: string; key: string; payload: unknown; maxAttempts?: number }): Promise<{ id: string; created: boolean }> {
  const [created] = await db
    .insert(jobs)
    .values({ kind: job.kind, key: job.key, payload: job.payload, maxAttempts: job.maxAttempts ?? 3 })
    .onConflictDoNothing({ target: jobs.key })
    .returning({ id: jobs.id });
  if (created) return { id: created.id, created: true };
  const [existing] = await db.select({ id: jobs.id }).from(jobs).where(eq(jobs.key, job.key));
  if (!existing) throw new Error(`job ${job.key} neither inserted nor found`);
  return { id: existing.id, created: false };
}

/**
 * Claims the oldest runnable job of `kinds`: queued and due, or running with an expired lease (its
 * worker died). SKIP LOCKED lets many workers claim concurrently without blocking each other.
 */
export async function claimJob(db: Database, { workerId, kinds, leaseSeconds }: { workerId: string; kinds: readonly string[]; leaseSeconds: number }): Promise<JobRow | null> {
  const kindList = sql.join(
    kinds.map((k) => sql`${k}`),
    sql`, `,
  );
  const result = await db.execute<{ id: string }>(sql`
    update jobs set status = 'running', attempts = attempts + 1, locked_by = ${workerId},
      lease_until = now() + make_interval(secs => ${leaseSeconds})
    where id = (
      select id from jobs
      where kind in (${kindList})
        and ((status = 'queued' and run_after <= now()) or (status = 'running' and lease_until < now()))
      order by run_after, created_at
      for update skip locked
      limit 1
    )
    returning id`);
  const rows = (Array.isArray(result) ? result : (result as { rows: { id: string }[] }).rows) as { id: string }[];
  const id = rows[0]?.id;
  if (!id) return null;
  const [job] = await db.select().from(jobs).where(eq(jobs.id, id));
  return job ?? null;
}

/** Extends the lease and records progress; false when the job is no longer this worker's. */
export async function heartbeatJob(
  db: Database,
  { jobId, workerId, leaseSeconds, done, total }: { jobId: string; workerId: string; leaseSeconds: number; done?: number; total?: number },
): Promise<boolean> {
  const updated = await db
    .update(jobs)
    .set({
      leaseUntil: sql`now() + make_interval(secs => ${leaseSeconds})`,
      ...(done !== undefined ? { progressDone: done } : {}),
      ...(total !== undefined ? { progressTotal: total } : {}),
    })
    .where(and(eq(jobs.id, jobId), eq(jobs.lockedBy, workerId), eq(jobs.status, 'running')))
    .returning({ id: jobs.id });
  return updated.length > 0;
}

export async function completeJob(db: DbOrTx, { jobId, workerId, result }: { jobId: string; workerId: string; result: unknown }): Promise<boolean> {
  const updated = await db
    .update(jobs)
    .set({ status: 'succeeded', result, finishedAt: new Date(), leaseUntil: null, progressDone: sql`greatest(${jobs.progressDone}, ${jobs.progressTotal})` })
    .where(and(eq(jobs.id, jobId), eq(jobs.lockedBy, workerId), eq(jobs.status, 'running')))
    .returning({ id: jobs.id });
  return updated.length > 0;
}

/**
 * Records a failure: transient ones go back to the queue with exponential backoff until
 * maxAttempts; permanent ones (or the last attempt) fail the job with the reason.
 */
export async function failJob(db: Database, { jobId, workerId, error, permanent }: { jobId: string; workerId: string; error: string; permanent: boolean }): Promise<'retry' | 'failed' | 'lost'> {
  const [job] = await db
    .select()
    .from(jobs)
    .where(and(eq(jobs.id, jobId), eq(jobs.lockedBy, workerId), eq(jobs.status, 'running')));
  if (!job) return 'lost';
  if (permanent || job.attempts >= job.maxAttempts) {
    await db
      .update(jobs)
      .set({ status: 'failed', lastError: error.slice(0, 2000), finishedAt: new Date(), leaseUntil: null })
      .where(eq(jobs.id, jobId));
    return 'failed';
  }
  const backoffSeconds = Math.min(300, 2 ** job.attempts);
  await db
    .update(jobs)
    .set({ status: 'queued', lastError: error.slice(0, 2000), lockedBy: null, leaseUntil: null, runAfter: sql`now() + make_interval(secs => ${backoffSeconds})` })
    .where(eq(jobs.id, jobId));
  return 'retry';
}
