import type { DbOrTx } from '@/db/client';
import type { Role } from '@/db/schema';
import { requireLockedAnalysisPlan } from '../analysis-plan/load-analysis-plan';
import { assertSeesAllocations } from '../enrollment/arm-visibility';
import type { TrialAccess } from '../trials/trial-access';
import type { TrialDesign } from '../trials/trial-design';
import { DEFAULT_ANALYTICS_SETTINGS, type AnalyticsSettings } from './analytics-settings';

/**
 * What every analytics read and export checks before any figure by arm: the caller is not blinded
 * in this trial (FORBIDDEN_ROLE; a blinded monitor gets none), and the trial's statistical analysis
 * plan is locked and signed (ANALYSIS_PLAN_NOT_LOCKED). Returns the plan and the report's settings,
 * whose interim monitoring and missing-data analysis are the plan's.
 */
export async function requireAnalyticsPlan({ db, role, access, design }: { db: DbOrTx; role: Role; access: TrialAccess; design: TrialDesign | null }) {
  assertSeesAllocations(role, design, access);
  const plan = await requireLockedAnalysisPlan({ db, trialId: access.trialId });
  const { primaryOutcome, secondaryOutcomes, missingData } = plan.content;
  const settings: AnalyticsSettings = { ...DEFAULT_ANALYTICS_SETTINGS, interim: plan.content.interim, missingDataPlan: { primaryOutcome, secondaryOutcomes, missingData } };
  return { plan, settings };
}
