import { AnalysisInputError } from './errors';
import { validateScoredOutcomes } from './validate-scored-outcomes';
import { zForConfidence } from './z-for-confidence';

export interface CalibrationCoefficient {
  readonly estimate: number;
  readonly se: number;
  readonly lower: number;
  readonly upper: number;
}

export interface CalibrationResult {
  /** Calibration-in-the-large: α in logit P(y = 1) = α + logit(p) (logit(p) as offset); ideal 0. */
  readonly intercept: CalibrationCoefficient;
  /** Calibration slope: β in logit P(y = 1) = a + β·logit(p); ideal 1 (< 1: predictions too extreme). */
  readonly slope: CalibrationCoefficient;
  readonly confLevel: number;
  readonly n: number;
  readonly events: number;
  readonly method: 'logistic recalibration (Newton-Raphson), Wald CI';
}

const MAX_ITERATIONS = 100;
const TOLERANCE = 1e-12;

function expit(eta: number): number {
  return 1 / (1 + Math.exp(-eta));
}

/**
 * Calibration intercept and slope of predicted risks p against binary outcomes, by logistic
 * recalibration fitted with Newton–Raphson (= IRLS for the canonical logit link), with Wald
 * intervals from the observed information (R's `glm(..., binomial)` + `confint.default`).
 *
 * - slope: coefficient β of `glm(y ~ logit(p), family = binomial)`;
 * - intercept (calibration-in-the-large): α of `glm(y ~ 1, offset = logit(p), family = binomial)`.
 * Iterates from the perfectly calibrated start (α, β) = (0, 1) until every step is below 1e-12
 * (relative), at most 100 iterations.
 * Reference: D. R. Cox (1958), Biometrika 45:562–565; E. W. Steyerberg (2019), Clinical Prediction
 * Models 2nd ed. §15.3; B. Van Calster et al. (2016), J Clin Epidemiol 74:167–176.
 * Throws as `validateScoredOutcomes` with p required in the open interval (0, 1) (logit finite);
 * `NO_OUTCOME_VARIATION` when all outcomes are equal; `INVALID_ARGUMENT` when all predictions are
 * equal (slope not identifiable); `NOT_CONVERGED` when logit(p) separates the outcomes completely
 * or quasi-completely (A. Albert & J. A. Anderson (1984), Biometrika 71:1–10: no finite MLE),
 * or the iteration fails.
 *
 * @example
 * const r = calibrationInterceptSlope([0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9], [0, 0, 1, 0, 1, 0, 1, 1]);
 * [r.intercept.estimate, r.slope.estimate]; // → [0, 1.0739414552083402]
 */
export function calibrationInterceptSlope(predicted: readonly number[], outcome: readonly number[], confLevel = 0.95): CalibrationResult {
  const { events, n } = validateScoredOutcomes(predicted, outcome, { range: [0, 1], open: true });
  if (events === 0 || events === n) throw new AnalysisInputError('NO_OUTCOME_VARIATION', `outcomes must include 0 and 1, got ${events} events of ${n}`);
  const x = Float64Array.from(predicted, (p) => Math.log(p / (1 - p)));
  if (x.every((v) => v === x[0])) throw new AnalysisInputError('INVALID_ARGUMENT', 'all predictions are equal: the calibration slope is not identifiable');
  // Complete or quasi-complete separation on logit(p): the slope's MLE does not exist (Albert &
  // Anderson 1984), and Newton would "converge" only because the weights underflow.
  let maxNon = -Infinity;
  let minNon = Infinity;
  let maxEvt = -Infinity;
  let minEvt = Infinity;
  x.forEach((v, i) => {
    if (outcome[i] === 1) {
      maxEvt = Math.max(maxEvt, v);
      minEvt = Math.min(minEvt, v);
    } else {
      maxNon = Math.max(maxNon, v);
      minNon = Math.min(minNon, v);
    }
  });
  if (maxNon <= minEvt || maxEvt <= minNon) {
    throw new AnalysisInputError('NOT_CONVERGED', 'outcomes are completely separated by the predictions: the calibration slope is infinite');
  }
  const z = zForConfidence(confLevel);

  // Calibration-in-the-large: one-parameter Newton on α with offset x.
  let alpha = 0;
  let infoAlpha = 0;
  for (let iter = 0; ; iter++) {
    if (iter === MAX_ITERATIONS) throw new AnalysisInputError('NOT_CONVERGED', 'calibration intercept did not converge');
    let score = 0;
    infoAlpha = 0;
    for (let i = 0; i < n; i++) {
      const p = expit(alpha + (x[i] as number));
      score += (outcome[i] as number) - p;
      infoAlpha += p * (1 - p);
    }
    const step = score / infoAlpha;
    if (!Number.isFinite(step)) throw new AnalysisInputError('NOT_CONVERGED', 'calibration intercept diverged');
    alpha += step;
    if (Math.abs(step) <= TOLERANCE * (1 + Math.abs(alpha))) break;
  }
  // Recompute the information at the final α for the standard error.
  infoAlpha = 0;
  for (let i = 0; i < n; i++) {
    const p = expit(alpha + (x[i] as number));
    infoAlpha += p * (1 - p);
  }
  const seAlpha = 1 / Math.sqrt(infoAlpha);

  // Slope model: two-parameter Newton on (a, β).
  let a = 0;
  let b = 1;
  let i00 = 0;
  let i01 = 0;
  let i11 = 0;
  const information = (): void => {
    i00 = 0;
    i01 = 0;
    i11 = 0;
    for (let i = 0; i < n; i++) {
      const xi = x[i] as number;
      const p = expit(a + b * xi);
      const w = p * (1 - p);
      i00 += w;
      i01 += w * xi;
      i11 += w * xi * xi;
    }
  };
  for (let iter = 0; ; iter++) {
    if (iter === MAX_ITERATIONS) throw new AnalysisInputError('NOT_CONVERGED', 'calibration slope did not converge (separation?)');
    let g0 = 0;
    let g1 = 0;
    i00 = 0;
    i01 = 0;
    i11 = 0;
    for (let i = 0; i < n; i++) {
      const xi = x[i] as number;
      const p = expit(a + b * xi);
      const w = p * (1 - p);
      const r = (outcome[i] as number) - p;
      g0 += r;
      g1 += r * xi;
      i00 += w;
      i01 += w * xi;
      i11 += w * xi * xi;
    }
    const det = i00 * i11 - i01 * i01;
    const da = (i11 * g0 - i01 * g1) / det;
    const db = (i00 * g1 - i01 * g0) / det;
    if (!Number.isFinite(da) || !Number.isFinite(db)) throw new AnalysisInputError('NOT_CONVERGED', 'calibration slope diverged (separation?)');
    a += da;
    b += db;
    if (Math.abs(da) <= TOLERANCE * (1 + Math.abs(a)) && Math.abs(db) <= TOLERANCE * (1 + Math.abs(b))) break;
  }
  information();
  const seB = Math.sqrt(i00 / (i00 * i11 - i01 * i01));
  if (!Number.isFinite(seB) || !Number.isFinite(seAlpha)) throw new AnalysisInputError('NOT_CONVERGED', 'calibration fit has a singular information matrix');
  return {
    intercept: { estimate: alpha, se: seAlpha, lower: alpha - z * seAlpha, upper: alpha + z * seAlpha },
    slope: { estimate: b, se: seB, lower: b - z * seB, upper: b + z * seB },
    confLevel,
    n,
    events,
    method: 'logistic recalibration (Newton-Raphson), Wald CI',
  };
}
