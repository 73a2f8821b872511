import { and, eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { caseReviews, clinicianDecisions } from '@/db/schema';
import { AppError } from '../../errors';
import { writeAuditEvent, type RequestMetadata } from '../audit/write-audit-event';
import { assertDecisionEditChecks } from './assert-decision-edit-checks';
import { normalizeDecision, sameDecision, type DecisionInput } from './decision-input';
import type { ReviewCase } from './load-review-case';
import { CORRECTION_SIGNATURE_MEANING } from './signature-meaning';
import { verifySignaturePassword } from './verify-signature-password';
import { writeSignedDecision } from './write-signed-decision';

export interface CorrectDecisionOptions {
  readonly db: Database;
  readonly reviewCase: ReviewCase;
  readonly signer: { readonly id: string; readonly role: string };
  /** The current signed decision being corrected. */
  readonly supersedesId: string;
  readonly decision: DecisionInput;
  readonly reason: string;
  readonly password: string;
  readonly request: RequestMetadata;
  readonly now?: Date;
}

/**
 * Corrects the reviewer's current signed decision with a new signed one linked to it; both are kept
 * and the old row is never touched (the database refuses that anyway). The AI outcome of the
 * corrected decision carries over. Only the current decision can be corrected (one correction per
 * decision, enforced by a unique key); repeating a correction returns it (`created: false`).
 */
export async function correctDecision(options: CorrectDecisionOptions) {
  const { db, reviewCase, request } = options;
  const decision = normalizeDecision(options.decision);
  const reason = options.reason.trim();
  if (reason.length < 5) throw new AppError('INVALID_INPUT', 'State the reason for the correction (at least 5 characters).');
  await assertDecisionEditChecks({ db, trialId: reviewCase.trialId, decision });
  const signer = await verifySignaturePassword({ db, userId: options.signer.id, password: options.password, entityId: reviewCase.caseId, trialId: reviewCase.trialId, request, now: options.now });
  const now = options.now ?? new Date();

  return db.transaction(async (tx) => {
    const [review] = await tx
      .select()
      .from(caseReviews)
      .where(and(eq(caseReviews.studyId, reviewCase.caseId), eq(caseReviews.reviewerId, signer.id)))
      .for('update');
    const [target] = review
      ? await tx
          .select()
          .from(clinicianDecisions)
          .where(and(eq(clinicianDecisions.id, options.supersedesId), eq(clinicianDecisions.caseReviewId, review.id)))
      : [];
    if (!review || !target) throw new AppError('NOT_FOUND', 'Decision not found.');
    const [successor] = await tx.select().from(clinicianDecisions).where(eq(clinicianDecisions.supersedesId, target.id));
    if (successor) {
      if (sameDecision(decision, successor) && successor.correctionReason === reason) return { decision: successor, created: false };
      throw new AppError('INVALID_STATE', 'This decision has already been corrected: correct the current decision instead.');
    }
    const written = await writeSignedDecision({
      tx,
      caseReview: review,
      signer,
      decision,
      segmentationReviewId: target.segmentationReviewId,
      meaning: CORRECTION_SIGNATURE_MEANING,
      signedAt: now,
      timeOnTaskMs: null,
      supersedes: { id: target.id, reason },
    });
    await writeAuditEvent({
      tx,
      actor: { userId: signer.id, role: signer.role },
      action: 'review.corrected',
      entityType: 'decision',
      entityId: written.decision.id,
      trialId: reviewCase.trialId,
      before: {
        decisionId: target.id,
        decision: {
          tumourPresent: target.tumourPresent,
          suspectedGrade: target.suspectedGrade,
          managementPlan: target.managementPlan,
          probabilityHighGrade: target.probabilityHighGrade,
          confidence: target.confidence,
          note: target.note,
        },
      },
      after: {
        caseId: reviewCase.caseId,
        decision,
        reason,
        supersedesId: target.id,
        signatureId: written.signature.id,
        signerName: written.signature.signerName,
        meaning: written.signature.meaning,
        contentSha256: written.signature.contentSha256,
        signedAt: now.toISOString(),
      },
      request,
    });
    return { decision: written.decision, created: true };
  });
}
