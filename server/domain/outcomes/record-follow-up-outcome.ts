import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '@/db/client';
import { participantOutcomes, studies } from '@/db/schema';
import { AppError } from '../../errors';
import { writeAuditEvent, type AuditActor, type RequestMetadata } from '../audit/write-audit-event';
import { loadVisibleParticipant } from '../trials/load-visible-participant';
import type { TrialAccess } from '../trials/trial-access';

/** What a coordinator records at follow-up. Every field but the assessment date may stay unknown (null). */
export const followUpOutcomeInputSchema = z.object({
  referenceHighGrade: z.boolean().nullable(),
  whoGrade: z.number().int().min(1).max(4).nullable(),
  progressionFree6m: z.boolean().nullable(),
  /** The expert reference segmentation, stored beforehand with storeReferenceSegmentation. */
  reference: z.object({ studyId: z.uuid(), labelsSha256: z.string().regex(/^[0-9a-f]{64}$/) }).nullable(),
  assessedOn: z.iso.date(),
  note: z.string().max(2000).nullable(),
  /** The record this one corrects (must be the participant's current record); null for the first. */
  supersedesId: z.uuid().nullable(),
});
export type FollowUpOutcomeInput = z.infer<typeof followUpOutcomeInputSchema>;

/**
 * Records a participant's follow-up outcome (reference standard, reference segmentation, patient
 * outcome), or corrects the current one with a new linked record. Rows are never changed (the
 * database refuses it); a WHO grade must agree with the high-grade flag (grades 3–4 are high grade).
 * A stale correction (of a record already corrected) is refused, so two coordinators cannot fork the
 * history.
 */
export async function recordFollowUpOutcome({
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
  input: FollowUpOutcomeInput;
  actor: AuditActor;
  request: RequestMetadata;
}) {
  if (input.whoGrade !== null && input.referenceHighGrade !== null && input.referenceHighGrade !== input.whoGrade >= 3) {
    throw new AppError(
      'INVALID_INPUT',
      `WHO grade ${input.whoGrade} is ${input.whoGrade >= 3 ? '' : 'not '}high grade, but reference high grade was recorded as ${input.referenceHighGrade ? 'yes' : 'no'}.`,
    );
  }
  return db.transaction(async (tx) => {
    const participant = await loadVisibleParticipant({ db: tx, access, participantId, lock: 'update' });
    if (participant.status !== 'randomized') throw new AppError('INVALID_STATE', `Only randomized participants have follow-up outcomes; ${participant.studyId} is ${participant.status}.`);
    if (input.reference) {
      const [study] = await tx
        .select({ id: studies.id })
        .from(studies)
        .where(and(eq(studies.id, input.reference.studyId), eq(studies.participantId, participant.id)));
      if (!study) throw new AppError('NOT_FOUND', 'Study not found for this participant.');
    }
    const history = await tx
      .select({ id: participantOutcomes.id, supersedesId: participantOutcomes.supersedesId })
      .from(participantOutcomes)
      .where(eq(participantOutcomes.participantId, participant.id));
    const superseded = new Set(history.map((h) => h.supersedesId));
    const current = history.find((h) => !superseded.has(h.id));
    if (input.supersedesId === null && current) {
      throw new AppError('ALREADY_EXISTS', `${participant.studyId} already has a follow-up outcome; record a correction of it instead.`, { currentId: current.id });
    }
    if (input.supersedesId !== null && input.supersedesId !== current?.id) {
      throw new AppError('INVALID_STATE', 'Only the current follow-up outcome can be corrected; reload and try again.', { currentId: current?.id ?? null });
    }
    const [row] = await tx
      .insert(participantOutcomes)
      .values({
        trialId: participant.trialId,
        participantId: participant.id,
        referenceHighGrade: input.referenceHighGrade,
        whoGrade: input.whoGrade,
        progressionFree6m: input.progressionFree6m,
        referenceStudyId: input.reference?.studyId ?? null,
        referenceLabelsSha256: input.reference?.labelsSha256 ?? null,
        assessedOn: input.assessedOn,
        note: input.note,
        recordedBy: actor.userId,
        supersedesId: input.supersedesId,
      })
      .returning();
    if (!row) throw new Error('outcome insert returned no row');
    const { id: _id, recordedAt: _at, ...after } = row;
    await writeAuditEvent({
      tx,
      actor,
      action: input.supersedesId ? 'outcome.corrected' : 'outcome.recorded',
      entityType: 'participant',
      entityId: participant.id,
      trialId: participant.trialId,
      after: { outcomeId: row.id, ...after },
      request,
    });
    return row;
  });
}
