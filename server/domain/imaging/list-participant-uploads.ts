import { and, desc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { jobs, studyUploads, type StudyUploadStatus } from '@/db/schema';
import type { IngestRejection, SpooledFile } from '../../jobs/run-ingest-process';
import type { TrialAccess } from '../trials/trial-access';
import { INGEST_STUDY_JOB } from './queue-study-ingest';
import type { UploadMapping } from './recognize-case-upload';
import { loadVisibleParticipant } from '../trials/load-visible-participant';

export interface ParticipantUpload {
  readonly id: string;
  readonly uploadedAt: Date;
  readonly status: StudyUploadStatus;
  /** File names per sequence (or all under `case`), as uploaded. */
  readonly files: Record<string, string[]>;
  /** How an uploaded case was recognised (and, once confirmed, by whom); null for files assigned by hand. */
  readonly mapping: UploadMapping | null;
  /** Why ingest refused it (status 'rejected'). */
  readonly rejection: IngestRejection | null;
  /** The ingest job (status 'queued'): running, waiting, or failed after its retries. */
  readonly ingestJob: { readonly status: 'queued' | 'running' | 'succeeded' | 'failed'; readonly done: number; readonly total: number; readonly attempts: number } | null;
}

/**
 * A participant's uploads that have not become a study (awaiting confirmation, being ingested, or
 * refused), newest first, at most 20: the stages before listParticipantStudies takes over.
 * NOT_FOUND for a participant outside the caller's sites.
 */
export async function listParticipantUploads({ db, access, participantId }: { db: DbOrTx; access: TrialAccess; participantId: string }): Promise<ParticipantUpload[]> {
  const participant = await loadVisibleParticipant({ db, access, participantId });

  const rows = await db
    .select()
    .from(studyUploads)
    .where(and(eq(studyUploads.participantId, participant.id), ne(studyUploads.status, 'ingested')))
    .orderBy(desc(studyUploads.uploadedAt))
    .limit(20);
  if (rows.length === 0) return [];
  const jobRows = await db
    .select({ uploadId: sql<string>`${jobs.payload}->>'uploadId'`, status: jobs.status, done: jobs.progressDone, total: jobs.progressTotal, attempts: jobs.attempts })
    .from(jobs)
    .where(
      and(
        eq(jobs.kind, INGEST_STUDY_JOB),
        inArray(
          sql<string>`${jobs.payload}->>'uploadId'`,
          rows.map((r) => r.id),
        ),
      ),
    );
  return rows.map((row) => {
    const job = jobRows.find((j) => j.uploadId === row.id);
    return {
      id: row.id,
      uploadedAt: row.uploadedAt,
      status: row.status,
      files: Object.fromEntries(Object.entries(row.files as Record<string, SpooledFile[]>).map(([role, list]) => [role, list.map((f) => f.name)])),
      mapping: (row.mapping as UploadMapping | null) ?? null,
      rejection: (row.rejection as IngestRejection | null) ?? null,
      ingestJob: job ? { status: job.status, done: job.done, total: job.total, attempts: job.attempts } : null,
    };
  });
}
