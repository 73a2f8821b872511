import { and, eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { participantEvents } from '@/db/schema';
import { writeAuditEvent, type AuditActor, type RequestMetadata } from '../audit/write-audit-event';

/**
 * Records, once per study, that an assisted-arm case was reviewed without AI because the AI was
 * suspended: a protocol deviation ('ai_unavailable') of the participant, so CONSORT and the
 * per-protocol population see it. Called when the case is opened while suspended; idempotent.
 */
export async function recordAiUnavailableDeviation({
  db,
  trialId,
  participantId,
  studyId,
  actor,
  request,
}: {
  db: Database;
  trialId: string;
  participantId: string;
  studyId: string;
  actor: AuditActor;
  request: RequestMetadata;
}): Promise<boolean> {
  const note = `AI suspended when study ${studyId} was reviewed`;
  const same = and(
    eq(participantEvents.participantId, participantId),
    eq(participantEvents.kind, 'protocol_deviation'),
    eq(participantEvents.reason, 'ai_unavailable'),
    eq(participantEvents.note, note),
  );
  const [existing] = await db.select({ id: participantEvents.id }).from(participantEvents).where(same).limit(1);
  if (existing) return false;
  return db.transaction(async (tx) => {
    const [again] = await tx.select({ id: participantEvents.id }).from(participantEvents).where(same).limit(1);
    if (again) return false;
    const [event] = await tx
      .insert(participantEvents)
      .values({ participantId, trialId, kind: 'protocol_deviation', reason: 'ai_unavailable', note, occurredOn: new Date().toISOString().slice(0, 10), recordedBy: actor.userId })
      .returning({ id: participantEvents.id });
    await writeAuditEvent({
      tx,
      actor,
      action: 'ai.unavailable_for_case',
      entityType: 'participant',
      entityId: participantId,
      trialId,
      after: { eventId: event!.id, studyId, kind: 'protocol_deviation', reason: 'ai_unavailable' },
      request,
    });
    return true;
  });
}
