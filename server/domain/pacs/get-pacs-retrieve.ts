import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { jobs } from '@/db/schema';
import { AppError } from '../../errors';
import { RETRIEVE_PACS_STUDY_JOB, type RetrievePacsStudyPayload } from './queue-pacs-retrieve';

export type PacsRetrieveState = 'queued' | 'retrieving' | 'ingesting' | 'done' | 'failed';

export interface PacsRetrieveStatus {
  readonly jobId: string;
  readonly participantId: string;
  readonly state: PacsRetrieveState;
  /** Instances received so far and the four series' total (when the PACS said it). */
  readonly instances: number;
  readonly expectedInstances: number | null;
  readonly attempts: number;
  readonly maxAttempts: number;
  /** The last attempt's failure: on a queued job, the reason it is being retried; on a failed one, why it gave up. */
  readonly error: { readonly code: string; readonly message: string } | null;
  readonly studyId: string | null;
}

/** 'CODE: message' as the retrieve job records its failures; anything else is an internal error. */
function parseError(lastError: string | null): PacsRetrieveStatus['error'] {
  if (!lastError) return null;
  const m = /^([A-Z_]+): ([\s\S]*)$/.exec(lastError);
  return m ? { code: m[1]!, message: m[2]! } : { code: 'INTERNAL', message: 'The retrieve failed with an internal error. It has been logged.' };
}

/** A retrieve-pacs-study job row as the page shows it. */
export function toPacsRetrieveStatus(job: typeof jobs.$inferSelect): PacsRetrieveStatus {
  const payload = job.payload as RetrievePacsStudyPayload;
  const result = job.result as { studyId?: string } | null;
  const state: PacsRetrieveState =
    job.status === 'succeeded'
      ? 'done'
      : job.status === 'failed'
        ? 'failed'
        : job.status === 'queued'
          ? 'queued'
          : job.progressTotal > 0 && job.progressDone >= job.progressTotal
            ? 'ingesting'
            : 'retrieving';
  return {
    jobId: job.id,
    participantId: payload.participantId,
    state,
    instances: job.progressDone,
    expectedInstances: payload.expectedInstances,
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    error: job.status === 'succeeded' ? null : parseError(job.lastError),
    studyId: result?.studyId ?? null,
  };
}

/**
 * A PACS retrieve job's progress as the coordinator's page shows it, for the user who asked for it
 * only (anyone else: NOT_FOUND, as for a job that does not exist).
 */
export async function getPacsRetrieve({ db, jobId, userId }: { db: DbOrTx; jobId: string; userId: string }): Promise<PacsRetrieveStatus> {
  const [job] = await db
    .select()
    .from(jobs)
    .where(and(eq(jobs.id, jobId), eq(jobs.kind, RETRIEVE_PACS_STUDY_JOB)));
  const payload = job?.payload as RetrievePacsStudyPayload | undefined;
  if (!job || !payload || payload.requestedBy !== userId) throw new AppError('NOT_FOUND', 'No such retrieve.');
  return toPacsRetrieveStatus(job);
}
