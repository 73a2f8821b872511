import type { PreparedDecisionCurve, PreparedVariable } from './prepare-decision-curve';

/**
 * For one prepared variable, counts (weighted) test-positive patients with and without the
 * outcome at every threshold in a single pass: O(n + T) after the one-off sort.
 *
 * Definition: eventsPositive[t] = Σ wᵢ·yᵢ·[keyᵢ ≥ thresholds[t]], nonEventsPositive likewise with
 * (1 − yᵢ); wᵢ = `weights[i]` (bootstrap multiplicities) or 1 when `weights` is null. Results are
 * written into the two output arrays, indexed like `prepared.thresholds`.
 * Reference: the cumulative-count construction of an empirical ROC curve, e.g. T. Fawcett (2006),
 * Pattern Recognit Lett 27:861–874, algorithm 2.
 * No validation (inner loop of the bootstrap): inputs come from `prepareDecisionCurve`.
 *
 * @example
 * const p = prepareDecisionCurve({ outcome: [0, 1, 1], predictors: { m: [0.2, 0.9, 0.5] }, thresholds: [0.1, 0.6] });
 * const e = new Float64Array(2), f = new Float64Array(2);
 * sweepTestPositives(p, p.variables[2]!, null, e, f); // e → [2, 1], f → [1, 0]
 */
export function sweepTestPositives(prepared: PreparedDecisionCurve, variable: PreparedVariable, weights: Int32Array | null, eventsPositive: Float64Array, nonEventsPositive: Float64Array): void {
  const { outcome, thresholds, thresholdsDescending } = prepared;
  const { order, keys } = variable;
  const n = keys.length;
  let p = 0;
  let events = 0;
  let nonEvents = 0;
  for (let j = 0; j < thresholdsDescending.length; j++) {
    const ti = thresholdsDescending[j] as number;
    const t = thresholds[ti] as number;
    while (p < n && (keys[p] as number) >= t) {
      const i = order[p] as number;
      const w = weights === null ? 1 : (weights[i] as number);
      if (outcome[i] === 1) events += w;
      else nonEvents += w;
      p++;
    }
    eventsPositive[ti] = events;
    nonEventsPositive[ti] = nonEvents;
  }
}
