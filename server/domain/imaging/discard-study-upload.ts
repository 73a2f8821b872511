import { rm } from 'node:fs/promises';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { studyUploads } from '@/db/schema';
import type { ContentStore } from '@/imaging/storage/content-store';
import { AppError } from '../../errors';
import { writeAuditEvent, type AuditActor, type RequestMetadata } from '../audit/write-audit-event';
import { assertSiteVisible, type TrialAccess } from '../trials/trial-access';
import type { UploadMapping } from './recognize-case-upload';
import { uploadSpoolDir } from './store-study-upload';

/**
 * The coordinator discards an upload waiting for confirmation (the wrong case, a mapping that cannot
 * be corrected among its files): the row goes, with an audit row naming its files and the recognised
 * mapping, and then its spooled files. NOT_FOUND outside the caller's trial or sites; INVALID_STATE
 * once it was confirmed.
 */
export async function discardStudyUpload({
  db,
  store,
  access,
  uploadId,
  actor,
  request,
}: {
  db: Database;
  store: ContentStore;
  access: TrialAccess;
  uploadId: string;
  actor: AuditActor;
  request: RequestMetadata;
}): Promise<{ uploadId: string }> {
  await db.transaction(async (tx) => {
    const [upload] = await tx
      .select()
      .from(studyUploads)
      .where(and(eq(studyUploads.id, uploadId), eq(studyUploads.trialId, access.trialId)))
      .for('update');
    if (!upload) throw new AppError('NOT_FOUND', 'Upload not found.');
    assertSiteVisible(access, upload.siteId, 'Upload');
    if (upload.status !== 'awaiting_confirmation') throw new AppError('INVALID_STATE', `This upload is ${upload.status.replace('_', ' ')}: only an upload waiting for confirmation can be discarded.`);
    await tx.delete(studyUploads).where(eq(studyUploads.id, upload.id));
    const mapping = upload.mapping as UploadMapping | null;
    await writeAuditEvent({
      tx,
      actor,
      action: 'study.upload_discarded',
      entityType: 'participant',
      entityId: upload.participantId,
      trialId: upload.trialId,
      before: { uploadId: upload.id, files: upload.files, layout: mapping?.layout ?? null, assignments: mapping?.assignments ?? null },
      request,
    });
  });
  await rm(path.join(store.root, uploadSpoolDir(uploadId)), { recursive: true, force: true });
  return { uploadId };
}
