import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '@/db/client';
import { allocations, followUpVisits, PROGRESSION_BASES, VITAL_STATUSES } from '@/db/schema';
import { AppError } from '../../errors';
import { writeAuditEvent, type AuditActor, type RequestMetadata } from '../audit/write-audit-event';
import { loadVisibleParticipant } from '../trials/load-visible-participant';
import type { TrialAccess } from '../trials/trial-access';

/** One follow-up contact as a coordinator records it. Dates are YYYY-MM-DD. */
export const followUpVisitInputSchema = z.object({
  visitDate: z.iso.date(),
  vitalStatus: z.enum(VITAL_STATUSES),
  deathDate: z.iso.date().nullable(),
  progression: z.boolean(),
  progressionDate: z.iso.date().nullable(),
  progressionBasis: z.enum(PROGRESSION_BASES).nullable(),
  note: z.string().max(2000).nullable(),
  /** The contact this one corrects (must be current); null for a new contact. */
  supersedesId: z.uuid().nullable(),
});
export type FollowUpVisitInput = z.infer<typeof followUpVisitInputSchema>;

/** The field-level rules, stated once so the server and the form say the same thing. */
function checkVisit(input: FollowUpVisitInput, randomizedOn: string): void {
  const bad = (field: string, message: string) => {
    throw new AppError('INVALID_INPUT', `${field}: ${message}`, { field });
  };
  if (input.visitDate < randomizedOn) bad('visitDate', `${input.visitDate} is before randomization (${randomizedOn}).`);
  if ((input.vitalStatus === 'dead') !== (input.deathDate !== null))
    bad('deathDate', input.vitalStatus === 'dead' ? 'a death needs its date.' : 'a death date is given only when the participant died.');
  if (input.deathDate !== null && (input.deathDate > input.visitDate || input.deathDate < randomizedOn))
    bad('deathDate', `${input.deathDate} must lie between randomization (${randomizedOn}) and the contact date (${input.visitDate}).`);
  if (input.progression !== (input.progressionDate !== null) || input.progression !== (input.progressionBasis !== null))
    bad('progressionDate', 'progression needs both its date and its basis (RANO or clinical); no progression has neither.');
  if (input.progressionDate !== null && (input.progressionDate > input.visitDate || input.progressionDate < randomizedOn))
    bad('progressionDate', `${input.progressionDate} must lie between randomization (${randomizedOn}) and the contact date (${input.visitDate}).`);
  if (input.progressionDate !== null && input.deathDate !== null && input.progressionDate > input.deathDate)
    bad('progressionDate', `${input.progressionDate} is after the death date ${input.deathDate}.`);
}

/**
 * Records a follow-up contact of a randomized participant (alive or dead, progression and its
 * basis), or corrects the current record of one contact with a new linked row — the data of the
 * progression-free and overall survival analyses. Rows are never changed (the database refuses it);
 * a stale correction is refused so two coordinators cannot fork the history; no contact is recorded
 * after a recorded death except a correction. Audited in the same transaction.
 */
export async function recordFollowUpVisit({
  db,
  access,
  participantId,
  input,
  actor,
  request,
}: {
  db: Database;
  access: TrialAccess;
  participantId: string;
  input: FollowUpVisitInput;
  actor: AuditActor;
  request: RequestMetadata;
}) {
  return db.transaction(async (tx) => {
    const participant = await loadVisibleParticipant({ db: tx, access, participantId, lock: 'update' });
    if (participant.status !== 'randomized') throw new AppError('INVALID_STATE', `Only randomized participants have follow-up visits; ${participant.studyId} is ${participant.status}.`);
    const [allocation] = await tx.select({ allocatedAt: allocations.allocatedAt }).from(allocations).where(eq(allocations.participantId, participant.id));
    if (!allocation) throw new AppError('INVALID_STATE', `${participant.studyId} has no allocation.`);
    const randomizedOn = allocation.allocatedAt.toISOString().slice(0, 10);
    checkVisit(input, randomizedOn);
    const history = await tx
      .select({ id: followUpVisits.id, supersedesId: followUpVisits.supersedesId, vitalStatus: followUpVisits.vitalStatus })
      .from(followUpVisits)
      .where(eq(followUpVisits.participantId, participant.id));
    const superseded = new Set(history.map((h) => h.supersedesId));
    const current = history.filter((h) => !superseded.has(h.id));
    if (input.supersedesId !== null && !current.some((c) => c.id === input.supersedesId)) {
      throw new AppError('INVALID_STATE', 'Only a current follow-up record can be corrected; reload and try again.');
    }
    if (input.supersedesId === null && current.some((c) => c.vitalStatus === 'dead')) {
      throw new AppError('INVALID_STATE', `${participant.studyId} has a recorded death; correct that record instead of adding a contact.`);
    }
    const [row] = await tx
      .insert(followUpVisits)
      .values({ trialId: participant.trialId, participantId: participant.id, ...input, recordedBy: actor.userId })
      .returning();
    if (!row) throw new Error('follow-up visit insert returned no row');
    const { recordedAt: _at, ...after } = row;
    await writeAuditEvent({
      tx,
      actor,
      action: input.supersedesId ? 'follow_up_visit.corrected' : 'follow_up_visit.recorded',
      entityType: 'participant',
      entityId: participant.id,
      trialId: participant.trialId,
      after,
      request,
    });
    return row;
  });
}
