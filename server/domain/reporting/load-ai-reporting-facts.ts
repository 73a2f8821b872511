import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { caseReviews, segmentationReviews, studyUploads } from '@/db/schema';

/**
 * The counts the AI reporting checklists need beyond the analysis report: study uploads refused by
 * the ingest checks, and the AI review actions (accepted / edited / rejected) on signed reviews.
 */
export async function loadAiReportingCounts({ db, trialId }: { db: DbOrTx; trialId: string }) {
  const uploads = await db
    .select({ status: studyUploads.status, n: sql<number>`count(*)::int` })
    .from(studyUploads)
    .where(eq(studyUploads.trialId, trialId))
    .groupBy(studyUploads.status);
  const actions = await db
    .select({ outcome: segmentationReviews.outcome, n: sql<number>`count(*)::int` })
    .from(segmentationReviews)
    .innerJoin(caseReviews, eq(caseReviews.id, segmentationReviews.caseReviewId))
    .where(and(eq(caseReviews.trialId, trialId), eq(caseReviews.status, 'signed')))
    .groupBy(segmentationReviews.outcome);
  const count = (rows: readonly { n: number }[]) => rows.reduce((s, r) => s + r.n, 0);
  const of = (outcome: string) => count(actions.filter((a) => a.outcome === outcome));
  return {
    uploads: { rejected: count(uploads.filter((u) => u.status === 'rejected')), total: count(uploads) },
    aiActions: { accepted: of('accepted'), edited: of('edited'), rejected: of('rejected') },
  };
}
