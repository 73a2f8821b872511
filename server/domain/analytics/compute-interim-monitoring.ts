import type { SpendingFunction } from '@/analysis/alpha-spending';
import { AnalysisInputError } from '@/analysis/errors';
import { futilityBoundaries } from '@/analysis/futility-boundaries';
import { groupSequentialDesign } from '@/analysis/group-sequential-design';
import { groupSequentialMonitor } from '@/analysis/group-sequential-monitor';
import type { SurvivalAnalytics } from './compute-survival-analytics';

/** The planned group-sequential monitoring of the primary time-to-event endpoint. */
export interface InterimPlan {
  readonly endpoint: 'pfs' | 'os';
  readonly informationFractions: readonly number[];
  /** One-sided α. */
  readonly alpha: number;
  readonly beta: number;
  readonly spending: SpendingFunction;
  /** Hazard ratio (arm A vs arm B) the trial is powered for. */
  readonly hazardRatio: number;
  /** Optional non-binding futility boundaries (β-spending); crossing one never changes the efficacy bounds. */
  readonly futility?: { readonly spending: SpendingFunction } | null;
}

export const DEFAULT_INTERIM_PLAN: InterimPlan = { endpoint: 'pfs', informationFractions: [1 / 3, 2 / 3, 1], alpha: 0.025, beta: 0.2, spending: { type: 'obf' }, hazardRatio: 0.7 };

/**
 * The group-sequential design of the plan (boundaries, cumulative α, maximum events by Schoenfeld's
 * formula) and where the trial stands now: events so far as the information fraction, the
 * stratified log-rank z oriented so that fewer events in arm A is positive, the boundary recomputed
 * at that fraction and what it implies. Null parts say why they are missing.
 */
export function computeInterimMonitoring({ plan, survival }: { plan: InterimPlan; survival: SurvivalAnalytics }) {
  const design = groupSequentialDesign({
    informationFractions: plan.informationFractions,
    alpha: plan.alpha,
    beta: plan.beta,
    spending: plan.spending,
    hazardRatio: plan.hazardRatio,
    futility: plan.futility ?? null,
  });
  const maxEvents = Math.ceil(design.maxEvents as number);
  const endpoint = survival.find((s) => s.endpoint === plan.endpoint);
  let current: { events: number; fraction: number; z: number; boundary: number; futilityBoundary: number | null; recommendation: string } | { reason: string };
  if (!endpoint || !endpoint.logRankStratified.available) current = { reason: endpoint && !endpoint.logRankStratified.available ? endpoint.logRankStratified.reason : 'no endpoint' };
  else {
    const lr = endpoint.logRankStratified.value;
    const a = lr.groups.find((g) => g.group === endpoint.arms[0]?.arm);
    const z = a ? Math.sign(a.expected - a.observed) * Math.sqrt(lr.chiSquare) : 0;
    try {
      const m = groupSequentialMonitor({ alpha: plan.alpha, spending: plan.spending, plannedInformation: maxEvents }, [{ information: Math.max(endpoint.events, 1e-9), z }]);
      const look = m.looks[0];
      // The futility bound at the observed fraction, under the design's drift (β spent to that fraction).
      const futility =
        look && plan.futility && design.drift !== null && look.informationFraction < 1
          ? (futilityBoundaries({
              informationFractions: [look.informationFraction],
              criticalValues: [look.criticalValue],
              drift: design.drift,
              beta: plan.beta,
              spending: plan.futility.spending,
            })[0] as number)
          : null;
      const recommendation =
        look && futility !== null && look.recommendation === 'continue' && z <= futility ? 'futility boundary crossed: stopping for futility may be recommended (non-binding)' : look?.recommendation;
      current = look
        ? { events: endpoint.events, fraction: look.informationFraction, z, boundary: look.criticalValue, futilityBoundary: futility, recommendation: recommendation as string }
        : { reason: 'no look' };
    } catch (error) {
      if (error instanceof AnalysisInputError) current = { reason: `${error.code}: ${error.message}` };
      else throw error;
    }
  }
  return { plan, design, maxEvents, current };
}

export type InterimMonitoring = ReturnType<typeof computeInterimMonitoring>;
