import { AnalysisInputError } from './errors';
import { validateScoredOutcomes } from './validate-scored-outcomes';
import { wilsonInterval } from './wilson-interval';

export interface CalibrationBin {
  /** 0-based bin index. */
  readonly bin: number;
  readonly n: number;
  readonly events: number;
  /** Smallest and largest prediction in the bin. */
  readonly minPredicted: number;
  readonly maxPredicted: number;
  readonly meanPredicted: number;
  /** events / n with a Wilson interval. */
  readonly observed: number;
  readonly observedLower: number;
  readonly observedUpper: number;
}

/**
 * Binned (grouped) calibration curve: mean predicted risk vs observed event proportion per bin,
 * with Wilson intervals for the observed proportion. Empty bins are omitted.
 *
 * Binning: `uniform` — bin k holds p in [k/B, (k+1)/B) (p = 1 in the last bin);
 * `quantile` (default) — patients sorted by p (ties by input order) and bin = ⌊rank·B/n⌋, rank
 * 0-based, so bins differ in size by at most one and tied predictions may straddle two bins.
 * Reference: D. W. Hosmer & S. Lemeshow (1980), Commun Stat A 9:1043–1069 (deciles of risk);
 * Steyerberg (2019), Clinical Prediction Models 2nd ed. §15.2.
 * Throws as `validateScoredOutcomes` with p in [0, 1]; `INVALID_ARGUMENT` unless bins is an
 * integer ≥ 1.
 *
 * @example
 * binnedCalibrationCurve([0.1, 0.2, 0.8, 0.9], [0, 1, 1, 1], { bins: 2, strategy: 'uniform' })
 *   .map((b) => [b.meanPredicted, b.observed]); // → [[0.15000000000000002, 0.5], [0.8500000000000001, 1]]
 */
export function binnedCalibrationCurve(
  predicted: readonly number[],
  outcome: readonly number[],
  options: { readonly bins?: number; readonly strategy?: 'quantile' | 'uniform'; readonly confLevel?: number } = {},
): readonly CalibrationBin[] {
  const bins = options.bins ?? 10;
  if (!Number.isInteger(bins) || bins < 1) throw new AnalysisInputError('INVALID_ARGUMENT', `bins must be an integer ≥ 1, got ${String(bins)}`);
  const { n } = validateScoredOutcomes(predicted, outcome, { range: [0, 1] });
  const binOf = new Uint32Array(n);
  if ((options.strategy ?? 'quantile') === 'uniform') {
    for (let i = 0; i < n; i++) binOf[i] = Math.min(bins - 1, Math.floor((predicted[i] as number) * bins));
  } else {
    const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => (predicted[x] as number) - (predicted[y] as number) || x - y);
    order.forEach((i, rank) => {
      binOf[i] = Math.floor((rank * bins) / n);
    });
  }
  const count = new Float64Array(bins);
  const events = new Float64Array(bins);
  const sum = new Float64Array(bins);
  const min = new Float64Array(bins).fill(Infinity);
  const max = new Float64Array(bins).fill(-Infinity);
  for (let i = 0; i < n; i++) {
    const k = binOf[i] as number;
    const p = predicted[i] as number;
    count[k] = (count[k] as number) + 1;
    events[k] = (events[k] as number) + (outcome[i] as number);
    sum[k] = (sum[k] as number) + p;
    min[k] = Math.min(min[k] as number, p);
    max[k] = Math.max(max[k] as number, p);
  }
  const result: CalibrationBin[] = [];
  for (let k = 0; k < bins; k++) {
    const nk = count[k] as number;
    if (nk === 0) continue;
    const ek = events[k] as number;
    const wilson = wilsonInterval(ek, nk, options.confLevel ?? 0.95);
    result.push({
      bin: k,
      n: nk,
      events: ek,
      minPredicted: min[k] as number,
      maxPredicted: max[k] as number,
      meanPredicted: (sum[k] as number) / nk,
      observed: ek / nk,
      observedLower: wilson.lower,
      observedUpper: wilson.upper,
    });
  }
  return result;
}
