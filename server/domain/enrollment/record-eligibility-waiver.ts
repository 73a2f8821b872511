import { eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { eligibilityWaivers, participants } from '@/db/schema';
import { AppError } from '../../errors';
import { writeAuditEvent, type RequestMetadata } from '../audit/write-audit-event';
import { writeElectronicSignature } from '../review/write-electronic-signature';
import { verifySignaturePassword } from '../review/verify-signature-password';
import { loadTrial, requireDesign } from '../trials/load-trial';
import type { TrialAccess } from '../trials/trial-access';
import { eligibilityStatus } from './eligibility-status';
import { loadVisibleParticipant } from '../trials/load-visible-participant';

export const WAIVER_SIGNATURE_MEANING =
  'I am authorised under the protocol to waive these eligibility criteria for this participant, and I waive them for the reason stated. By signing I confirm the waiver as attributable to me; it cannot be changed.';

export interface RecordEligibilityWaiverOptions {
  readonly db: Database;
  readonly access: TrialAccess;
  readonly participantId: string;
  readonly reason: string;
  readonly password: string;
  readonly signer: { readonly id: string; readonly role: string };
  readonly request: RequestMetadata;
}

/**
 * A signed waiver of every eligibility criterion a participant fails, where the protocol marks each
 * of them waivable. The signer re-enters their password (failures count toward the lockout); the
 * signature manifest, the waiver and the audit row are written in one transaction. Only one waiver
 * per participant; the participant must still be awaiting randomization.
 */
export async function recordEligibilityWaiver(options: RecordEligibilityWaiverOptions) {
  const { db, access, request } = options;
  const reason = options.reason.trim();
  if (reason.length < 10) throw new AppError('INVALID_INPUT', 'State the reason for the waiver (at least 10 characters).', { field: 'reason' });
  if (access.mayRandomize === false) throw new AppError('FORBIDDEN_ROLE', 'You do not hold the right to randomize in this trial, so you cannot waive eligibility either.');
  const participant = await loadVisibleParticipant({ db, access, participantId: options.participantId });
  const signer = await verifySignaturePassword({ db, userId: options.signer.id, password: options.password, entityId: participant.id, trialId: access.trialId, request });

  return db.transaction(async (tx) => {
    const [locked] = await tx.select().from(participants).where(eq(participants.id, participant.id)).for('update');
    if (!locked || locked.status !== 'enrolled')
      throw new AppError('INVALID_STATE', `Participant ${participant.studyId} is ${locked?.status ?? 'gone'}: a waiver is only for a participant awaiting randomization.`);
    const [existing] = await tx.select().from(eligibilityWaivers).where(eq(eligibilityWaivers.participantId, participant.id));
    if (existing) throw new AppError('ALREADY_EXISTS', `Participant ${participant.studyId} already has a signed eligibility waiver.`);
    const design = requireDesign(await loadTrial(tx, access.trialId));
    const status = eligibilityStatus(design, locked.eligibility, null);
    if (status.unmet.length === 0) throw new AppError('INVALID_STATE', `Participant ${participant.studyId} meets every eligibility criterion: there is nothing to waive.`);
    const notWaivable = status.unmet.filter((c) => !c.waivable);
    if (notWaivable.length > 0)
      throw new AppError('INVALID_STATE', `The protocol does not allow waiving: ${notWaivable.map((c) => `"${c.text}"`).join(', ')}.`, { criteria: notWaivable.map((c) => c.id) });
    const criteria = status.unmet.map((c) => c.id);
    const signedAt = new Date();
    const signature = await writeElectronicSignature({
      tx,
      signer,
      meaning: WAIVER_SIGNATURE_MEANING,
      signedAt,
      content: { participantId: participant.id, studyId: participant.studyId, criteria, reason },
    });
    const [waiver] = await tx
      .insert(eligibilityWaivers)
      .values({ trialId: access.trialId, participantId: participant.id, criteria, reason, signatureId: signature.id, waivedBy: signer.id, waivedAt: signedAt })
      .returning();
    await writeAuditEvent({
      tx,
      actor: { userId: signer.id, role: signer.role },
      action: 'participant.eligibility_waived',
      entityType: 'participant',
      entityId: participant.id,
      trialId: access.trialId,
      before: { eligibility: 'ineligible', unmetCriteria: criteria },
      after: {
        waiverId: waiver!.id,
        studyId: participant.studyId,
        criteria,
        reason,
        signatureId: signature.id,
        signerName: signer.displayName,
        meaning: WAIVER_SIGNATURE_MEANING,
        contentSha256: signature.contentSha256,
        signedAt: signedAt.toISOString(),
      },
      request,
    });
    return waiver!;
  });
}
