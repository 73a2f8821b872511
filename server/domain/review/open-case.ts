import { and, eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { caseReviews } from '@/db/schema';
import { writeAuditEvent, type AuditActor, type RequestMetadata } from '../audit/write-audit-event';
import { isAiSuspended } from '../oversight/ai-availability';
import { recordAiUnavailableDeviation } from '../oversight/record-ai-unavailable-deviation';
import { isAiAssisted } from './is-ai-assisted';
import type { ReviewCase } from './load-review-case';

/**
 * Starts (or resumes) the reviewer's review of a case. The first opening creates the review in
 * state 'in_review' and fixes the start of time on task; later openings change nothing, so a
 * reload or a double request is harmless. An assisted-arm case opened while the AI is suspended
 * records its protocol deviation (once per study).
 */
export async function openCase({ db, reviewCase, actor, request }: { db: Database; reviewCase: ReviewCase; actor: AuditActor & { userId: string }; request: RequestMetadata }) {
  if (isAiAssisted(reviewCase.arm) && (await isAiSuspended(db, reviewCase.trialId, reviewCase.siteId))) {
    await recordAiUnavailableDeviation({ db, trialId: reviewCase.trialId, participantId: reviewCase.participantId, studyId: reviewCase.caseId, actor, request });
  }
  const mine = and(eq(caseReviews.studyId, reviewCase.caseId), eq(caseReviews.reviewerId, actor.userId));
  const [existing] = await db.select().from(caseReviews).where(mine);
  if (existing) return { review: existing, created: false };
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(caseReviews)
      .values({ trialId: reviewCase.trialId, siteId: reviewCase.siteId, participantId: reviewCase.participantId, studyId: reviewCase.caseId, reviewerId: actor.userId })
      .onConflictDoNothing()
      .returning();
    if (!row) {
      const [again] = await tx.select().from(caseReviews).where(mine);
      return { review: again!, created: false };
    }
    await writeAuditEvent({
      tx,
      actor,
      action: 'review.opened',
      entityType: 'case',
      entityId: reviewCase.caseId,
      trialId: reviewCase.trialId,
      after: { caseReviewId: row.id, openedAt: row.openedAt.toISOString() },
      request,
    });
    return { review: row, created: true };
  });
}
