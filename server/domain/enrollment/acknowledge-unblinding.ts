import { and, eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { unblindings } from '@/db/schema';
import { AppError } from '../../errors';
import { writeAuditEvent, type AuditActor, type RequestMetadata } from '../audit/write-audit-event';
import type { TrialAccess } from '../trials/trial-access';

/**
 * A monitor acknowledges having reviewed an emergency unblinding (who, when, why). Acknowledging
 * twice changes nothing (`created: false`); the acknowledgement is audited with the monitor's name.
 */
export async function acknowledgeUnblinding({ db, access, unblindingId, actor, request }: { db: Database; access: TrialAccess; unblindingId: string; actor: AuditActor; request: RequestMetadata }) {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(unblindings)
      .where(and(eq(unblindings.id, unblindingId), eq(unblindings.trialId, access.trialId)))
      .for('update');
    if (!row) throw new AppError('NOT_FOUND', 'Unblinding not found.');
    if (row.acknowledgedByMonitor) return { id: row.id, acknowledged: true, created: false };
    await tx.update(unblindings).set({ acknowledgedByMonitor: true }).where(eq(unblindings.id, row.id));
    await writeAuditEvent({
      tx,
      actor,
      action: 'unblinding.acknowledged',
      entityType: 'unblinding',
      entityId: row.id,
      trialId: row.trialId,
      before: { acknowledgedByMonitor: false },
      after: { acknowledgedByMonitor: true, participantId: row.participantId },
      request,
    });
    return { id: row.id, acknowledged: true, created: true };
  });
}
