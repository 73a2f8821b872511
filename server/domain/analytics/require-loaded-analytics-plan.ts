import type { DbOrTx } from '@/db/client';
import type { Role } from '@/db/schema';
import { analysisPlanContentSchema, type AnalysisPlanContent } from '../analysis-plan/analysis-plan-content';
import { requireLockedAnalysisPlan } from '../analysis-plan/load-analysis-plan';
import { assertSeesAllocations } from '../enrollment/arm-visibility';
import type { TrialAccess } from '../trials/trial-access';
import { parseTrialDesign, type TrialDesign } from '../trials/trial-design';
import type { AnalysisSources, PlanSource, TrialSource } from './analysis-sources';
import { DEFAULT_ANALYTICS_SETTINGS, type AnalyticsSettings } from './analytics-settings';

// Parsed once per part read: loadAnalysisSources answers the same object while the rows are unchanged.
const designs = new WeakMap<TrialSource, TrialDesign | null>();
const plans = new WeakMap<PlanSource, AnalysisPlanContent>();

/**
 * requireAnalyticsPlan over sources already loaded (loadAnalysisSources), without reading the trial
 * or the plan again: the caller is not blinded in this trial (FORBIDDEN_ROLE), and a signed plan is
 * in force (without one, requireLockedAnalysisPlan reads again and answers ANALYSIS_PLAN_NOT_LOCKED).
 * Returns the trial's parsed design and the report's settings.
 */
export async function requireLoadedAnalyticsPlan({
  db,
  role,
  access,
  sources,
}: {
  db: DbOrTx;
  role: Role;
  access: TrialAccess;
  sources: AnalysisSources;
}): Promise<{ design: TrialDesign | null; settings: AnalyticsSettings }> {
  const trial = sources.trial;
  let design = trial ? designs.get(trial) : null;
  if (trial && design === undefined) {
    design = trial.design ? parseTrialDesign(trial.design) : null;
    designs.set(trial, design);
  }
  design ??= null;
  assertSeesAllocations(role, design, access);
  let content = sources.plan ? plans.get(sources.plan) : undefined;
  if (!content) {
    content = sources.plan ? analysisPlanContentSchema.parse(sources.plan.content) : (await requireLockedAnalysisPlan({ db, trialId: access.trialId })).content;
    if (sources.plan) plans.set(sources.plan, content);
  }
  const { primaryOutcome, secondaryOutcomes, missingData } = content;
  return { design, settings: { ...DEFAULT_ANALYTICS_SETTINGS, interim: content.interim, missingDataPlan: { primaryOutcome, secondaryOutcomes, missingData } } };
}
