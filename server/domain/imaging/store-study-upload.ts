import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Database } from '@/db/client';
import { studyUploads } from '@/db/schema';
import { sequenceRoles, type SequenceRole } from '@/imaging/ingest/ingest';
import type { ContentStore } from '@/imaging/storage/content-store';
import type { SpooledFile } from '../../jobs/run-ingest-process';
import { writeAuditEvent, type AuditActor, type RequestMetadata } from '../audit/write-audit-event';
import type { TrialAccess } from '../trials/trial-access';
import { queueStudyIngest } from './queue-study-ingest';
import type { UploadMapping } from './recognize-case-upload';
import { loadVisibleParticipant } from '../trials/load-visible-participant';

/** Where an upload's raw files wait for ingest, relative to the storage root (removed once ingest has answered). */
export function uploadSpoolDir(uploadId: string): string {
  return path.join('uploads', uploadId);
}

/**
 * Stores a study upload as it came (the files in a spool folder under the storage root, one
 * study_uploads row) and, unless `awaitConfirmation`, queues the ingest-study job in the same
 * transaction, with the audit row. This is all the upload request does: ingest (about 10 s of CPU)
 * runs in the job, so the request returns as soon as the bytes are on disk. With
 * `awaitConfirmation` the upload waits in 'awaiting_confirmation' (nothing queued) until
 * queueStudyIngest is called for it (confirmUploadMapping does, for a case whose layout was
 * recognised: its files are under `case` and `mapping` says which is which sequence).
 */
export async function storeStudyUpload({
  db,
  store,
  access,
  participantId,
  files,
  actor,
  request,
  awaitConfirmation = false,
  mapping,
}: {
  db: Database;
  store: ContentStore;
  access: TrialAccess;
  participantId: string;
  /** Per sequence role (files assigned by hand), or all of a case under `case` with `mapping`. */
  files: Readonly<Partial<Record<SequenceRole | 'case', readonly { name: string; bytes: Uint8Array }[]>>>;
  actor: AuditActor;
  request: RequestMetadata;
  awaitConfirmation?: boolean;
  mapping?: UploadMapping;
}): Promise<{ uploadId: string; jobId: string | null }> {
  const participant = await loadVisibleParticipant({ db, access, participantId });

  const uploadId = randomUUID();
  const spool = uploadSpoolDir(uploadId);
  await mkdir(path.join(store.root, spool), { recursive: true });
  try {
    const spooled = {} as Record<string, SpooledFile[]>;
    for (const role of mapping ? (['case'] as const) : sequenceRoles) {
      spooled[role] = [];
      for (const [i, file] of (files[role] ?? []).entries()) {
        const relative = path.join(spool, `${role}-${i}`);
        await writeFile(path.join(store.root, relative), file.bytes);
        spooled[role].push({ name: file.name, path: relative, bytes: file.bytes.length });
      }
    }
    return await db.transaction(async (tx) => {
      await tx.insert(studyUploads).values({
        id: uploadId,
        trialId: participant.trialId,
        siteId: participant.siteId,
        participantId: participant.id,
        files: spooled,
        mapping: mapping ?? null,
        status: awaitConfirmation ? 'awaiting_confirmation' : 'queued',
        uploadedBy: actor.userId,
      });
      const files = Object.fromEntries(Object.entries(spooled).map(([role, list]) => [role, list.map((f) => ({ name: f.name, bytes: f.bytes }))]));
      await writeAuditEvent({
        tx,
        actor,
        action: 'study.uploaded',
        entityType: 'participant',
        entityId: participant.id,
        trialId: participant.trialId,
        after: { uploadId, files, awaitingConfirmation: awaitConfirmation, ...(mapping ? { mapping } : {}) },
        request,
      });
      const job = awaitConfirmation ? null : await queueStudyIngest({ tx, uploadId });
      return { uploadId, jobId: job?.id ?? null };
    });
  } catch (error) {
    await rm(path.join(store.root, spool), { recursive: true, force: true });
    throw error;
  }
}
