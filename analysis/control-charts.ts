import { cusumDecisionInterval, ewmaCriticalValue } from './control-chart-arl';
import { AnalysisInputError } from './errors';

/** In-control (baseline) estimates of a monitored quantity, from the first cases of a series. */
export interface ControlBaseline {
  readonly count: number;
  readonly mean: number;
  /** Sample standard deviation (n − 1) of the baseline cases. */
  readonly sd: number;
}

export interface ControlChartPoint {
  /** Position in the input series (0-based). */
  readonly index: number;
  readonly value: number;
  /** Chart statistic in standardized units: the EWMA Zₜ, or the larger-in-magnitude CUSUM side (C⁺ or −C⁻). */
  readonly statistic: number;
  /** Whether this point was one of the baseline cases the limits were estimated from. */
  readonly baseline: boolean;
  /** Beyond a control limit after the baseline ('high' or 'low'), else null. */
  readonly signal: 'high' | 'low' | null;
}

export interface ControlChart {
  readonly method: 'EWMA' | 'CUSUM';
  readonly baseline: ControlBaseline;
  readonly inControlArl: number;
  readonly points: readonly ControlChartPoint[];
  /** Indexes of the points that signal, in order. */
  readonly signals: readonly number[];
}

export interface EwmaChart extends ControlChart {
  readonly method: 'EWMA';
  readonly lambda: number;
  /** Critical value c: limits at ±c·√(λ/(2 − λ)) standard deviations (fixed, asymptotic). */
  readonly criticalValue: number;
  /** The limits on the original scale: mean ∓ c·σ·√(λ/(2 − λ)). */
  readonly lowerLimit: number;
  readonly upperLimit: number;
}

export interface CusumChart extends ControlChart {
  readonly method: 'CUSUM';
  /** Reference value k and decision interval h, in standard deviations. */
  readonly k: number;
  readonly h: number;
  /** The upper and lower cumulative sums Cₜ⁺ and Cₜ⁻ (both ≥ 0), standardized. */
  readonly upper: readonly number[];
  readonly lower: readonly number[];
}

/**
 * Mean and sample standard deviation of the first `baselineCount` values, the in-control estimates
 * a chart's limits come from (phase I). Throws `INVALID_ARGUMENT` for fewer than 2 baseline values
 * or more than the series has, `OUT_OF_RANGE` for a non-finite value and `NO_OUTCOME_VARIATION` when
 * the baseline values are all equal (no standard deviation to scale by).
 *
 * @example
 * estimateControlBaseline([1, 2, 3, 10], 3); // → { count: 3, mean: 2, sd: 1 }
 */
export function estimateControlBaseline(values: readonly number[], baselineCount: number): ControlBaseline {
  if (!Number.isInteger(baselineCount) || baselineCount < 2) throw new AnalysisInputError('INVALID_ARGUMENT', `baseline needs at least 2 cases, got ${baselineCount}`);
  if (baselineCount > values.length) throw new AnalysisInputError('INVALID_ARGUMENT', `baseline of ${baselineCount} cases but the series has ${values.length}`);
  values.forEach((v, i) => {
    if (!Number.isFinite(v)) throw new AnalysisInputError('OUT_OF_RANGE', `value ${i} is ${v}, expected a finite number`);
  });
  const base = values.slice(0, baselineCount);
  const mean = base.reduce((s, v) => s + v, 0) / baselineCount;
  const sd = Math.sqrt(base.reduce((s, v) => s + (v - mean) ** 2, 0) / (baselineCount - 1));
  if (!(sd > 0)) throw new AnalysisInputError('NO_OUTCOME_VARIATION', `the ${baselineCount} baseline values are all ${mean}: no spread to set limits from`);
  return { count: baselineCount, mean, sd };
}

/**
 * EWMA control chart of a series, with in-control mean and standard deviation estimated from its
 * first `baselineCount` values and fixed limits whose in-control average run length is
 * `inControlArl` (so, on average, one false alarm in that many in-control cases).
 *
 * Standardized xₜ = (valueₜ − mean)/sd; Z₀ = 0, Zₜ = λxₜ + (1 − λ)Zₜ₋₁; a point after the baseline
 * signals when |Zₜ| > c·√(λ/(2 − λ)), c from `ewmaCriticalValue`. The run-length figure assumes
 * independent, roughly normal values and treats the baseline estimates as known (with few baseline
 * cases the real false-alarm rate is higher; Jones, Champ & Rigdon (2001), Technometrics 43:156–167).
 * R equivalent: the limits as `spc::xewma.crit(l, L0, sided = "two")`; the chart as `qcc::ewma`
 * with `nsigmas = c` and asymptotic limits.
 * Reference: Roberts (1959), Technometrics 1:239–250; Montgomery, Introduction to Statistical
 * Quality Control (2019) §9.2.
 * `baseline` replaces the estimate when the in-control mean and SD come from elsewhere (a binary
 * figure's SD from its baseline proportion, √(p(1 − p))); the first `baselineCount` points still
 * count as the baseline and never signal.
 * Throws as `estimateControlBaseline`, and `INVALID_ARGUMENT` unless 0 < λ ≤ 1 and inControlArl > 1.
 *
 * @example
 * const chart = ewmaChart([0.9, 1.1, 1, 0.95, 1.05, 0.2, 0.1, 0.15], { baselineCount: 5, lambda: 0.2, inControlArl: 370 });
 * chart.signals; // → [5, 6, 7]
 */
