import type { Database } from '../../db/client';
import { claimJob, completeJob, failJob, heartbeatJob, type JobRow } from './queue';
import { sleep } from './sleep';

/** Thrown by a handler for failures a retry cannot fix (bad input): the job fails at once. */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentJobError';
  }
}

export interface JobContext {
  readonly job: JobRow;
  /** Records progress (e.g. tiles done / total) and extends the lease. */
  reportProgress(done: number, total: number): Promise<void>;
}

export type JobHandler = (ctx: JobContext) => Promise<unknown>;

export interface WorkerOptions {
  readonly db: Database;
  readonly workerId: string;
  readonly handlers: Readonly<Record<string, JobHandler>>;
  readonly leaseSeconds?: number;
  readonly pollMs?: number;
  readonly signal?: AbortSignal;
  readonly log?: (line: string) => void;
}

/**
 * Runs jobs until `signal` aborts: claim, run the kind's handler with a heartbeat that keeps the
 * lease alive, then complete or fail. Returns the number of jobs it finished.
 */
export async function runWorker(options: WorkerOptions): Promise<number> {
  const { db, workerId, handlers, signal } = options;
  const leaseSeconds = options.leaseSeconds ?? 60;
  const pollMs = options.pollMs ?? 1000;
  const log = options.log ?? ((line: string) => console.log(`[worker ${workerId}] ${line}`));
  let finished = 0;
  while (!signal?.aborted) {
    let job: JobRow | null;
    try {
      job = await claimJob(db, { workerId, kinds: Object.keys(handlers), leaseSeconds });
    } catch (error) {
      // A database outage must not end the loop for good: wait and claim again once it is back.
      log(`cannot claim jobs (${error instanceof Error ? error.message : String(error)}); retrying in ${pollMs} ms`);
      await sleep(pollMs, signal);
      continue;
    }
    if (!job) {
      await sleep(pollMs, signal);
      continue;
    }
    await runOne(job);
    finished++;
  }
  return finished;

  async function runOne(job: JobRow): Promise<void> {
    const handler = handlers[job.kind];
    if (!handler) throw new Error(`no handler for ${job.kind}`);
    const beat = setInterval(() => void heartbeatJob(db, { jobId: job.id, workerId, leaseSeconds }).catch(() => {}), (leaseSeconds * 1000) / 3);
    try {
      // A missed progress write is harmless (the timer extends the lease too); a rejected one must
      // not become an unhandled rejection, which would end the whole process.
      const reportProgress = (done: number, total: number) =>
        heartbeatJob(db, { jobId: job.id, workerId, leaseSeconds, done, total }).then(
          () => {},
          () => {},
        );
      const result = await handler({ job, reportProgress });
      await completeJob(db, { jobId: job.id, workerId, result: result ?? null });
      log(`${job.kind} ${job.key} done`);
    } catch (error) {
      const permanent = error instanceof PermanentJobError;
      // If the failure cannot be recorded either (database down), the lease runs out and another
      // claim retries the job: at-least-once, and the handlers are idempotent.
      const outcome = await failJob(db, { jobId: job.id, workerId, error: error instanceof Error ? error.message : String(error), permanent }).catch(() => 'unrecorded');
      log(`${job.kind} ${job.key} ${outcome}: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      clearInterval(beat);
    }
  }
}
