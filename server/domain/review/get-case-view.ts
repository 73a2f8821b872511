import { and, asc, desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { caseReviews, clinicianDecisions, electronicSignatures, segmentationReviews, studyVolumes } from '@/db/schema';
import { AppError } from '../../errors';
import { loadTrial, requireDesign } from '../trials/load-trial';
import { isAiSuspended } from '../oversight/ai-availability';
import { isAiAssisted } from './is-ai-assisted';
import { AI_NOT_AVAILABLE, loadAiSegmentation } from './load-ai-segmentation';
import type { ReviewCase } from './load-review-case';

/**
 * What a reviewer sees of a case: the participant's pseudonymous code and site, the study grid and
 * its sequences, their own review state and signed decisions (with signature manifests, corrections
 * linked). `aiAssistance` is 'none' for control-arm cases whatever exists on the server; AI details
 * themselves come only from describeAiSegmentation.
 */
export async function getCaseView({ db, reviewCase, reviewerId }: { db: DbOrTx; reviewCase: ReviewCase; reviewerId: string }) {
  const [review] = await db
    .select()
    .from(caseReviews)
    .where(and(eq(caseReviews.studyId, reviewCase.caseId), eq(caseReviews.reviewerId, reviewerId)));
  const sequences = (await db.select({ role: studyVolumes.role }).from(studyVolumes).where(eq(studyVolumes.studyId, reviewCase.caseId))).map((v) => v.role);
  const decisions = review
    ? await db
        .select({ decision: clinicianDecisions, signature: electronicSignatures })
        .from(clinicianDecisions)
        .innerJoin(electronicSignatures, eq(electronicSignatures.id, clinicianDecisions.signatureId))
        .where(eq(clinicianDecisions.caseReviewId, review.id))
        .orderBy(asc(clinicianDecisions.createdAt))
    : [];
  const superseded = new Set(decisions.map((d) => d.decision.supersedesId).filter((id): id is string => id !== null));
  const assisted = isAiAssisted(reviewCase.arm);
  const aiSuspended = await isAiSuspended(db, reviewCase.trialId, reviewCase.siteId);
  let aiAssistance: 'available' | 'pending' | 'suspended' | 'none' = 'none';
  if (assisted && aiSuspended) aiAssistance = 'suspended';
  else if (assisted) {
    try {
      await loadAiSegmentation({ db, reviewCase });
      aiAssistance = 'available';
    } catch (error) {
      if (!(error instanceof AppError && error.message === AI_NOT_AVAILABLE)) throw error;
      aiAssistance = 'pending';
    }
  }
  const aiReviews =
    assisted && review
      ? await db.select().from(segmentationReviews).where(eq(segmentationReviews.caseReviewId, review.id)).orderBy(desc(segmentationReviews.recordedAt), desc(segmentationReviews.id))
      : [];
  const latestAiReview = aiReviews[0];
  const outcomeOf = new Map(aiReviews.map((r) => [r.id, r.outcome]));
  const { editChecks } = requireDesign(await loadTrial(db, reviewCase.trialId));
  return {
    caseId: reviewCase.caseId,
    trialId: reviewCase.trialId,
    trialName: reviewCase.trialName,
    site: reviewCase.siteCode,
    participantCode: reviewCase.participantCode,
    ingestedAt: reviewCase.ingestedAt,
    grid: { dims: reviewCase.grid.dims, spacing: reviewCase.grid.spacing },
    sequences,
    status: review?.status ?? ('new' as const),
    openedAt: review?.openedAt ?? null,
    signedAt: review?.signedAt ?? null,
    aiAssistance,
    /** The AI's stop switch is on for this case's site or trial (shown on every case there, whatever the arm). */
    aiSuspended,
    /** The trial's edit checks of the decision form (the form shows them beside each field). */
    editChecks,
    latestAiReview: latestAiReview
      ? { id: latestAiReview.id, outcome: latestAiReview.outcome, reason: latestAiReview.reason, recordedAt: latestAiReview.recordedAt, editedVolumesMl: latestAiReview.editedVolumesMl }
      : null,
    decisions: decisions.map(({ decision: d, signature: s }) => ({
      id: d.id,
      current: !superseded.has(d.id),
      supersedesId: d.supersedesId,
      correctionReason: d.correctionReason,
      tumourPresent: d.tumourPresent,
      suspectedGrade: d.suspectedGrade,
      managementPlan: d.managementPlan,
      probabilityHighGrade: d.probabilityHighGrade,
      confidence: d.confidence,
      note: d.note,
      aiOutcome: d.segmentationReviewId ? (outcomeOf.get(d.segmentationReviewId) ?? null) : null,
      timeOnTaskMs: d.timeOnTaskMs,
      signature: { signerName: s.signerName, signerUsername: s.signerUsername, signedAt: s.signedAt, meaning: s.meaning, contentSha256: s.contentSha256 },
    })),
  };
}

export type CaseView = Awaited<ReturnType<typeof getCaseView>>;
