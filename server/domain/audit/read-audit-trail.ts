import type { Database } from '@/db/client';
import { queryAuditTrail, type AuditTrailFilters } from './query-audit-trail';
import { writeAuditEvent, type AuditActor, type RequestMetadata } from './write-audit-event';

/**
 * One page of a trial's audit trail for a reader, and the audit row that says it was read (filters,
 * rows shown, whether the reader was blinded): reading the trail is itself part of the trail.
 */
export async function readAuditTrail({ db, filters, blinded, actor, request }: { db: Database; filters: AuditTrailFilters; blinded: boolean; actor: AuditActor; request: RequestMetadata }) {
  const page = await queryAuditTrail({ db, filters, blinded });
  await db.transaction((tx) =>
    writeAuditEvent({
      tx,
      actor,
      action: 'audit.viewed',
      entityType: 'audit_trail',
      entityId: filters.trialId,
      trialId: filters.trialId,
      after: { filters, rows: page.rows.length, blinded },
      request,
    }),
  );
  return { ...page, blinded };
}
