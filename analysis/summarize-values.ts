import { AnalysisInputError } from './errors';
import { quantileSorted } from './quantile-sorted';
import { studentTQuantile } from './student-t-quantile';

export interface ValueSummary {
  /** Finite values summarized. */
  readonly n: number;
  /** Values left out because they were NaN or ±Infinity (e.g. HD95 with one empty side). */
  readonly nonFinite: number;
  readonly mean: number;
  /** Sample standard deviation (n − 1); null when n = 1 (no spread can be estimated). */
  readonly sd: number | null;
  /** t interval for the mean (n − 1 df), clipped to `range` when given; null when n = 1 (no interval exists). */
  readonly meanLower: number | null;
  readonly meanUpper: number | null;
  /** The t interval reached outside `range` and was cut back to it. */
  readonly clipped: boolean;
  readonly median: number;
  readonly q1: number;
  readonly q3: number;
  readonly min: number;
  readonly max: number;
  readonly confLevel: number;
  readonly method: 'mean with Student t CI (clipped to the range of the metric); quartiles R type 7';
}

/**
 * Summary of a continuous per-case metric (Dice, HD95, time to decision …): n, mean with its
 * Student t confidence interval, sample SD, median and quartiles (Hyndman–Fan type 7, R's
 * default), min and max. Non-finite values are counted in `nonFinite` and left out, so an
 * undefined metric is visible rather than silently averaged. With one value there is no SD and no
 * interval (null, never NaN); with `range` (e.g. [0, 1] for Dice) the interval is clipped to it,
 * since a mean cannot leave its metric's range (the t interval, exact for normal data at any n ≥ 2,
 * can overshoot for bounded, skewed metrics at small n) and `clipped` says so.
 * Reference: Student (1908), Biometrika 6:1–25; Hyndman & Fan (1996). Checked against R
 * `t.test(x)$conf.int`, `sd`, `quantile` by analysis/fixtures/generate-summaries.R.
 * Throws `EMPTY_INPUT` when no finite value remains, `INVALID_ARGUMENT` for a bad confLevel or a
 * range whose lower end is not below its upper end.
 *
 * @example
 * summarizeValues([0.8, 0.9, 0.7, Infinity], 0.95, { range: [0, 1] });
 * // → { n: 3, nonFinite: 1, mean: 0.8000000000000002, sd: 0.10000000000000003, meanLower: 0.5515862288249669,
 * //     meanUpper: 1, clipped: true, median: 0.8, q1: 0.75, q3: 0.8500000000000001, min: 0.7, max: 0.9, … }
 */
export function summarizeValues(values: readonly number[], confLevel = 0.95, options: { range?: readonly [number, number] } = {}): ValueSummary {
  if (!(confLevel > 0 && confLevel < 1)) throw new AnalysisInputError('INVALID_ARGUMENT', `confLevel must lie in (0, 1), got ${String(confLevel)}`);
  const [lo, hi] = options.range ?? [-Infinity, Infinity];
  if (!(lo < hi)) throw new AnalysisInputError('INVALID_ARGUMENT', `range must be [lower, upper] with lower < upper, got [${lo}, ${hi}]`);
  const finite = values.filter((v) => Number.isFinite(v));
  const n = finite.length;
  if (n === 0) throw new AnalysisInputError('EMPTY_INPUT', `no finite values to summarize (${values.length} given)`);
  const sorted = Float64Array.from(finite).sort();
  let sum = 0;
  for (const v of finite) sum += v;
  const mean = sum / n;
  let ss = 0;
  for (const v of finite) ss += (v - mean) * (v - mean);
  const sd = n > 1 ? Math.sqrt(ss / (n - 1)) : null;
  const half = sd !== null ? studentTQuantile(1 - (1 - confLevel) / 2, n - 1) * (sd / Math.sqrt(n)) : null;
  const rawLower = half === null ? null : mean - half;
  const rawUpper = half === null ? null : mean + half;
  return {
    n,
    nonFinite: values.length - n,
    mean,
    sd,
    meanLower: rawLower === null ? null : Math.max(lo, rawLower),
    meanUpper: rawUpper === null ? null : Math.min(hi, rawUpper),
    clipped: (rawLower !== null && rawLower < lo) || (rawUpper !== null && rawUpper > hi),
    median: quantileSorted(sorted, 0.5),
    q1: quantileSorted(sorted, 0.25),
    q3: quantileSorted(sorted, 0.75),
    min: sorted[0] as number,
    max: sorted[n - 1] as number,
    confLevel,
    method: 'mean with Student t CI (clipped to the range of the metric); quartiles R type 7',
  };
}
