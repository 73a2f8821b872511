import { and, desc, eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { caseReviews, clinicianDecisions, segmentationReviews } from '@/db/schema';
import { AppError } from '../../errors';
import { writeAuditEvent, type RequestMetadata } from '../audit/write-audit-event';
import { assertDecisionEditChecks } from './assert-decision-edit-checks';
import { normalizeDecision, sameDecision, type DecisionInput } from './decision-input';
import { isAiSuspended } from '../oversight/ai-availability';
import { isAiAssisted } from './is-ai-assisted';
import { AI_NOT_AVAILABLE, loadAiSegmentation } from './load-ai-segmentation';
import type { ReviewCase } from './load-review-case';
import { DECISION_SIGNATURE_MEANING } from './signature-meaning';
import { verifySignaturePassword } from './verify-signature-password';
import { writeSignedDecision } from './write-signed-decision';

export interface SignDecisionOptions {
  readonly db: Database;
  readonly reviewCase: ReviewCase;
  readonly signer: { readonly id: string; readonly role: string };
  readonly decision: DecisionInput;
  /** The signer's password, re-entered for this signature. */
  readonly password: string;
  readonly request: RequestMetadata;
  readonly now?: Date;
}

/**
 * Signs the reviewer's decision on an opened case: password re-entered (failures count toward the
 * lockout), then, in one transaction holding the review's row lock, the signature manifest and the
 * decision are written, the review becomes 'signed' with time on task from its first opening, and
 * the audit row is appended. On the assisted arm the AI segmentation must have been accepted,
 * edited or rejected first. Signing again with the same content returns the signed decision
 * (`created: false`); different content needs a correction.
 */
export async function signDecision(options: SignDecisionOptions) {
  const { db, reviewCase, request } = options;
  const decision = normalizeDecision(options.decision);
  await assertDecisionEditChecks({ db, trialId: reviewCase.trialId, decision });
  // While the AI is suspended an assisted-arm case is reviewed and signed without it (a recorded deviation).
  const assisted = isAiAssisted(reviewCase.arm) && !(await isAiSuspended(db, reviewCase.trialId, reviewCase.siteId));
  if (assisted) {
    try {
      await loadAiSegmentation({ db, reviewCase });
    } catch (error) {
      if (error instanceof AppError && error.message === AI_NOT_AVAILABLE) throw new AppError('INVALID_STATE', 'The AI segmentation of this case is not ready yet; sign once it has been reviewed.');
      throw error;
    }
  }
  const signer = await verifySignaturePassword({ db, userId: options.signer.id, password: options.password, entityId: reviewCase.caseId, trialId: reviewCase.trialId, request, now: options.now });
  const now = options.now ?? new Date();

  return db.transaction(async (tx) => {
    const [review] = await tx
      .select()
      .from(caseReviews)
      .where(and(eq(caseReviews.studyId, reviewCase.caseId), eq(caseReviews.reviewerId, signer.id)))
      .for('update');
    if (!review) throw new AppError('INVALID_STATE', 'Open the case before signing a decision on it.');
    if (review.status === 'signed') {
      const [current] = await tx.select().from(clinicianDecisions).where(eq(clinicianDecisions.caseReviewId, review.id)).orderBy(desc(clinicianDecisions.createdAt)).limit(1);
      if (current && current.supersedesId === null && sameDecision(decision, current)) return { decision: current, created: false };
      throw new AppError('INVALID_STATE', 'This case is already signed. A signed decision cannot be changed: submit a correction instead.');
    }
    let segmentationReviewId: string | null = null;
    if (assisted) {
      const [aiReview] = await tx
        .select({ id: segmentationReviews.id })
        .from(segmentationReviews)
        .where(eq(segmentationReviews.caseReviewId, review.id))
        .orderBy(desc(segmentationReviews.recordedAt), desc(segmentationReviews.id))
        .limit(1);
      if (!aiReview) throw new AppError('INVALID_STATE', 'Accept, edit or reject the AI segmentation before signing.');
      segmentationReviewId = aiReview.id;
    }
    const timeOnTaskMs = Math.max(0, now.getTime() - review.openedAt.getTime());
    const written = await writeSignedDecision({ tx, caseReview: review, signer, decision, segmentationReviewId, meaning: DECISION_SIGNATURE_MEANING, signedAt: now, timeOnTaskMs });
    await tx.update(caseReviews).set({ status: 'signed', signedAt: now }).where(eq(caseReviews.id, review.id));
    await writeAuditEvent({
      tx,
      actor: { userId: signer.id, role: signer.role },
      action: 'review.signed',
      entityType: 'decision',
      entityId: written.decision.id,
      trialId: reviewCase.trialId,
      after: {
        caseId: reviewCase.caseId,
        participantId: reviewCase.participantId,
        decision,
        segmentationReviewId,
        signatureId: written.signature.id,
        signerName: written.signature.signerName,
        meaning: written.signature.meaning,
        contentSha256: written.signature.contentSha256,
        signedAt: now.toISOString(),
        timeOnTaskMs,
      },
      request,
    });
    return { decision: written.decision, created: true };
  });
}