export function ewmaChart(
  values: readonly number[],
  { baselineCount, lambda = 0.2, inControlArl = 370, baseline: known }: { baselineCount: number; lambda?: number; inControlArl?: number; baseline?: ControlBaseline },
): EwmaChart {
  if (known && !(known.sd > 0)) throw new AnalysisInputError('NO_OUTCOME_VARIATION', `the given baseline SD is ${known.sd}: no spread to set limits from`);
  const baseline = known ?? estimateControlBaseline(values, baselineCount);
  const criticalValue = ewmaCriticalValue({ lambda, inControlArl });
  const limit = criticalValue * Math.sqrt(lambda / (2 - lambda));
  let z = 0;
  const points = values.map((value, index): ControlChartPoint => {
    z = lambda * ((value - baseline.mean) / baseline.sd) + (1 - lambda) * z;
    const monitored = index >= baselineCount;
    const signal = monitored && z > limit ? 'high' : monitored && z < -limit ? 'low' : null;
    return { index, value, statistic: z, baseline: !monitored, signal };
  });
  return {
    method: 'EWMA',
    baseline,
    inControlArl,
    lambda,
    criticalValue,
    lowerLimit: baseline.mean - limit * baseline.sd,
    upperLimit: baseline.mean + limit * baseline.sd,
    points,
    signals: points.filter((p) => p.signal).map((p) => p.index),
  };
}

/**
 * Two-sided tabular CUSUM of a series, with in-control mean and standard deviation from its first
 * `baselineCount` values, reference value k (standard deviations; 0.5 detects a one-sd shift fastest)
 * and the decision interval h that gives the two-sided scheme an in-control ARL of `inControlArl`
 * (each side gets 2 × inControlArl, as the two sides' alarms combine: 1/ARL = 1/ARL⁺ + 1/ARL⁻).
 *
 * Cₜ⁺ = max(0, Cₜ₋₁⁺ + xₜ − k), Cₜ⁻ = max(0, Cₜ₋₁⁻ − xₜ − k), xₜ standardized, C₀ = 0; a point after
 * the baseline signals when a side exceeds h. The sums are not reset after a signal: the chart shows
 * how long a shift lasts. Same assumptions as `ewmaChart`.
 * R equivalent: h as `spc::xcusum.crit(k, 2 * L0)`; the chart as `qcc::cusum(decision.interval = h, se.shift = 2k)`.
 * Reference: Page (1954), Biometrika 41:100–115; Montgomery (2019) §9.1.
 * Throws as `estimateControlBaseline`, and `INVALID_ARGUMENT` unless k ≥ 0 and inControlArl > 1.
 *
 * @example
 * const chart = cusumChart([0.9, 1.1, 1, 0.95, 1.05, 0.2, 0.1, 0.15], { baselineCount: 5 });
 * chart.signals; // → [5, 6, 7]
 */
export function cusumChart(values: readonly number[], { baselineCount, k = 0.5, inControlArl = 370 }: { baselineCount: number; k?: number; inControlArl?: number }): CusumChart {
  const baseline = estimateControlBaseline(values, baselineCount);
  const h = cusumDecisionInterval({ k, inControlArl: 2 * inControlArl });
  let up = 0;
  let down = 0;
  const upper: number[] = [];
  const lower: number[] = [];
  const points = values.map((value, index): ControlChartPoint => {
    const x = (value - baseline.mean) / baseline.sd;
    up = Math.max(0, up + x - k);
    down = Math.max(0, down - x - k);
    upper.push(up);
    lower.push(down);
    const monitored = index >= baselineCount;
    const signal = monitored && up > h ? 'high' : monitored && down > h ? 'low' : null;
    return { index, value, statistic: up >= down ? up : -down, baseline: !monitored, signal };
  });
  return { method: 'CUSUM', baseline, inControlArl, k, h, upper, lower, points, signals: points.filter((p) => p.signal).map((p) => p.index) };
}
