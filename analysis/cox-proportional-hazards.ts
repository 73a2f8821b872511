import { chiSquareUpperTail } from './chi-square-upper-tail';
import { coxPartialLikelihood, type CoxData } from './cox-partial-likelihood';
import { AnalysisInputError } from './errors';
import { normalCdf } from './normal-cdf';
import { prepareCoxData } from './prepare-cox-data';
import { solveLinearSystem } from './solve-linear-system';
import { zForConfidence } from './z-for-confidence';

export interface CoxCoefficient {
  readonly name: string;
  readonly beta: number;
  readonly se: number;
  /** Hazard ratio exp(β) with its Wald interval exp(β ± z·se). */
  readonly hazardRatio: number;
  readonly lower: number;
  readonly upper: number;
  readonly z: number;
  readonly p: number;
}

export interface ChiSquareTest {
  readonly chiSquare: number;
  readonly df: number;
  readonly p: number;
}

export interface CoxModel {
  readonly coefficients: readonly CoxCoefficient[];
  /** Variance matrix of β̂ (inverse observed information), p × p rows. */
  readonly variance: readonly (readonly number[])[];
  /** Log partial likelihood at β = 0 and at β̂. */
  readonly logLik: readonly [number, number];
  readonly likelihoodRatio: ChiSquareTest;
  readonly wald: ChiSquareTest;
  /** Score (log-rank for one binary covariate) test at β = 0. */
  readonly score: ChiSquareTest;
  readonly n: number;
  readonly events: number;
  readonly strata: number;
  readonly iterations: number;
  readonly ties: 'efron' | 'breslow';
  readonly confLevel: number;
  /** The prepared data, for `coxZph`. */
  readonly data: CoxData;
}

export interface CoxInput {
  readonly time: readonly number[];
  readonly event: readonly number[];
  /** Named numeric covariates (code a factor as 0/1 indicator columns against its reference level). */
  readonly covariates: Readonly<Record<string, readonly number[]>>;
  /** Stratum label per subject: a separate baseline hazard per stratum (R's `strata()`). */
  readonly strata?: readonly string[];
}

const MAX_ITERATIONS = 50;

function invert(matrix: readonly (readonly number[])[]): number[][] {
  const p = matrix.length;
  const columns = Array.from({ length: p }, (_, j) =>
    solveLinearSystem(
      matrix,
      Array.from({ length: p }, (_, i) => (i === j ? 1 : 0)),
    ),
  );
  return Array.from({ length: p }, (_, i) => Array.from({ length: p }, (_, j) => (columns[j] as number[])[i] as number));
}

function rows(flat: Float64Array, p: number): number[][] {
  return Array.from({ length: p }, (_, i) => Array.from(flat.subarray(i * p, i * p + p)));
}

/**
 * Cox proportional-hazards regression by Newton–Raphson on the partial likelihood (Efron ties by
 * default), optionally stratified, with Wald intervals for the hazard ratios and the likelihood-
 * ratio, Wald and score tests — R's `coxph(Surv(time, event) ~ x1 + x2 + strata(s), ties = "efron")`.
 * Starts at β = 0, halves a step that lowers the likelihood (as coxph), and stops when the log
 * likelihood changes by less than 1e-13 relative and the step by less than 1e-10; the standard
 * errors come from the observed information at β̂.
 * Reference: D. R. Cox (1972), JRSS B 34:187–220; B. Efron (1977), JASA 72:557–565; T. M.
 * Therneau & P. M. Grambsch (2000), Modeling Survival Data.
 * Throws as `prepareCoxData`; `NO_OUTCOME_VARIATION` with no events; `UNDEFINED_ESTIMATE` when the
 * information is singular (a covariate is constant or collinear within strata); `NOT_CONVERGED`
 * when the likelihood is monotone (a covariate separates event order completely: β̂ infinite).
 *
 * @example
 * const fit = coxProportionalHazards({ time: [1, 2, 3, 4, 5, 6], event: [1, 1, 1, 1, 0, 1], covariates: { arm: [0, 0, 1, 0, 1, 1] } });
 * fit.coefficients[0]?.hazardRatio; // → 0.1849173550730794 (R coxph: 0.184917355073)
 */
