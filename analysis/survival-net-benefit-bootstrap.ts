import { drawBootstrapWeights } from './draw-bootstrap-weights';
import { AnalysisInputError } from './errors';
import { percentileInterval } from './percentile-interval';
import { replicateSurvivalNetBenefit, type PreparedSurvivalArm } from './replicate-survival-net-benefit';
import { createSeededRandom } from './seeded-random';
import { survivalNetBenefit, type SurvivalNetBenefitRow } from './survival-net-benefit';
import { validateBootstrapOptions, type BootstrapOptions } from './validate-bootstrap-options';

/** One arm's participants: time to event (or censoring), event 1/0, the model's predicted risk. */
export interface SurvivalNetBenefitArm {
  readonly time: readonly number[];
  readonly event: readonly number[];
  readonly risk: readonly number[];
}

export interface SurvivalNetBenefitBandRow extends SurvivalNetBenefitRow {
  /** Bootstrap percentile interval of the net benefit (treat none: [0, 0]). */
  readonly lower: number;
  readonly upper: number;
}

export interface SurvivalNetBenefitDifferenceRow {
  readonly threshold: number;
  /** The model's net benefit in the first arm minus the second's. */
  readonly difference: number;
  readonly lower: number;
  readonly upper: number;
}

export interface SurvivalNetBenefitBootstrapResult {
  /** Per arm, rows as `survivalNetBenefit` (all, none, the model) with their bands. */
  readonly arms: readonly (readonly SurvivalNetBenefitBandRow[])[];
  /** First arm minus second, the model's net benefit; null with one arm. */
  readonly difference: readonly SurvivalNetBenefitDifferenceRow[] | null;
  readonly replicates: number;
  readonly seed: number;
  readonly confLevel: number;
}

/**
 * Survival decision curves (`survivalNetBenefit`: net benefit at a horizon with Kaplan–Meier risk,
 * dcurves' `dca(Surv(time, event) ~ risk, time = horizon)`) for one or two trial arms, with
 * bootstrap percentile bands for treat all and the model in each arm and for the difference in the
 * model's net benefit between the arms (first minus second).
 *
 * Resampling: participants with replacement, stratified by arm (arms are never mixed, so arm sizes
 * are fixed): per replicate the first arm is drawn, then the second, from one xoshiro128** stream,
 * each as `drawBootstrapWeights` with the arm as one group — the draw order of `netBenefitDifference`.
 * Each arm's bands and the difference's come from the same replicates. A resample nobody in which
 * reaches the threshold has net benefit 0, as the point estimate; no replicate is dropped.
 * Point estimates are those of the data. Percentiles as `percentileInterval` (R type 7).
 * Reference: Vickers et al. (2008), BMC Med Inform Decis Mak 8:53; Efron & Tibshirani (1993) §13.3
 * and ch. 8 (two-sample bootstrap). Reference values: fixtures/generate-survival-dca-bootstrap.R
 * (R's survfit on the resamples that fixtures/generate-survival-dca-resamples.py draws).
 * Throws as `survivalNetBenefit` (per arm) and `validateBootstrapOptions`; `INVALID_ARGUMENT` for
 * other than one or two arms.
 *
 * @example
 * const arm = { time: [1, 2, 3, 4, 5, 6], event: [1, 0, 1, 1, 0, 1], risk: [0.9, 0.2, 0.7, 0.6, 0.1, 0.4] };
 * const res = survivalNetBenefitBootstrap([arm, arm], 4, [0.5], { replicates: 100, seed: 1 });
 * res.difference?.[0]?.difference; // → 0 (the same arm twice); its band is not: the arms are resampled apart
 */
export function survivalNetBenefitBootstrap(arms: readonly SurvivalNetBenefitArm[], horizon: number, thresholds: readonly number[], options: BootstrapOptions): SurvivalNetBenefitBootstrapResult {
  const { replicates, seed, confLevel } = validateBootstrapOptions(options);
  if (arms.length < 1 || arms.length > 2) throw new AnalysisInputError('INVALID_ARGUMENT', `expected one or two arms, got ${arms.length}`);
  const points = arms.map((arm) => survivalNetBenefit({ ...arm, name: 'model' }, horizon, thresholds));
  const prepared: PreparedSurvivalArm[] = arms.map((arm) => ({ ...arm, order: Uint32Array.from(Array.from(arm.time.keys()).sort((a, b) => (arm.time[a] as number) - (arm.time[b] as number))) }));
  const T = thresholds.length;
  // store[a][(1 + k) * replicates + r]: slot 0 is the everyone's-risk of replicate r, slot 1 + k the model at threshold k.
  const store = prepared.map(() => new Float64Array((T + 1) * replicates));
  const groups = prepared.map((arm) => [Uint32Array.from(arm.time.keys())]);
  const weights = prepared.map((arm) => new Int32Array(arm.time.length));
  const out = new Float64Array(T + 1);
  const rng = createSeededRandom(seed);
  for (let r = 0; r < replicates; r++) {
    prepared.forEach((arm, a) => {
      drawBootstrapWeights(groups[a] ?? [], rng, weights[a] as Int32Array);
      replicateSurvivalNetBenefit(arm, weights[a] as Int32Array, horizon, thresholds, out);
      const s = store[a] as Float64Array;
      for (let j = 0; j <= T; j++) s[j * replicates + r] = out[j] as number;
    });
  }
  const scratch = new Float64Array(replicates);
  const interval = (fill: (r: number) => number) => {
    for (let r = 0; r < replicates; r++) scratch[r] = fill(r);
    const { lower, upper } = percentileInterval(scratch, confLevel);
    return { lower, upper };
  };
  const banded = points.map((rows, a) => {
    const s = store[a] as Float64Array;
    return rows.map((row, i): SurvivalNetBenefitBandRow => {
      const k = i % T;
      const t = thresholds[k] as number;
      if (row.variable === 'none') return { ...row, lower: 0, upper: 0 };
      if (row.variable === 'all') return { ...row, ...interval((r) => (s[r] as number) - ((1 - (s[r] as number)) * t) / (1 - t)) };
      return { ...row, ...interval((r) => s[(1 + k) * replicates + r] as number) };
    });
  });
  const model = (rows: readonly SurvivalNetBenefitRow[], k: number) => rows[2 * T + k]?.netBenefit ?? Number.NaN;
  const [first, second] = [store[0], store[1]];
  const difference =
    points.length === 2 && first && second
      ? thresholds.map((t, k) => ({
          threshold: t,
          difference: model(points[0] ?? [], k) - model(points[1] ?? [], k),
          ...interval((r) => (first[(1 + k) * replicates + r] as number) - (second[(1 + k) * replicates + r] as number)),
        }))
      : null;
  return { arms: banded, difference, replicates, seed, confLevel };
}
