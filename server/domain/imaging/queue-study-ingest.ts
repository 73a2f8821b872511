import { and, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { studyUploads } from '@/db/schema';
import { AppError } from '../../errors';
import { enqueueJob } from '../../jobs/queue';

export const INGEST_STUDY_JOB = 'ingest-study';

export interface IngestStudyPayload {
  readonly uploadId: string;
}

/**
 * Queues the ingest-study job for an upload (idempotent: one job per upload). An upload waiting for
 * confirmation moves to 'queued' here; call it in the transaction that records the confirmation.
 * INVALID_STATE when the upload was already ingested or rejected.
 */
export async function queueStudyIngest({ tx, uploadId }: { tx: DbOrTx; uploadId: string }): Promise<{ id: string; created: boolean }> {
  const moved = await tx
    .update(studyUploads)
    .set({ status: 'queued' })
    .where(and(eq(studyUploads.id, uploadId), inArray(studyUploads.status, ['awaiting_confirmation', 'queued'])))
    .returning({ id: studyUploads.id });
  if (moved.length === 0) throw new AppError('INVALID_STATE', 'This upload was already ingested or refused.');
  return enqueueJob(tx, { kind: INGEST_STUDY_JOB, key: `${INGEST_STUDY_JOB}:${uploadId}`, payload: { uploadId } satisfies IngestStudyPayload });
}
