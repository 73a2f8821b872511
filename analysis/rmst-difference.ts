import { AnalysisInputError } from './errors';
import { kaplanMeier } from './kaplan-meier';
import { normalCdf } from './normal-cdf';
import { restrictedMeanSurvival, type RestrictedMeanSurvival } from './restricted-mean-survival';
import { zForConfidence } from './z-for-confidence';

export interface SurvivalArm {
  readonly time: readonly number[];
  readonly event: readonly number[];
}

export interface RmstDifference {
  readonly tau: number;
  readonly armA: RestrictedMeanSurvival;
  readonly armB: RestrictedMeanSurvival;
  /** RMST(A) − RMST(B). */
  readonly difference: number;
  readonly se: number;
  readonly lower: number;
  readonly upper: number;
  /** Two-sided Wald p for difference = 0. */
  readonly p: number;
  readonly confLevel: number;
  readonly method: 'RMST difference, Kaplan-Meier areas, Wald CI';
}

/**
 * Difference in restricted mean survival time to τ between arm A and arm B with a Wald interval
 * (independent arms: se = √(se_A² + se_B²)) — survRM2's `rmst2(...)$unadjusted.result` row
 * "RMST (arm=1)-(arm=0)"; per arm as R `print(survfit(...), rmean = tau)`. The summary of choice
 * when hazards are not proportional (no single hazard ratio describes the effect).
 * Reference: P. Royston & M. K. B. Parmar (2013), BMC Med Res Methodol 13:152.
 * Throws as `kaplanMeier`; `INVALID_ARGUMENT` for τ ≤ 0; `OUT_OF_RANGE` when τ exceeds an arm's
 * largest observed time (the curve is not estimated beyond it).
 *
 * @example
 * const r = rmstDifference({ time: [2, 4, 6, 8], event: [1, 0, 1, 0] }, { time: [1, 2, 3, 5], event: [1, 1, 0, 1] }, 5);
 * r.difference; // → 1
 */
export function rmstDifference(armA: SurvivalArm, armB: SurvivalArm, tau: number, confLevel = 0.95): RmstDifference {
  const z = zForConfidence(confLevel);
  const results = [armA, armB].map((arm, k) => {
    const curve = kaplanMeier(arm.time, arm.event, confLevel);
    const last = Math.max(...arm.time);
    if (tau > last) throw new AnalysisInputError('OUT_OF_RANGE', `tau = ${tau} exceeds arm ${k === 0 ? 'A' : 'B'}'s largest observed time ${last}`);
    return restrictedMeanSurvival(curve, tau);
  }) as [RestrictedMeanSurvival, RestrictedMeanSurvival];
  const difference = results[0].rmst - results[1].rmst;
  const se = Math.sqrt(results[0].se ** 2 + results[1].se ** 2);
  const p = se > 0 ? 2 * normalCdf(-Math.abs(difference / se)) : Number.NaN;
  if (!Number.isFinite(p)) throw new AnalysisInputError('UNDEFINED_ESTIMATE', 'the RMST difference has zero variance (no events before tau)');
  return { tau, armA: results[0], armB: results[1], difference, se, lower: difference - z * se, upper: difference + z * se, p, confLevel, method: 'RMST difference, Kaplan-Meier areas, Wald CI' };
}
