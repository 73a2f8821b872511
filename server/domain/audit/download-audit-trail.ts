import type { Database } from '@/db/client';
import { exportAuditTrail } from './export-audit-trail';
import type { AuditTrailFilters } from './query-audit-trail';
import { writeAuditEvent, type AuditActor, type RequestMetadata } from './write-audit-event';

/**
 * The filtered trail as a file for a reader (CSV or JSON with chain hashes), and the audit row of the
 * export: format, filters, rows and the last hash, so a copy found later can be matched to its export.
 */
export async function downloadAuditTrail({
  db,
  filters,
  blinded,
  format,
  actor,
  request,
}: {
  db: Database;
  filters: Omit<AuditTrailFilters, 'beforeId' | 'limit'>;
  blinded: boolean;
  format: 'csv' | 'json';
  actor: AuditActor;
  request: RequestMetadata;
}) {
  const exported = await exportAuditTrail({ db, filters, blinded, format });
  await db.transaction((tx) =>
    writeAuditEvent({
      tx,
      actor,
      action: 'audit.exported',
      entityType: 'audit_trail',
      entityId: filters.trialId,
      trialId: filters.trialId,
      after: { format, filters, rows: exported.rowCount, lastHash: exported.lastHash, blinded },
      request,
    }),
  );
  return {
    filename: `audit-trail-${filters.trialId.slice(0, 8)}-${new Date().toISOString().slice(0, 10)}.${format}`,
    contentType: format === 'csv' ? 'text/csv' : 'application/json',
    content: exported.content,
    rowCount: exported.rowCount,
    lastHash: exported.lastHash,
  };
}
