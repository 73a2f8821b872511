import { compareArmsByProtocolVersion } from './compare-arms-by-protocol-version';
import { compareArmOutcomes } from './compare-arm-outcomes';
import { compareNetBenefitByArm } from './compare-net-benefit-by-arm';
import { computeArmEffectSubgroups } from './compute-arm-effect-subgroups';
import { computeDecisionCurves } from './compute-decision-curves';
import { computeInterimMonitoring } from './compute-interim-monitoring';
import { computeModelCalibration } from './compute-model-calibration';
import { computeModelSubgroups } from './compute-model-subgroups';
import { computeMultipleImputation } from './compute-multiple-imputation';
import { computeSurvivalAnalytics } from './compute-survival-analytics';
import { computeSurvivalDecisionCurve } from './compute-survival-decision-curve';
import { countAnalysisRows } from './count-analysis-rows';
import type { SectionContext } from './section-context';
import { summarizeHumanAiInteraction } from './summarize-human-ai-interaction';
import { summarizeSegmentationPerformance } from './summarize-segmentation-performance';
import { summarizeSites } from './summarize-sites';

type SurvivalAnalytics = ReturnType<typeof computeSurvivalAnalytics>;

/** The sections one section is computed from (the interim monitoring reads the survival section). */
export interface SectionDependencies {
  readonly survival: () => SurvivalAnalytics;
}

/**
 * Every section of the statistician's report, in the report's order: each a function of the
 * dataset and settings alone (and of the sections it names in SectionDependencies), so an export
 * computes only the sections its tables read. A new section is one function file and one line here.
 */
export const ANALYTICS_SECTIONS = {
  counts: countAnalysisRows,
  armComparisons: compareArmOutcomes,
  survival: ({ dataset, armA, armB, label, settings }: SectionContext): SurvivalAnalytics =>
    computeSurvivalAnalytics({ rows: dataset.rows, armA, armB, labelOf: label, horizonMonths: settings.survivalHorizonMonths }),
  interim: ({ settings }: SectionContext, got: SectionDependencies) => computeInterimMonitoring({ plan: settings.interim, survival: got.survival() }),
  // Net benefit of treating by model risk against progression or death by 6 months (dcurves' time =).
  survivalDecisionCurve: ({ dataset: { rows, arms }, settings }: SectionContext) =>
    computeSurvivalDecisionCurve({ rows, arms, horizonMonths: 6, thresholds: Array.from({ length: 19 }, (_, k) => (k + 1) / 20), replicates: settings.replicates, seed: settings.seed }),
  decisionCurves: computeDecisionCurves,
  decisionCurveDifferences: compareNetBenefitByArm,
  calibration: computeModelCalibration,
  modelSubgroups: computeModelSubgroups,
  forest: computeArmEffectSubgroups,
  segmentation: summarizeSegmentationPerformance,
  interaction: summarizeHumanAiInteraction,
  perSite: summarizeSites,
  byProtocolVersion: ({ dataset: { rows }, armA, armB }: SectionContext) => compareArmsByProtocolVersion({ rows, armA, armB }),
  // Missing binary outcomes: multiple imputation beside complete cases, as the plan states it (sensitivity analysis).
  multipleImputation: ({ dataset: { rows, factors }, armA, armB, label, settings }: SectionContext) => computeMultipleImputation({ rows, armA, armB, factors, label, plan: settings.missingDataPlan }),
} satisfies Record<string, (c: SectionContext, got: SectionDependencies) => unknown>;

export type AnalyticsSectionName = keyof typeof ANALYTICS_SECTIONS;
export type AnalyticsSectionValues = { readonly [K in AnalyticsSectionName]: ReturnType<(typeof ANALYTICS_SECTIONS)[K]> };
export const ANALYTICS_SECTION_NAMES = Object.keys(ANALYTICS_SECTIONS) as AnalyticsSectionName[];
