import type { Database } from '@/db/client';
import type { ContentStore } from '@/imaging/storage/content-store';
import { writeAuditEvent, type AuditActor, type RequestMetadata } from '../audit/write-audit-event';
import { buildResultObjects, type ResultSource } from './build-result-objects';
import type { DicomWebClient } from './dicomweb-client';
import { asPacsAppError } from './pacs-errors';

/**
 * Sends a result's SEG and SR to the PACS (STOW-RS, `target` 'pacs') or hands them to the caller
 * (`target` 'download'), and audits which objects left, for whom and where. Blinding and the
 * study's PACS link are checked in buildResultObjects, before anything is built.
 */
export async function sendResults({
  db,
  store,
  client,
  source,
  target,
  actor,
  request,
}: {
  db: Database;
  store: ContentStore;
  client: DicomWebClient;
  source: ResultSource;
  target: 'pacs' | 'download';
  actor: AuditActor;
  request: RequestMetadata;
}) {
  const objects = await buildResultObjects({ db, store, client, source });
  if (target === 'pacs') {
    try {
      await client.store([objects.seg.bytes, objects.sr.bytes]);
    } catch (e) {
      throw asPacsAppError(e);
    }
  }
  await db.transaction((tx) =>
    writeAuditEvent({
      tx,
      actor,
      action: 'pacs.results_sent',
      entityType: 'study',
      entityId: objects.studyId,
      trialId: objects.trialId,
      after: {
        target,
        source,
        seg: objects.seg.sopInstanceUid,
        sr: objects.sr.sopInstanceUid,
        author: objects.author.kind === 'algorithm' ? `${objects.author.name} ${objects.author.version}` : 'manual',
        volumesMl: objects.sr.volumesMl,
      },
      request,
    }),
  );
  return objects;
}
