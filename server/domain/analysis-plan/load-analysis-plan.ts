import { desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { analysisPlans, electronicSignatures } from '@/db/schema';
import { AppError } from '../../errors';
import { analysisPlanContentSchema, type AnalysisPlanContent } from './analysis-plan-content';

export interface LockedAnalysisPlan {
  readonly id: string;
  readonly version: number;
  readonly content: AnalysisPlanContent;
  readonly contentSha256: string;
  readonly amendmentReason: string | null;
  readonly lockedAt: string;
  readonly signerName: string;
  readonly meaning: string;
}

/** Every signed version of a trial's analysis plan, newest first (empty before the first lock). */
export async function listAnalysisPlans({ db, trialId }: { db: DbOrTx; trialId: string }): Promise<LockedAnalysisPlan[]> {
  const rows = await db
    .select({ plan: analysisPlans, signerName: electronicSignatures.signerName, meaning: electronicSignatures.meaning })
    .from(analysisPlans)
    .innerJoin(electronicSignatures, eq(electronicSignatures.id, analysisPlans.signatureId))
    .where(eq(analysisPlans.trialId, trialId))
    .orderBy(desc(analysisPlans.version));
  return rows.map(({ plan, signerName, meaning }) => ({
    id: plan.id,
    version: plan.version,
    content: analysisPlanContentSchema.parse(plan.content),
    contentSha256: plan.contentSha256,
    amendmentReason: plan.amendmentReason,
    lockedAt: plan.lockedAt.toISOString(),
    signerName,
    meaning,
  }));
}

/** The plan in force: the latest signed version, or null while none is locked. */
export async function currentAnalysisPlan({ db, trialId }: { db: DbOrTx; trialId: string }): Promise<LockedAnalysisPlan | null> {
  return (await listAnalysisPlans({ db, trialId }))[0] ?? null;
}

/**
 * The plan in force, or ANALYSIS_PLAN_NOT_LOCKED: nothing is compared between arms before the
 * statistician has locked and signed the analysis plan (ICH E9: the plan precedes unblinding).
 */
export async function requireLockedAnalysisPlan({ db, trialId }: { db: DbOrTx; trialId: string }): Promise<LockedAnalysisPlan> {
  const plan = await currentAnalysisPlan({ db, trialId });
  if (!plan) throw new AppError('ANALYSIS_PLAN_NOT_LOCKED', 'No signed statistical analysis plan: lock and sign the analysis plan before any comparison of the arms is shown.', { trialId });
  return plan;
}
