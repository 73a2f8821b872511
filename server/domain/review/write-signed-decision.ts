import type { Tx } from '@/db/client';
import { clinicianDecisions } from '@/db/schema';
import type { DecisionInput } from './decision-input';
import { writeElectronicSignature } from './write-electronic-signature';

export interface WriteSignedDecisionOptions {
  readonly tx: Tx;
  readonly caseReview: { readonly id: string; readonly trialId: string; readonly participantId: string; readonly studyId: string };
  readonly signer: { readonly id: string; readonly displayName: string; readonly username: string };
  readonly decision: DecisionInput;
  readonly segmentationReviewId: string | null;
  readonly meaning: string;
  readonly signedAt: Date;
  readonly timeOnTaskMs: number | null;
  readonly supersedes?: { readonly id: string; readonly reason: string };
}

/**
 * Inserts a signature manifest and the decision it signs, inside the caller's transaction. The
 * signature's content hash covers the decision, the case, the AI outcome it was signed with, the
 * record it corrects, the signer, the meaning and the time, in canonical JSON.
 */
export async function writeSignedDecision(options: WriteSignedDecisionOptions) {
  const { tx, caseReview, signer, decision } = options;
  const signature = await writeElectronicSignature({
    tx,
    signer,
    meaning: options.meaning,
    signedAt: options.signedAt,
    content: {
      caseId: caseReview.studyId,
      decision,
      segmentationReviewId: options.segmentationReviewId,
      supersedesId: options.supersedes?.id ?? null,
      correctionReason: options.supersedes?.reason ?? null,
    },
  });
  const [row] = await tx
    .insert(clinicianDecisions)
    .values({
      caseReviewId: caseReview.id,
      trialId: caseReview.trialId,
      participantId: caseReview.participantId,
      studyId: caseReview.studyId,
      reviewerId: signer.id,
      ...decision,
      segmentationReviewId: options.segmentationReviewId,
      signatureId: signature.id,
      timeOnTaskMs: options.timeOnTaskMs,
      supersedesId: options.supersedes?.id ?? null,
      correctionReason: options.supersedes?.reason ?? null,
      createdAt: options.signedAt,
    })
    .returning();
  return { decision: row!, signature };
}
