import { bisectRoot } from './bisect-root';
import { alphaSpending, type SpendingFunction } from './alpha-spending';
import { AnalysisInputError } from './errors';
import { futilityBoundaries } from './futility-boundaries';
import { continuationDensity, type LookDensity } from './group-sequential-density';
import { groupSequentialCrossing } from './group-sequential-crossing';
import { groupSequentialProbabilities } from './group-sequential-probabilities';
import { normalCdf } from './normal-cdf';
import { normalQuantile } from './normal-quantile';

export interface GroupSequentialLook {
  readonly look: number;
  readonly informationFraction: number;
  /** Efficacy critical value on the z scale (two-sided: reject when |Z| ≥ it). */
  readonly criticalValue: number;
  /** Nominal one-sided p-value level at this look, 1 − Φ(critical value) (rpact's stageLevels). */
  readonly nominalAlpha: number;
  /** Cumulative α spent by this look (the spending function at its information fraction). */
  readonly cumulativeAlpha: number;
  /** α spent at this look alone. */
  readonly incrementalAlpha: number;
  /** Cumulative probability of having stopped for efficacy by this look under the alternative (power design only). */
  readonly cumulativePower: number | null;
  /** Events needed by this look (when a hazard ratio was given). */
  readonly events: number | null;
  /** Subjects needed by this look (when a standardized effect size was given). */
  readonly subjects: number | null;
  /** Non-binding futility bound on the z scale (continue only above it); null at the last look or without futility. */
  readonly futilityValue: number | null;
}

export interface GroupSequentialDesignInput {
  readonly informationFractions: readonly number[];
  /** Total type I error: one-sided α when sided = 1; two-sided α (α/2 per side) when sided = 2. */
  readonly alpha: number;
  /** Type II error (power 1 − β) for the inflation factor and sample size; default 0.2. */
  readonly beta?: number;
  readonly sided?: 1 | 2;
  readonly spending: SpendingFunction;
  /** Planned hazard ratio: gives the maximum number of events (Schoenfeld). */
  readonly hazardRatio?: number;
  /** Standardized mean difference δ/σ: gives the maximum number of subjects (two arms, normal approximation). */
  readonly effectSize?: number;
  /** Subjects in arm A per subject in arm B (default 1). */
  readonly allocationRatio?: number;
  /** Optional non-binding futility boundaries by β-spending (one-sided designs whose last look is at t = 1). */
  readonly futility?: { readonly spending: SpendingFunction } | null;
}

export interface GroupSequentialDesign {
  readonly looks: readonly GroupSequentialLook[];
  readonly alpha: number;
  readonly beta: number;
  readonly sided: 1 | 2;
  readonly spending: SpendingFunction;
  /** Maximum information relative to the fixed design with the same α and power (rpact inflationFactor); null when the last look is not at t = 1. */
  readonly inflationFactor: number | null;
  /** Drift θ at t = 1 giving power 1 − β (rpact's shift = θ²). */
  readonly drift: number | null;
  readonly fixedEvents: number | null;
  readonly maxEvents: number | null;
  readonly fixedSubjects: number | null;
  readonly maxSubjects: number | null;
  readonly method: string;
}

function spendingName(spending: SpendingFunction): string {
  return spending.type === 'obf' ? "Lan-DeMets O'Brien-Fleming type" : spending.type === 'pocock' ? 'Lan-DeMets Pocock type' : `Hwang-Shih-DeCani (gamma = ${spending.gamma})`;
}

