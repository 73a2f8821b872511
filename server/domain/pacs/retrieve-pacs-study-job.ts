import { rm } from 'node:fs/promises';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { pacsStudySources, participants, studies, users } from '@/db/schema';
import type { ContentStore } from '@/imaging/storage/content-store';
import { AppError } from '../../errors';
import { runIngestProcess } from '../../jobs/run-ingest-process';
import { PermanentJobError } from '../../jobs/worker';
import { writeAuditEvent } from '../audit/write-audit-event';
import { recordIngestedStudy } from '../imaging/attach-study';
import { asPacsAppError } from './pacs-errors';
import type { RetrievePacsStudyPayload } from './queue-pacs-retrieve';
import { retrievePacsSeries } from './retrieve-pacs-series';
import type { DicomWebClient } from './dicomweb-client';

/** Progress writes while instances stream in, at most this often (each one is a database write). */
const PROGRESS_EVERY_MS = 500;

/**
 * The retrieve-pacs-study job: WADO-RS into a spool folder under the storage root (each instance
 * streamed to disk), the DICOM series checks, then the same ingest child as an upload
 * (server/jobs/ingest-process.ts: validation, de-identification at the door, co-registration) and,
 * in one transaction, the study, its segmentation job (recordIngestedStudy), the link to the DICOM
 * study and series (pacs_study_sources, for SEG/SR going back) and the audit row.
 *
 * Progress: done/total are instances; done = total once every instance has arrived (ingesting).
 * Failures keep their AppError code in the job's error as 'CODE: message': a PACS that is down or
 * silent (PACS_UNAVAILABLE) is retried with backoff; a refused series or study fails at once, with
 * a 'pacs.retrieve_refused' audit row. Either way nothing is recorded and the spool is removed.
 * A retried job whose study was already recorded answers that study (exactly once).
 */
export async function retrievePacsStudyJob({
  db,
  store,
  client,
  payload,
  onProgress,
}: {
  db: Database;
  store: ContentStore;
  client: DicomWebClient;
  payload: RetrievePacsStudyPayload;
  onProgress: (done: number, total: number) => Promise<void>;
}) {
  const [participant] = await db.select({ id: participants.id, trialId: participants.trialId, siteId: participants.siteId }).from(participants).where(eq(participants.id, payload.participantId));
  if (!participant) throw new PermanentJobError(`NOT_FOUND: participant ${payload.participantId} not found`);
  const [recorded] = await db
    .select({ studyId: pacsStudySources.studyId })
    .from(pacsStudySources)
    .innerJoin(studies, eq(studies.id, pacsStudySources.studyId))
    .where(and(eq(studies.participantId, participant.id), eq(pacsStudySources.studyInstanceUid, payload.studyInstanceUid)));
  if (recorded) return { studyId: recorded.studyId, reused: true };

  const [requester] = await db.select({ role: users.role }).from(users).where(eq(users.id, payload.requestedBy));
  const actor = { userId: payload.requestedBy, role: requester?.role ?? null };
  const request = { via: 'worker' as const };
  const dir = path.join('uploads', `pacs-${payload.retrieveId}`);
  // A killed earlier attempt may have left part of a series behind.
  await rm(path.join(store.root, dir), { recursive: true, force: true });
  const expected = payload.expectedInstances ?? 0;
  let reportedAt = 0;
  try {
    const got = await retrievePacsSeries({
      client,
      studyInstanceUid: payload.studyInstanceUid,
      series: payload.series,
      root: store.root,
      dir,
      onInstance: ({ instances }) => {
        if (Date.now() - reportedAt < PROGRESS_EVERY_MS) return;
        reportedAt = Date.now();
        void onProgress(instances, Math.max(expected, instances + 1));
      },
    });
    await onProgress(got.instances, got.instances);
    const outcome = await runIngestProcess({ storageRoot: store.root, files: got.files });
    if (!outcome.ok) throw new AppError('INVALID_INPUT', outcome.rejection.message, { ...outcome.rejection });
    const study = await db.transaction(async (tx) => {
      const study = await recordIngestedStudy({ tx, participant, ingested: outcome.ingested, actor, request });
      await tx.insert(pacsStudySources).values({ studyId: study.studyId, studyInstanceUid: payload.studyInstanceUid, series: { ...payload.series }, retrievedBy: payload.requestedBy });
      await writeAuditEvent({
        tx,
        actor,
        action: 'pacs.study_retrieved',
        entityType: 'study',
        entityId: study.studyId,
        trialId: participant.trialId,
        after: { participantId: participant.id, studyInstanceUid: payload.studyInstanceUid, series: payload.series, instances: got.instances, bytes: got.bytes },
        request,
      });
      return study;
    });
    return { studyId: study.studyId, segmentationJobId: study.jobId, instances: got.instances, bytes: got.bytes, reused: false };
  } catch (error) {
    const e = asPacsAppError(error);
    if (!(e instanceof AppError)) throw e;
    if (e.code === 'PACS_UNAVAILABLE') throw new Error(`${e.code}: ${e.message}`);
    await db.transaction((tx) =>
      writeAuditEvent({
        tx,
        actor,
        action: 'pacs.retrieve_refused',
        entityType: 'participant',
        entityId: participant.id,
        trialId: participant.trialId,
        after: { studyInstanceUid: payload.studyInstanceUid, series: payload.series, code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) },
        request,
      }),
    );
    throw new PermanentJobError(`${e.code}: ${e.message}`);
  } finally {
    await rm(path.join(store.root, dir), { recursive: true, force: true });
  }
}
