import { netBenefit } from './net-benefit';
import type { PreparedDecisionCurve, PreparedVariable } from './prepare-decision-curve';
import { sweepTestPositives } from './sweep-test-positives';

/** Scratch buffers reused across replicates (allocation-free inner loop). */
export interface NetBenefitScratch {
  readonly eventsPositive: Float64Array;
  readonly nonEventsPositive: Float64Array;
}

/**
 * Net benefit of one variable at every threshold for one weighted (bootstrap) sample, written to
 * `out[offset + t·stride]`. Same definitions as `decisionCurveRows`: prevalence is the fixed
 * case-control value or Σw·y/Σw; a resample with no events or no non-events gives NaN.
 * O(n + T); no validation (hot loop).
 *
 * Reference: Vickers & Elkin (2006), Med Decis Making 26:565–574.
 *
 * @example
 * // inside a bootstrap loop, after drawBootstrapWeights(groups, rng, weights):
 * replicateNetBenefit(prepared, prepared.variables[2]!, weights, events, scratch, out, r, replicates);
 */
export function replicateNetBenefit(
  prepared: PreparedDecisionCurve,
  variable: PreparedVariable,
  weights: Int32Array,
  weightedEvents: number,
  scratch: NetBenefitScratch,
  out: Float64Array,
  offset: number,
  stride: number,
): void {
  const nonEvents = prepared.n - weightedEvents;
  const prevalence = prepared.prevalence ?? weightedEvents / prepared.n;
  const { eventsPositive, nonEventsPositive } = scratch;
  sweepTestPositives(prepared, variable, weights, eventsPositive, nonEventsPositive);
  const { thresholds } = prepared;
  for (let t = 0; t < thresholds.length; t++) {
    const tpRate = ((eventsPositive[t] as number) / weightedEvents) * prevalence;
    const fpRate = ((nonEventsPositive[t] as number) / nonEvents) * (1 - prevalence);
    out[offset + t * stride] = netBenefit(tpRate, fpRate, thresholds[t] as number, variable.harm);
  }
}
