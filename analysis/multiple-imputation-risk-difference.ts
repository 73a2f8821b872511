import { AnalysisInputError } from './errors';
import { choleskyLower } from './cholesky-lower';
import { fitLogisticRegression } from './fit-logistic-regression';
import { normalCdf } from './normal-cdf';
import { normalQuantile } from './normal-quantile';
import { poolRubin, type RubinPooled } from './pool-rubin';

/** One randomized participant: the binary outcome (null when missing), the arm and categorical covariates. */
export interface ImputationRow {
  readonly y: 0 | 1 | null;
  readonly arm: string;
  /** Covariate levels in the order of `covariateNames` (e.g. the stratification factors). */
  readonly covariates: readonly string[];
}

export interface ArmRisks {
  readonly riskA: number;
  readonly riskB: number;
  /** Risk A − risk B. */
  readonly difference: number;
  /** Wald variance rA(1 − rA)/nA + rB(1 − rB)/nB. */
  readonly variance: number;
}

export interface MultipleImputationResult {
  /** The imputation model actually fitted: its terms, and whether the covariates had to be dropped. */
  readonly model: { readonly terms: readonly string[]; readonly coefficients: readonly number[]; readonly covariatesDropped: string | null };
  readonly completeCase: ArmRisks & {
    readonly nA: number;
    readonly nB: number;
    readonly missingA: number;
    readonly missingB: number;
    readonly lower: number;
    readonly upper: number;
    readonly p: number;
  };
  readonly imputations: readonly ArmRisks[];
  readonly pooled: RubinPooled;
}

const expit = (eta: number) => 1 / (1 + Math.exp(-eta));

function armRisks(y: readonly number[], arm: readonly string[], armA: string, armB: string): ArmRisks & { nA: number; nB: number } {
  let nA = 0;
  let nB = 0;
  let eA = 0;
  let eB = 0;
  y.forEach((v, i) => {
    if (arm[i] === armA) {
      nA++;
      eA += v;
    } else if (arm[i] === armB) {
      nB++;
      eB += v;
    }
  });
  if (nA === 0 || nB === 0) throw new AnalysisInputError('EMPTY_GROUP', `no observed outcome in arm ${nA === 0 ? armA : armB}`);
  const riskA = eA / nA;
  const riskB = eB / nB;
  return { riskA, riskB, difference: riskA - riskB, variance: (riskA * (1 - riskA)) / nA + (riskB * (1 - riskB)) / nB, nA, nB };
}

/** Intercept, arm A indicator, then one dummy per non-reference level (levels sorted; the first is the reference). */
function designOf(rows: readonly ImputationRow[], armA: string, covariateNames: readonly string[], observed: readonly ImputationRow[]) {
  const terms = ['(Intercept)', `arm${armA}`];
  const columns: ((r: ImputationRow) => number)[] = [() => 1, (r) => (r.arm === armA ? 1 : 0)];
  covariateNames.forEach((name, k) => {
    const levels = [...new Set(rows.map((r) => r.covariates[k] as string))].sort();
    for (const level of levels.slice(1)) {
      // A level no observed participant has cannot be estimated: its missing participants get the reference level's risk.
      if (!observed.some((r) => r.covariates[k] === level)) continue;
      terms.push(`${name}${level}`);
      columns.push((r) => (r.covariates[k] === level ? 1 : 0));
    }
  });
  return { terms, row: (r: ImputationRow) => columns.map((c) => c(r)) };
}

/**
 * Multiple imputation of a missing binary outcome and the arm risk difference (A − B) pooled by
 * Rubin's rules, beside the complete-case estimate (same Wald estimator) — a sensitivity analysis
 * under missing at random given arm and covariates.
 *
 * Imputation model: logistic regression of the outcome on arm and the categorical covariates
 * (main effects), fitted to the observed outcomes. Each imputation is "proper" in the approximate
 * Bayesian sense mice's logreg uses (Rubin 1987, p. 167; van Buuren 2018, §3.6.2): draw
 * β* = β̂ + L·z with L the Cholesky factor of vcov(β̂) and z standard normal, then each missing
 * y ~ Bernoulli(expit(x·β*)). If the model with covariates does not converge (separation) or is
 * singular, it is refitted on arm alone, and `model.covariatesDropped` says why.
 *
 * `uniform` is the only source of randomness, consumed in a fixed order so that any
 * implementation given the same stream reproduces the draws: per imputation, first p uniforms
 * turned into normals by the inverse CDF (z = Φ⁻¹(u)), then one uniform per missing row in input
 * order (imputed 1 when u < the drawn probability). Uniforms must lie in (0, 1).
 * Throws `INVALID_ARGUMENT` (m < 2, bad uniform), `EMPTY_GROUP` (an arm without observed
 * outcomes) and `NOT_CONVERGED` when even the arm-only model separates.
 *
 * @example
 * const rng = createSeededRandom(17);
 * multipleImputationRiskDifference({ rows, armA: 'assisted', armB: 'control', covariateNames: ['site'], m: 20, uniform: () => rng.nextFloat() || 2 ** -33 }).pooled;
 */
