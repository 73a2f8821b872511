import type { Database } from '../../db/client';
import { claimJob, completeJob, failJob, heartbeatJob, type JobRow } from './queue';

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
    const job = await claimJob(db, { workerId, kinds: Object.keys(handlers), leaseSeconds });
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
      const result = await handler({ job, reportProgress: async (done, total) => void (await heartbeatJob(db, { jobId: job.id, workerId, leaseSeconds, done, total })) });
      await completeJob(db, { jobId: job.id, workerId, result: result ?? null });
      log(`${job.kind} ${job.key} done`);
    } catch (error) {
      const permanent = error instanceof PermanentJobError;
      const outcome = await failJob(db, { jobId: job.id, workerId, error: error instanceof Error ? error.message : String(error), permanent });
      log(`${job.kind} ${job.key} ${outcome}: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      clearInterval(beat);
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