/**
 * Group-sequential design with α-spending efficacy boundaries (no futility boundary): for each look
 * the z critical value that spends exactly α(t_k) − α(t_{k−1}), the cumulative α, and — when the
 * last look is at t = 1 — the drift giving power 1 − β, the inflation factor and the maximum number
 * of events (hazard ratio, Schoenfeld's formula) or subjects (standardized effect, two arms).
 * Two-sided designs are symmetric (reject when |Z_k| ≥ c_k; α split equally between the sides; power
 * counts crossings of the upper boundary only, as rpact). The same function recomputes boundaries at the information fractions observed at an
 * interim. rpact: `getDesignGroupSequential(kMax, alpha, beta, sided, typeOfDesign = "asOF" | "asP" |
 * "asHSD", gammaA, informationRates)` with `getDesignCharacteristics` and
 * `getSampleSizeSurvival(..., typeOfComputation = "Schoenfeld")$maxNumberOfEvents`.
 * Numerical integration as `groupSequentialProbabilities`; critical values by bisection to 1e-14.
 * Reference: K. K. G. Lan & D. L. DeMets (1983), Biometrika 70:659–663; C. Jennison & B. W. Turnbull
 * (2000), Group Sequential Methods; D. Schoenfeld (1983), Biometrics 39:499–503.
 * Throws `INVALID_ARGUMENT` for information fractions that are not strictly increasing in (0, 1]
 * (or more than 20 looks), α or β outside (0, 1), power not above α, sided other than 1 or 2, a
 * hazard ratio that is not positive and ≠ 1, an effect size that is 0 or not finite, a non-positive
 * allocation ratio.
 *
 * @example
 * const d = groupSequentialDesign({ informationFractions: [1 / 3, 2 / 3, 1], alpha: 0.025, spending: { type: 'obf' } });
 * d.looks.map((l) => l.criticalValue); // → [3.710302873262381, 2.5114274334055087, 1.9930474835262868] (rpact 3.3.4: 3.7103028732625, 2.5114274844527, 1.9930474832654)
 */