export function multipleImputationRiskDifference({
  rows,
  armA,
  armB,
  covariateNames,
  m,
  uniform,
  confLevel = 0.95,
}: {
  rows: readonly ImputationRow[];
  armA: string;
  armB: string;
  covariateNames: readonly string[];
  m: number;
  uniform: () => number;
  confLevel?: number;
}): MultipleImputationResult {
  if (!Number.isInteger(m) || m < 2) throw new AnalysisInputError('INVALID_ARGUMENT', `the number of imputations must be an integer ≥ 2, got ${m}`);
  const used = rows.filter((r) => r.arm === armA || r.arm === armB);
  const observed = used.filter((r) => r.y !== null);
  const cc = armRisks(
    observed.map((r) => r.y as number),
    observed.map((r) => r.arm),
    armA,
    armB,
  );
  const zq = normalQuantile(1 - (1 - confLevel) / 2);
  const ccSe = Math.sqrt(cc.variance);
  const completeCase = {
    ...cc,
    missingA: used.filter((r) => r.arm === armA && r.y === null).length,
    missingB: used.filter((r) => r.arm === armB && r.y === null).length,
    lower: cc.difference - zq * ccSe,
    upper: cc.difference + zq * ccSe,
    p: ccSe > 0 ? 2 * normalCdf(-Math.abs(cc.difference) / ccSe) : cc.difference === 0 ? 1 : 0,
  };

  let covariatesDropped: string | null = null;
  let design = designOf(used, armA, covariateNames, observed);
  let fit;
  try {
    fit = fitLogisticRegression(
      observed.map(design.row),
      observed.map((r) => r.y as number),
    );
  } catch (error) {
    if (!(error instanceof AnalysisInputError) || covariateNames.length === 0) throw error;
    covariatesDropped = `${error.code}: ${error.message}; imputed on arm alone`;
    design = designOf(used, armA, [], observed);
    fit = fitLogisticRegression(
      observed.map(design.row),
      observed.map((r) => r.y as number),
    );
  }
  const chol = choleskyLower(fit.covariance);
  const missing = used.filter((r) => r.y === null);
  const missingX = missing.map(design.row);
  const draw = () => {
    const u = uniform();
    if (!(u > 0 && u < 1)) throw new AnalysisInputError('INVALID_ARGUMENT', `uniform draws must lie in (0, 1), got ${u}`);
    return u;
  };
  const imputations: ArmRisks[] = [];
  const completedArms = used.map((r) => r.arm);
  for (let j = 0; j < m; j++) {
    const z = fit.coefficients.map(() => normalQuantile(draw()));
    const beta = fit.coefficients.map((b, a) => b + (chol[a] as number[]).reduce((s, l, k) => s + l * (z[k] as number), 0));
    let next = 0;
    const imputed = missingX.map((x) => (draw() < expit(x.reduce((s, v, k) => s + v * (beta[k] as number), 0)) ? 1 : 0));
    const y = used.map((r) => (r.y === null ? (imputed[next++] as number) : r.y));
    const { riskA, riskB, difference, variance } = armRisks(y, completedArms, armA, armB);
    imputations.push({ riskA, riskB, difference, variance });
  }
  const pooled = poolRubin(
    imputations.map((i) => i.difference),
    imputations.map((i) => i.variance),
    Infinity,
    confLevel,
  );
  return { model: { terms: design.terms, coefficients: fit.coefficients, covariatesDropped }, completeCase, imputations, pooled };
}
