import { continuationDensity, type LookDensity } from './group-sequential-density';
import { groupSequentialCrossing } from './group-sequential-crossing';

export interface CrossingProbabilities {
  /** P(first crossing of the upper boundary at look k), per look. */
  readonly upper: readonly number[];
  /** P(first crossing of the lower boundary at look k), per look (0 where the lower bound is −∞). */
  readonly lower: readonly number[];
}

/**
 * Probabilities that a group-sequential z-statistic first crosses each look's upper or lower
 * boundary, given information fractions t₁ < … < t_K and drift θ (E[Z_k] = θ√t_k; θ = 0 is the null
 * hypothesis) — gsDesign's `gsProbability`, rpact's `getPowerAndAverageSampleNumber` per stage.
 * Lower bounds may be −∞ (none). Inputs are trusted (validated by `groupSequentialDesign`).
 * Reference: C. Jennison & B. W. Turnbull (2000), Group Sequential Methods, ch. 19.
 *
 * @example
 * groupSequentialProbabilities([1], [1.959963984540054], [-Infinity], 0).upper; // → [0.025000000000000133]
 */
export function groupSequentialProbabilities(t: readonly number[], upper: readonly number[], lower: readonly number[], theta: number): CrossingProbabilities {
  const up: number[] = [];
  const lo: number[] = [];
  let density: LookDensity | null = null;
  for (let k = 0; k < t.length; k++) {
    const a = lower[k] as number;
    const b = upper[k] as number;
    const p = groupSequentialCrossing(density, t[k] as number, a, b, theta);
    up.push(p.upper);
    lo.push(p.lower);
    if (k + 1 < t.length) density = continuationDensity(density, t[k] as number, a, b, theta);
  }
  return { upper: up, lower: lo };
}
