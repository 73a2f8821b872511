import { decisionCurveRows } from './decision-curve-rows';
import { drawBootstrapWeights } from './draw-bootstrap-weights';
import { groupByStratum } from './group-by-stratum';
import { percentileInterval } from './percentile-interval';
import { prepareDecisionCurve } from './prepare-decision-curve';
import { replicateNetBenefit } from './replicate-net-benefit';
import { createSeededRandom } from './seeded-random';
import { validateBootstrapOptions, type BootstrapOptions } from './validate-bootstrap-options';

/** One arm's patients: outcome 0/1, the decision or risk being evaluated, optional strata labels. */
export interface NetBenefitArm {
  readonly outcome: readonly number[];
  readonly risk: readonly number[];
  readonly strata?: readonly (string | number)[];
}

export interface NetBenefitDifferenceRow {
  readonly threshold: number;
  readonly net_benefit_a: number;
  readonly net_benefit_b: number;
  /** net_benefit_a − net_benefit_b. */
  readonly difference: number;
  readonly difference_lower: number;
  readonly difference_upper: number;
}

/**
 * Difference in net benefit between two trial arms (e.g. clinicians' decisions with vs without AI
 * assistance) at each threshold, with a bootstrap percentile interval.
 *
 * Each arm's net benefit is as `decisionCurve` (test-positive = risk ≥ t; a 0/1 decision of 1 is
 * positive at every threshold and 0 at none, as dcurves). Resampling is independent between arms and
 * stratified within each arm by its `strata` (arms are never mixed, so arm sizes are fixed):
 * per replicate arm A is drawn first, then arm B, from one xoshiro128** stream.
 * Replicates with an arm lacking events or non-events give NaN and are dropped from percentiles.
 * Reference: Vickers, Cronin, Elkin, Gonen (2008), BMC Med Inform Decis Mak 8:53; Efron &
 * Tibshirani (1993) ch. 8 (two-sample bootstrap).
 * Throws as `prepareDecisionCurve` (per arm), `validateBootstrapOptions`, `groupByStratum`.
 *
 * @example
 * netBenefitDifference(
 *   { outcome: [1, 0, 1, 0], risk: [1, 0, 1, 1] },
 *   { outcome: [1, 0, 1, 0], risk: [1, 1, 0, 1] },
 *   { thresholds: [0.2], harm: 0 },
 *   { replicates: 100, seed: 3 },
 * )[0];
 * // → { threshold: 0.2, net_benefit_a: 0.4375, net_benefit_b: 0.125, difference: 0.3125,
 * //     difference_lower: -0.3125, difference_upper: 0.8921874999999995 }
 */
export function netBenefitDifference(
  armA: NetBenefitArm,
  armB: NetBenefitArm,
  settings: { readonly thresholds?: readonly number[]; readonly harm?: number; readonly prevalence?: number },
  options: BootstrapOptions,
): readonly NetBenefitDifferenceRow[] {
  const { replicates, seed, confLevel } = validateBootstrapOptions(options);
  const prepare = (arm: NetBenefitArm) =>
    prepareDecisionCurve({
      outcome: arm.outcome,
      predictors: { decision: arm.risk },
      ...(settings.thresholds ? { thresholds: settings.thresholds } : {}),
      ...(settings.harm !== undefined ? { harm: { decision: settings.harm } } : {}),
      ...(settings.prevalence !== undefined ? { prevalence: settings.prevalence } : {}),
    });
  const arms = [prepare(armA), prepare(armB)] as const;
  const groups = [groupByStratum(arms[0].n, armA.strata), groupByStratum(arms[1].n, armB.strata)];
  const T = arms[0].thresholds.length;
  const point = arms.map((p) => decisionCurveRows(p, null).filter((row) => row.variable === 'decision'));
  const perArm = [new Float64Array(T * replicates), new Float64Array(T * replicates)];
  const rng = createSeededRandom(seed);
  const weights = [new Int32Array(arms[0].n), new Int32Array(arms[1].n)];
  const scratch = { eventsPositive: new Float64Array(T), nonEventsPositive: new Float64Array(T) };
  for (let r = 0; r < replicates; r++) {
    for (let a = 0; a < 2; a++) {
      const prepared = arms[a as 0 | 1];
      const w = weights[a] as Int32Array;
      drawBootstrapWeights(groups[a] ?? [], rng, w);
      let events = 0;
      for (let i = 0; i < prepared.n; i++) if (prepared.outcome[i] === 1) events += w[i] as number;
      const decision = prepared.variables[2];
      if (decision) replicateNetBenefit(prepared, decision, w, events, scratch, perArm[a] as Float64Array, r, replicates);
    }
  }
  const differences = new Float64Array(replicates);
  return Array.from({ length: T }, (_, t) => {
    const a = perArm[0] as Float64Array;
    const b = perArm[1] as Float64Array;
    for (let r = 0; r < replicates; r++) differences[r] = (a[t * replicates + r] as number) - (b[t * replicates + r] as number);
    const interval = percentileInterval(differences, confLevel);
    const nbA = point[0]?.[t]?.net_benefit ?? Number.NaN;
    const nbB = point[1]?.[t]?.net_benefit ?? Number.NaN;
    return {
      threshold: arms[0].thresholds[t] as number,
      net_benefit_a: nbA,
      net_benefit_b: nbB,
      difference: nbA - nbB,
      difference_lower: interval.lower,
      difference_upper: interval.upper,
    };
  });
}
