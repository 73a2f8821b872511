import { AnalysisInputError } from './errors';
import { quantileSorted } from './quantile-sorted';
import { studentTQuantile } from './student-t-quantile';

export interface ValueSummary {
  /** Finite values summarized. */
  readonly n: number;
  /** Values left out because they were NaN or ±Infinity (e.g. HD95 with one empty side). */
  readonly nonFinite: number;
  readonly mean: number;
  /** Sample standard deviation (n − 1); NaN when n = 1. */
  readonly sd: number;
  /** t interval for the mean (n − 1 df); NaN bounds when n = 1. */
  readonly meanLower: number;
  readonly meanUpper: number;
  readonly median: number;
  readonly q1: number;
  readonly q3: number;
  readonly min: number;
  readonly max: number;
  readonly confLevel: number;
  readonly method: 'mean with Student t CI; quartiles R type 7';
}

/**
 * Summary of a continuous per-case metric (Dice, HD95, time to decision …): n, mean with its
 * Student t confidence interval, sample SD, median and quartiles (Hyndman–Fan type 7, R's
 * default), min and max. Non-finite values are counted in `nonFinite` and left out, so an
 * undefined metric is visible rather than silently averaged.
 * Reference: Student (1908), Biometrika 6:1–25; Hyndman & Fan (1996). Checked against R
 * `t.test(x)$conf.int`, `sd`, `quantile` by analysis/fixtures/generate-summaries.R.
 * Throws `EMPTY_INPUT` when no finite value remains, `INVALID_ARGUMENT` for a bad confLevel.
 *
 * @example
 * summarizeValues([0.8, 0.9, 0.7, Infinity]);
 * // → { n: 3, nonFinite: 1, mean: 0.8000000000000002, sd: 0.10000000000000003, meanLower: 0.5515862288249669,
 * //     meanUpper: 1.0484137711750334, median: 0.8, q1: 0.75, q3: 0.8500000000000001, min: 0.7, max: 0.9, … }
 */
export function summarizeValues(values: readonly number[], confLevel = 0.95): ValueSummary {
  if (!(confLevel > 0 && confLevel < 1)) throw new AnalysisInputError('INVALID_ARGUMENT', `confLevel must lie in (0, 1), got ${String(confLevel)}`);
  const finite = values.filter((v) => Number.isFinite(v));
  const n = finite.length;
  if (n === 0) throw new AnalysisInputError('EMPTY_INPUT', `no finite values to summarize (${values.length} given)`);
  const sorted = Float64Array.from(finite).sort();
  let sum = 0;
  for (const v of finite) sum += v;
  const mean = sum / n;
  let ss = 0;
  for (const v of finite) ss += (v - mean) * (v - mean);
  const sd = n > 1 ? Math.sqrt(ss / (n - 1)) : Number.NaN;
  const half = n > 1 ? studentTQuantile(1 - (1 - confLevel) / 2, n - 1) * (sd / Math.sqrt(n)) : Number.NaN;
  return {
    n,
    nonFinite: values.length - n,
    mean,
    sd,
    meanLower: mean - half,
    meanUpper: mean + half,
    median: quantileSorted(sorted, 0.5),
    q1: quantileSorted(sorted, 0.25),
    q3: quantileSorted(sorted, 0.75),
    min: sorted[0] as number,
    max: sorted[n - 1] as number,
    confLevel,
    method: 'mean with Student t CI; quartiles R type 7',
  };
}
