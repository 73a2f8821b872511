import type { AnalysisPlanContent } from '../analysis-plan/analysis-plan-content';
import { DEFAULT_INTERIM_PLAN, type InterimPlan } from './compute-interim-monitoring';

export interface AnalyticsSettings {
  /** Bootstrap replicates for decision-curve intervals. */
  readonly replicates: number;
  readonly seed: number;
  /** Threshold grid of the decision curves. */
  readonly thresholds: { readonly from: number; readonly to: number; readonly by: number };
  /** Risk threshold at which the model counts as test-positive for sensitivity/specificity. */
  readonly operatingThreshold: number;
  readonly sensitivityFloor: number;
  readonly disparityTolerance: number;
  readonly minN: number;
  /** Horizon of the restricted mean survival time, in months. */
  readonly survivalHorizonMonths: number;
  /** Group-sequential monitoring of the primary time-to-event endpoint. */
  readonly interim: InterimPlan;
  /** The plan's outcomes and missing-data settings for the multiple-imputation sensitivity analysis (null: no plan, every binary outcome at default m). */
  readonly missingDataPlan: Pick<AnalysisPlanContent, 'primaryOutcome' | 'secondaryOutcomes' | 'missingData'> | null;
}

export const DEFAULT_ANALYTICS_SETTINGS: AnalyticsSettings = {
  replicates: 500,
  seed: 20261201,
  thresholds: { from: 0.01, to: 0.99, by: 0.01 },
  operatingThreshold: 0.5,
  sensitivityFloor: 0.8,
  disparityTolerance: 0.1,
  minN: 30,
  survivalHorizonMonths: 12,
  interim: DEFAULT_INTERIM_PLAN,
  missingDataPlan: null,
};
