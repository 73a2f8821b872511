import { and, eq } from 'drizzle-orm';
import type { Database } from '../../../db/client';
import { allocations, participants, unblindings } from '../../../db/schema';
import { AppError } from '../../errors';
import { writeAuditEvent, type AuditActor, type RequestMetadata } from '../audit/write-audit-event';
import { assertSiteVisible, type TrialAccess } from '../trials/trial-access';

/**
 * Emergency unblinding: reveals one participant's arm to the caller, recording who, when and why.
 * The record is shown to monitors; the audit row is written in the same transaction.
 */
export async function unblindParticipant(options: { db: Database; access: TrialAccess; participantId: string; reason: string; actor: AuditActor & { userId: string }; request: RequestMetadata }) {
  return options.db.transaction(async (tx) => {
    const [participant] = await tx
      .select()
      .from(participants)
      .where(and(eq(participants.id, options.participantId), eq(participants.trialId, options.access.trialId)));
    if (!participant) throw new AppError('NOT_FOUND', 'Participant not found.');
    assertSiteVisible(options.access, participant.siteId, 'Participant');
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
