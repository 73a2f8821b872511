import { AnalysisInputError } from './errors';
import { quantileSorted } from './quantile-sorted';

/**
 * Bootstrap percentile interval of replicate values: the (1 − c)/2 and (1 + c)/2 type-7
 * quantiles of the non-NaN replicates (±Infinity kept; NaN replicates — e.g. a resample without
 * events — are dropped and counted). With no usable replicate both bounds are NaN.
 * Sorts `values` in place (a Float64Array, numeric order).
 *
 * Reference: Efron & Tibshirani (1993), An Introduction to the Bootstrap, §13.3; quantiles as
 * `quantileSorted` (R `quantile` type 7).
 * Throws `INVALID_ARGUMENT` when confLevel is not in (0, 1).
 *
 * @example
 * percentileInterval(Float64Array.of(5, 1, 4, 2, 3, NaN), 0.5);
 * // → { lower: 2, upper: 4, used: 5 }
 */
export function percentileInterval(values: Float64Array, confLevel: number): { lower: number; upper: number; used: number } {
  if (!(confLevel > 0 && confLevel < 1)) throw new AnalysisInputError('INVALID_ARGUMENT', `confLevel must lie in (0, 1), got ${String(confLevel)}`);
  values.sort(); // typed-array sort is numeric and puts NaN last
  let used = values.length;
  while (used > 0 && Number.isNaN(values[used - 1])) used--;
  if (used === 0) return { lower: Number.NaN, upper: Number.NaN, used: 0 };
  const kept = values.subarray(0, used);
  return { lower: quantileSorted(kept, (1 - confLevel) / 2), upper: quantileSorted(kept, (1 + confLevel) / 2), used };
}
