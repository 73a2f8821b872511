import { eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { allocations, unblindings } from '@/db/schema';
import { AppError } from '../../errors';
import { writeAuditEvent, type AuditActor, type RequestMetadata } from '../audit/write-audit-event';
import type { TrialAccess } from '../trials/trial-access';
import { loadVisibleParticipant } from '../trials/load-visible-participant';

/**
 * Emergency unblinding: reveals one participant's arm to the caller, recording who, when and why.
 * The record is shown to monitors; the audit row is written in the same transaction.
 */
export async function unblindParticipant(options: { db: Database; access: TrialAccess; participantId: string; reason: string; actor: AuditActor & { userId: string }; request: RequestMetadata }) {
  return options.db.transaction(async (tx) => {
    const participant = await loadVisibleParticipant({ db: tx, access: options.access, participantId: options.participantId });
    const [allocation] = await tx.select().from(allocations).where(eq(allocations.participantId, participant.id));
    if (!allocation) throw new AppError('INVALID_STATE', `Participant ${participant.studyId} is not randomized: there is no arm to reveal.`);
    const [row] = await tx.insert(unblindings).values({ participantId: participant.id, trialId: participant.trialId, reason: options.reason, unblindedBy: options.actor.userId }).returning();
    if (!row) throw new Error('unblinding insert returned no row');
    await writeAuditEvent({
      tx,
      actor: options.actor,
      action: 'participant.unblinded',
      entityType: 'participant',
      entityId: participant.id,
      trialId: participant.trialId,
      after: { studyId: participant.studyId, reason: options.reason, unblindingId: row.id },
      request: options.request,
    });
    return { arm: allocation.arm, unblindedAt: row.unblindedAt };
  });
}
