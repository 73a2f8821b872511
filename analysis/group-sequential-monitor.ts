import type { SpendingFunction } from './alpha-spending';
import { AnalysisInputError } from './errors';
import { groupSequentialDesign } from './group-sequential-design';

export interface InterimLook {
  /** Information observed at this look: events for a time-to-event outcome (or subjects). */
  readonly information: number;
  /** The standardized test statistic at this look, oriented so that benefit is positive (e.g. −log-rank z for hazard ratio < 1). */
  readonly z: number;
}

export type InterimRecommendation = 'stop for efficacy' | 'stop: boundary crossed in the harmful direction' | 'continue' | 'final analysis: not significant';

export interface MonitoredLook {
  readonly look: number;
  readonly information: number;
  /** Observed fraction of the planned maximum information (1 at the final analysis). */
  readonly informationFraction: number;
  readonly criticalValue: number;
  readonly cumulativeAlpha: number;
  readonly z: number;
  readonly recommendation: InterimRecommendation;
}

/**
 * Interim monitoring of a group-sequential trial: recomputes the efficacy boundaries at the
 * information fractions actually observed (observed ÷ planned maximum information, the final
 * analysis at 1 so that all α is spent), compares each look's z statistic with its boundary and says
 * what the boundary implies. The first look that crosses stops the trial; later looks are not
 * evaluated. This is the recommendation the boundary implies, not a decision: the DSMB weighs it
 * with safety and external evidence. rpact: `getDesignGroupSequential(informationRates = observed /
 * planned)` and compare `criticalValues` with the z statistics.
 * Reference: K. K. G. Lan & D. L. DeMets (1983); D. L. DeMets & K. K. G. Lan (1994), Stat Med 13:1341–1352.
 * Throws `EMPTY_INPUT` with no looks; `INVALID_ARGUMENT` for a non-increasing or non-positive
 * information, a non-finite z or a planned maximum ≤ 0; as `groupSequentialDesign`.
 *
 * @example
 * const m = groupSequentialMonitor({ alpha: 0.025, spending: { type: 'obf' }, plannedInformation: 250 }, [{ information: 120, z: 3.1 }]);
 * m.looks[0]?.recommendation; // → 'stop for efficacy'
 */
export function groupSequentialMonitor(
  plan: { alpha: number; sided?: 1 | 2; spending: SpendingFunction; plannedInformation: number },
  observed: readonly InterimLook[],
  options: { final?: boolean } = {},
): { looks: MonitoredLook[]; stopped: boolean } {
  if (observed.length === 0) throw new AnalysisInputError('EMPTY_INPUT', 'no interim looks');
  if (!(plan.plannedInformation > 0 && Number.isFinite(plan.plannedInformation)))
    throw new AnalysisInputError('INVALID_ARGUMENT', `planned information ${plan.plannedInformation}: expected a positive number`);
  observed.forEach((o, k) => {
    if (!Number.isFinite(o.z)) throw new AnalysisInputError('INVALID_ARGUMENT', `look ${k + 1}: z = ${o.z} is not finite`);
    if (!(o.information > 0) || (k > 0 && !(o.information > (observed[k - 1] as InterimLook).information)))
      throw new AnalysisInputError('INVALID_ARGUMENT', `look ${k + 1}: information ${o.information} must be positive and larger than the previous look's`);
  });
  const fractions = observed.map((o, k) => (options.final && k === observed.length - 1 ? 1 : Math.min(1, o.information / plan.plannedInformation)));
  // Information beyond the plan before the final look: treat that look as final (all α spent).
  const lastUseful = fractions.findIndex((f) => f >= 1);
  const used = lastUseful >= 0 ? fractions.slice(0, lastUseful + 1) : fractions;
  const design = groupSequentialDesign({ informationFractions: used, alpha: plan.alpha, sided: plan.sided ?? 1, spending: plan.spending });
  const looks: MonitoredLook[] = [];
  let stopped = false;
  for (const [k, row] of design.looks.entries()) {
    const o = observed[k] as InterimLook;
    const final = row.informationFraction === 1;
    let recommendation: InterimRecommendation = final ? 'final analysis: not significant' : 'continue';
    if (o.z >= row.criticalValue) recommendation = 'stop for efficacy';
    else if ((plan.sided ?? 1) === 2 && o.z <= -row.criticalValue) recommendation = 'stop: boundary crossed in the harmful direction';
    looks.push({
      look: k + 1,
      information: o.information,
      informationFraction: row.informationFraction,
      criticalValue: row.criticalValue,
      cumulativeAlpha: row.cumulativeAlpha,
      z: o.z,
      recommendation,
    });
    if (recommendation.startsWith('stop') || final) {
      stopped = recommendation.startsWith('stop');
      break;
    }
  }
  return { looks, stopped };
}