export function coxProportionalHazards(input: CoxInput, options: { confLevel?: number; ties?: 'efron' | 'breslow' } = {}): CoxModel {
  const confLevel = options.confLevel ?? 0.95;
  const ties = options.ties ?? 'efron';
  const z = zForConfidence(confLevel);
  const names = Object.keys(input.covariates);
  const data = prepareCoxData(
    input.time,
    input.event,
    names.map((k) => input.covariates[k] as readonly number[]),
    input.strata,
  );
  const events = data.event.reduce((a, b) => a + b, 0);
  if (events === 0) throw new AnalysisInputError('NO_OUTCOME_VARIATION', 'no events: the Cox model is undefined');
  const p = data.p;
  let beta = new Array<number>(p).fill(0);
  const nullFit = coxPartialLikelihood(data, beta, ties);
  const nullInfo = rows(nullFit.information, p);
  const scoreStep = solveLinearSystem(nullInfo, Array.from(nullFit.score));
  const scoreChi = Array.from(nullFit.score).reduce((acc, u, j) => acc + u * (scoreStep[j] as number), 0);
  let current = nullFit;
  let iterations = 0;
  for (;;) {
    if (iterations === MAX_ITERATIONS)
      throw new AnalysisInputError('NOT_CONVERGED', `Cox model did not converge in ${MAX_ITERATIONS} iterations (monotone likelihood: a covariate may separate the event order)`);
    iterations++;
    let step: number[];
    try {
      step = solveLinearSystem(rows(current.information, p), Array.from(current.score));
    } catch (error) {
      // The information was regular at β = 0; vanishing later means β runs to infinity.
      if (error instanceof AnalysisInputError)
        throw new AnalysisInputError('NOT_CONVERGED', 'Cox model information vanishes as the coefficients grow (monotone likelihood: a covariate separates the event order)');
      throw error;
    }
    let halvings = 0;
    let candidate = beta.map((b, j) => b + (step[j] as number));
    let next = coxPartialLikelihood(data, candidate, ties);
    while (!(next.logLik >= current.logLik - 1e-12 * Math.abs(current.logLik)) && halvings < 30) {
      halvings++;
      candidate = beta.map((b, j) => (b + (candidate[j] as number)) / 2);
      next = coxPartialLikelihood(data, candidate, ties);
    }
    const maxStep = Math.max(...candidate.map((c, j) => Math.abs(c - (beta[j] as number)) / (1 + Math.abs(c))));
    const change = Math.abs(next.logLik - current.logLik) / (Math.abs(next.logLik) + 1e-300);
    beta = candidate;
    current = next;
    if (change < 1e-13 && maxStep < 1e-10) break;
    if (beta.some((b) => !Number.isFinite(b) || Math.abs(b) > 1e3))
      throw new AnalysisInputError('NOT_CONVERGED', 'Cox coefficients diverge (monotone likelihood: a covariate separates the event order)');
  }
  const variance = invert(rows(current.information, p));
  for (let j = 0; j < p; j++) {
    if (!(((variance[j] as number[])[j] as number) > 0)) throw new AnalysisInputError('UNDEFINED_ESTIMATE', `coefficient '${names[j]}' has no finite variance`);
  }
  const coefficients = names.map((name, j) => {
    const b = beta[j] as number;
    const se = Math.sqrt((variance[j] as number[])[j] as number);
    return { name, beta: b, se, hazardRatio: Math.exp(b), lower: Math.exp(b - z * se), upper: Math.exp(b + z * se), z: b / se, p: 2 * normalCdf(-Math.abs(b / se)) };
  });
  const info = rows(current.information, p);
  const waldChi = beta.reduce((acc, b, i) => acc + b * info[i]!.reduce((s, v, j) => s + v * (beta[j] as number), 0), 0);
  const lr = 2 * (current.logLik - nullFit.logLik);
  return {
    coefficients,
    variance,
    logLik: [nullFit.logLik, current.logLik],
    likelihoodRatio: { chiSquare: lr, df: p, p: chiSquareUpperTail(Math.max(0, lr), p) },
    wald: { chiSquare: waldChi, df: p, p: chiSquareUpperTail(waldChi, p) },
    score: { chiSquare: scoreChi, df: p, p: chiSquareUpperTail(scoreChi, p) },
    n: data.n,
    events,
    strata: data.strata.length,
    iterations,
    ties,
    confLevel,
    data,
  };
}