export function groupSequentialDesign(input: GroupSequentialDesignInput): GroupSequentialDesign {
  const t = input.informationFractions;
  const sided = input.sided ?? 1;
  const beta = input.beta ?? 0.2;
  const { alpha, spending } = input;
  const ratio = input.allocationRatio ?? 1;
  if (t.length === 0 || t.length > 20) throw new AnalysisInputError('INVALID_ARGUMENT', `expected 1 to 20 looks, got ${t.length}`);
  t.forEach((f, k) => {
    if (!(f > 0 && f <= 1) || (k > 0 && !(f > (t[k - 1] as number))))
      throw new AnalysisInputError('INVALID_ARGUMENT', `information fraction ${k + 1} = ${f}: expected strictly increasing values in (0, 1]`);
  });
  if (!(alpha > 0 && alpha < 1)) throw new AnalysisInputError('INVALID_ARGUMENT', `alpha = ${alpha}: expected a number in (0, 1)`);
  if (!(beta > 0 && beta < 1 - alpha / sided)) throw new AnalysisInputError('INVALID_ARGUMENT', `beta = ${beta}: expected 0 < beta < 1 − alpha${sided === 2 ? '/2' : ''}`);
  if (sided !== 1 && sided !== 2) throw new AnalysisInputError('INVALID_ARGUMENT', `sided = ${String(sided)}: expected 1 or 2`);
  if (input.hazardRatio !== undefined && !(input.hazardRatio > 0 && input.hazardRatio !== 1 && Number.isFinite(input.hazardRatio)))
    throw new AnalysisInputError('INVALID_ARGUMENT', `hazard ratio ${input.hazardRatio}: expected a positive number other than 1`);
  if (input.effectSize !== undefined && !(Number.isFinite(input.effectSize) && input.effectSize !== 0))
    throw new AnalysisInputError('INVALID_ARGUMENT', `effect size ${input.effectSize}: expected a finite number other than 0`);
  if (!(ratio > 0 && Number.isFinite(ratio))) throw new AnalysisInputError('INVALID_ARGUMENT', `allocation ratio ${ratio}: expected a positive number`);
  const futility = input.futility ?? null;
  if (futility && (sided !== 1 || t[t.length - 1] !== 1)) throw new AnalysisInputError('INVALID_ARGUMENT', 'futility boundaries need a one-sided design whose last look is at information fraction 1');

  const critical: number[] = [];
  const cumulative: number[] = [];
  let density: LookDensity | null = null;
  let spent = 0;
  for (let k = 0; k < t.length; k++) {
    const tk = t[k] as number;
    // Two-sided: each side spends α/2 by the spending function (rpact, gsDesign); OBF is not linear in α.
    const target = sided * alphaSpending(spending, alpha / sided, tk);
    const increment = target - spent;
    let c: number;
    if (increment <= 0) c = Infinity;
    else {
      const prev = density;
      const excess = (x: number): number => {
        const p = groupSequentialCrossing(prev, tk, sided === 2 ? -x : -Infinity, x, 0);
        return p.upper + p.lower - increment;
      };
      c = bisectRoot(excess, sided === 2 ? 0 : -10, 40, 1e-14);
    }
    critical.push(c);
    cumulative.push(target);
    spent = target;
    if (k + 1 < t.length) density = continuationDensity(density, tk, sided === 2 ? -c : -Infinity, c, 0);
  }
  const lower = critical.map((c) => (sided === 2 ? -c : -Infinity));

  const complete = t[t.length - 1] === 1;
  const zAlpha = normalQuantile(1 - alpha / sided);
  const zBeta = normalQuantile(1 - beta);
  let drift: number | null = null;
  let inflationFactor: number | null = null;
  let cumulativePower: number[] | null = null;
  let futilityValues: number[] | null = null;
  if (complete && futility) {
    // β-spending: θ is the drift at which the futility bound of the last look meets its efficacy bound
    // (all β spent exactly there); power counts efficacy crossings with futility stops in place.
    const last = critical[critical.length - 1] as number;
    const boundsAt = (theta: number) => futilityBoundaries({ informationFractions: t, criticalValues: critical, drift: theta, beta, spending: futility.spending });
    const theta = bisectRoot((x) => (boundsAt(x)[t.length - 1] as number) - last, 0, 3 * (zAlpha + zBeta) + 5, 1e-14);
    drift = theta;
    inflationFactor = (theta / (zAlpha + zBeta)) ** 2;
    futilityValues = boundsAt(theta);
    const p = groupSequentialProbabilities(t, critical, [...futilityValues.slice(0, -1), last], theta);
    let acc = 0;
    cumulativePower = p.upper.map((u) => (acc += u));
  } else if (complete) {
    const power = (theta: number): number => {
      const p = groupSequentialProbabilities(t, critical, lower, theta);
      return p.upper.reduce((a, b) => a + b, 0);
    };
    const theta = bisectRoot((x) => power(x) - (1 - beta), 0, 3 * (zAlpha + zBeta) + 5, 1e-14);
    drift = theta;
    inflationFactor = (theta / (zAlpha + zBeta)) ** 2;
    const p = groupSequentialProbabilities(t, critical, lower, theta);
    let acc = 0;
    cumulativePower = p.upper.map((u) => (acc += u));
  }
  const allocation = (1 + ratio) ** 2 / ratio;
  const fixedEvents = input.hazardRatio !== undefined ? ((zAlpha + zBeta) ** 2 * allocation) / Math.log(input.hazardRatio) ** 2 : null;
  const fixedSubjects = input.effectSize !== undefined ? ((zAlpha + zBeta) ** 2 * allocation) / input.effectSize ** 2 : null;
  const maxEvents = fixedEvents !== null && inflationFactor !== null ? fixedEvents * inflationFactor : null;
  const maxSubjects = fixedSubjects !== null && inflationFactor !== null ? fixedSubjects * inflationFactor : null;
  const looks = t.map((f, k) => ({
    look: k + 1,
    informationFraction: f,
    criticalValue: critical[k] as number,
    nominalAlpha: normalCdf(-(critical[k] as number)),
    cumulativeAlpha: cumulative[k] as number,
    incrementalAlpha: (cumulative[k] as number) - (k === 0 ? 0 : (cumulative[k - 1] as number)),
    cumulativePower: cumulativePower ? (cumulativePower[k] as number) : null,
    events: maxEvents !== null ? maxEvents * f : null,
    subjects: maxSubjects !== null ? maxSubjects * f : null,
    futilityValue: futilityValues && k + 1 < t.length ? (futilityValues[k] as number) : null,
  }));
  const name = spendingName(spending);
  return {
    looks,
    alpha,
    beta,
    sided,
    spending,
    inflationFactor,
    drift,
    fixedEvents,
    maxEvents,
    fixedSubjects,
    maxSubjects,
    method: `${sided}-sided group-sequential design, ${name} alpha spending, ${futility ? `non-binding futility boundaries by ${spendingName(futility.spending)} beta spending` : 'efficacy boundaries only'}`,
  };
}
