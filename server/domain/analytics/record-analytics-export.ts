import { createHash } from 'node:crypto';
import type { Database } from '@/db/client';
import { writeAuditEvent, type AuditActor, type RequestMetadata } from '../audit/write-audit-event';

export interface AnalyticsExportRecord {
  /** What was exported: 'table:<name>', 'report', 'dataset', 'dictionary', 'pdf'. */
  readonly what: string;
  readonly format: 'csv' | 'json' | 'pdf';
  readonly snapshot: { readonly sha256: string; readonly builtAt: string };
  readonly bytes: Uint8Array;
}

/**
 * Writes the 'export.created' audit event of an export: what, format, the data snapshot (dataset
 * hash and time) it came from and the SHA-256 of the bytes handed out, so a file found later can be
 * matched to its data. Returns the file's hash.
 */
export async function recordAnalyticsExport({
  db,
  trialId,
  actor,
  request,
  record,
}: {
  db: Database;
  trialId: string;
  actor: AuditActor;
  request: RequestMetadata;
  record: AnalyticsExportRecord;
}): Promise<string> {
  const fileSha256 = createHash('sha256').update(record.bytes).digest('hex');
  await db.transaction(async (tx) => {
    await writeAuditEvent({
      tx,
      actor,
      action: 'export.created',
      entityType: 'trial',
      entityId: trialId,
      trialId,
      after: { what: record.what, format: record.format, datasetSha256: record.snapshot.sha256, dataReadAt: record.snapshot.builtAt, fileSha256, bytes: record.bytes.length },
      request,
    });
  });
  return fileSha256;
}
