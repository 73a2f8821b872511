import { and, eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { auditLog } from '@/db/schema';
import { writeAuditEvent, type AuditActor, type RequestMetadata } from '../audit/write-audit-event';

/**
 * Logs that a clinician was shown an AI segmentation (EU AI Act Art. 12: the periods of use and who
 * was involved), once per reader and segmentation: later views of the same output add nothing, so a
 * page that refetches does not flood the trail. The audit row is the event log's source.
 */
export async function recordAiOutputDisplayed({
  db,
  trialId,
  segmentationId,
  caseId,
  actor,
  request,
}: {
  db: Database;
  trialId: string;
  segmentationId: string;
  caseId: string;
  actor: AuditActor & { userId: string };
  request: RequestMetadata;
}): Promise<boolean> {
  const seen = and(eq(auditLog.entityType, 'segmentation'), eq(auditLog.entityId, segmentationId), eq(auditLog.action, 'ai.output_displayed'), eq(auditLog.actorUserId, actor.userId));
  const [existing] = await db.select({ id: auditLog.id }).from(auditLog).where(seen).limit(1);
  if (existing) return false;
  await db.transaction((tx) => writeAuditEvent({ tx, actor, action: 'ai.output_displayed', entityType: 'segmentation', entityId: segmentationId, trialId, after: { caseId }, request }));
  return true;
}
