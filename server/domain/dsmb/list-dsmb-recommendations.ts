import { desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { analysisPlans, dsmbRecommendations, electronicSignatures } from '@/db/schema';

/** The committee's signed recommendations of a trial, newest first, with the SAP version each followed. */
export async function listDsmbRecommendations({ db, trialId }: { db: DbOrTx; trialId: string }) {
  const rows = await db
    .select({ r: dsmbRecommendations, signerName: electronicSignatures.signerName, planVersion: analysisPlans.version })
    .from(dsmbRecommendations)
    .innerJoin(electronicSignatures, eq(electronicSignatures.id, dsmbRecommendations.signatureId))
    .innerJoin(analysisPlans, eq(analysisPlans.id, dsmbRecommendations.analysisPlanId))
    .where(eq(dsmbRecommendations.trialId, trialId))
    .orderBy(desc(dsmbRecommendations.recordedAt));
  return rows.map(({ r, signerName, planVersion }) => ({
    id: r.id,
    look: r.look,
    recommendation: r.recommendation,
    rationale: r.rationale,
    reportSha256: r.reportSha256,
    analysisPlanVersion: planVersion,
    signerName,
    recordedAt: r.recordedAt.toISOString(),
  }));
}
