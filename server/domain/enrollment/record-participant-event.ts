import { eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { EVENT_REASONS, participantEvents, participants, type ExclusionReason, type ParticipantEventKind } from '@/db/schema';
import { AppError } from '../../errors';
import { writeAuditEvent, type AuditActor, type RequestMetadata } from '../audit/write-audit-event';
import { loadVisibleParticipant } from '../trials/load-visible-participant';
import type { TrialAccess } from '../trials/trial-access';

interface ParticipantActionOptions {
  readonly db: Database;
  readonly access: TrialAccess;
  readonly participantId: string;
  readonly actor: AuditActor;
  readonly request: RequestMetadata;
}

/** Withdrawal, loss to follow-up or protocol deviation of a randomized participant, with its reason. */
export async function recordParticipantEvent(options: ParticipantActionOptions & { kind: ParticipantEventKind; reason: string; note?: string; occurredOn: string }) {
  const reasons: Record<string, string> = EVENT_REASONS[options.kind];
  if (!(options.reason in reasons)) {
    throw new AppError('INVALID_INPUT', `Reason '${options.reason}' is not a ${options.kind} reason; expected one of ${Object.keys(reasons).join(', ')}.`);
  }
  return options.db.transaction(async (tx) => {
    const participant = await loadVisibleParticipant({ db: tx, access: options.access, participantId: options.participantId, lock: 'update' });
    if (participant.status !== 'randomized') {
      throw new AppError('INVALID_STATE', `Only randomized participants can be ${options.kind.replace(/_/g, ' ')}; ${participant.studyId} is ${participant.status}.`);
    }
    const [row] = await tx
      .insert(participantEvents)
      .values({
        participantId: participant.id,
        trialId: participant.trialId,
        kind: options.kind,
        reason: options.reason,
        note: options.note ?? null,
        occurredOn: options.occurredOn,
        recordedBy: options.actor.userId,
      })
      .returning();
    if (!row) throw new Error('event insert returned no row');
    await writeAuditEvent({
      tx,
      actor: options.actor,
      action: 'participant.event_recorded',
      entityType: 'participant',
      entityId: participant.id,
      trialId: participant.trialId,
      after: { kind: options.kind, reason: options.reason, note: options.note ?? null, occurredOn: options.occurredOn },
      request: options.request,
    });
    return row;
  });
}

/** Excludes an enrolled, not yet randomized participant, with the CONSORT reason. */
export async function excludeParticipant(options: ParticipantActionOptions & { reason: ExclusionReason; note?: string }) {
  return options.db.transaction(async (tx) => {
    const participant = await loadVisibleParticipant({ db: tx, access: options.access, participantId: options.participantId, lock: 'update' });
    if (participant.status !== 'enrolled') throw new AppError('INVALID_STATE', `Participant ${participant.studyId} is ${participant.status}; only enrolled participants can be excluded.`);
    await tx
      .update(participants)
      .set({ status: 'excluded', exclusionReason: options.reason, exclusionNote: options.note ?? null })
      .where(eq(participants.id, participant.id));
    await writeAuditEvent({
      tx,
      actor: options.actor,
      action: 'participant.excluded',
      entityType: 'participant',
      entityId: participant.id,
      trialId: participant.trialId,
      before: { status: participant.status },
      after: { status: 'excluded', reason: options.reason, note: options.note ?? null },
      request: options.request,
    });
    return { ok: true as const };
  });
}
