import { rm } from 'node:fs/promises';
import path from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { participants, studies, studyUploads, users } from '@/db/schema';
import type { SequenceRole } from '@/imaging/ingest/ingest';
import type { ContentStore } from '@/imaging/storage/content-store';
import { runIngestProcess, type SpooledFile } from '../../jobs/run-ingest-process';
import { writeAuditEvent } from '../audit/write-audit-event';
import { recordIngestedStudy } from './attach-study';
import type { IngestStudyPayload } from './queue-study-ingest';
import type { UploadMapping } from './recognize-case-upload';
import { uploadSpoolDir } from './store-study-upload';

/**
 * The ingest-study job: runs the imaging ingest of a spooled upload in a child process, then, in one
 * transaction, marks the upload ingested, records the study and queues its segmentation
 * (recordIngestedStudy), or marks it rejected with the reason and writes the 'study.rejected' audit
 * row. The state change is conditional (status 'queued'), so a retried job records exactly once.
 * The raw upload is removed afterwards: only the de-identified originals are kept.
 */
export async function ingestStudyJob({
  db,
  store,
  payload,
  onProgress,
}: {
  db: Database;
  store: ContentStore;
  payload: IngestStudyPayload;
  onProgress: (done: number, total: number) => Promise<void>;
}) {
  const [upload] = await db.select().from(studyUploads).where(eq(studyUploads.id, payload.uploadId));
  if (!upload) throw new Error(`upload ${payload.uploadId} not found`);
  if (upload.status !== 'queued') return { uploadId: upload.id, status: upload.status, studyId: upload.studyId, reused: true };
  const [participant] = await db.select({ id: participants.id, trialId: participants.trialId, siteId: participants.siteId }).from(participants).where(eq(participants.id, upload.participantId));
  if (!participant) throw new Error(`participant ${upload.participantId} not found`);

  const mapping = upload.mapping as UploadMapping | null;
  const outcome = await runIngestProcess(
    { storageRoot: store.root, files: upload.files as Record<SequenceRole | 'case', SpooledFile[]>, ...(mapping ? { assignments: mapping.assignments } : {}) },
    { onProgress: (done, total) => void onProgress(done, total) },
  );
  // The audit rows name the coordinator who uploaded: the job acts on their request.
  const [uploader] = upload.uploadedBy ? await db.select({ role: users.role }).from(users).where(eq(users.id, upload.uploadedBy)) : [];
  const actor = { userId: upload.uploadedBy, role: uploader?.role ?? null };
  const request = { via: 'worker' as const };
  const stillQueued = and(eq(studyUploads.id, upload.id), eq(studyUploads.status, 'queued'));
  const recorded = await db.transaction(async (tx) => {
    if (!outcome.ok) {
      const [moved] = await tx.update(studyUploads).set({ status: 'rejected', rejection: outcome.rejection, finishedAt: new Date() }).where(stillQueued).returning({ id: studyUploads.id });
      if (!moved) return { status: 'rejected' as const, studyId: null, reused: true };
      const { ingestCode, ...named } = outcome.rejection;
      await writeAuditEvent({
        tx,
        actor,
        action: 'study.rejected',
        entityType: 'participant',
        entityId: participant.id,
        trialId: participant.trialId,
        after: { uploadId: upload.id, code: ingestCode, ...named },
        request,
      });
      return { status: 'rejected' as const, studyId: null, reused: false };
    }
    const [moved] = await tx.update(studyUploads).set({ status: 'ingested', finishedAt: new Date() }).where(stillQueued).returning({ id: studyUploads.id });
    if (!moved) return { status: 'ingested' as const, studyId: null, reused: true };
    const study = await recordIngestedStudy({ tx, participant, ingested: outcome.ingested, actor, request });
    await tx.update(studyUploads).set({ studyId: study.studyId }).where(eq(studyUploads.id, upload.id));
    // A recognised case keeps how its files were taken (and who confirmed it) in the study's provenance.
    if (mapping)
      await tx
        .update(studies)
        .set({ preprocessing: sql`coalesce(${studies.preprocessing}, '{}'::jsonb) || ${JSON.stringify({ layout: mapping })}::jsonb` })
        .where(eq(studies.id, study.studyId));
    return { status: 'ingested' as const, studyId: study.studyId, segmentationJobId: study.jobId, warnings: study.warnings, reused: false };
  });
  await rm(path.join(store.root, uploadSpoolDir(upload.id)), { recursive: true, force: true });
  return { uploadId: upload.id, ...recorded };
}
