import { AnalysisInputError } from './errors';
import { studentTCdf } from './student-t-cdf';
import { studentTQuantile } from './student-t-quantile';

export interface RubinPooled {
  readonly m: number;
  /** Pooled estimate: the mean of the m estimates (Q̄). */
  readonly estimate: number;
  /** Within-imputation variance Ū, between-imputation variance B, total T = Ū + (1 + 1/m)·B. */
  readonly within: number;
  readonly between: number;
  readonly total: number;
  readonly standardError: number;
  /** Relative increase in variance due to nonresponse r = (1 + 1/m)·B / Ū. */
  readonly relativeIncrease: number;
  /** λ = (1 + 1/m)·B / T, the proportion of the variance due to the missing data. */
  readonly lambda: number;
  /** Fraction of missing information (r + 2/(ν + 3)) / (r + 1). */
  readonly fmi: number;
  /** Degrees of freedom ν (Barnard–Rubin 1999 with the complete-data df; Rubin 1987 when that is infinite). */
  readonly df: number;
  readonly lower: number;
  readonly upper: number;
  /** Two-sided p of H0: the quantity is 0 (t on ν df). */
  readonly p: number;
}

/**
 * Rubin's rules (Rubin 1987, ch. 3) for one scalar quantity estimated on each of m imputed data
 * sets, with the small-sample degrees of freedom of Barnard & Rubin (1999) given the complete-data
 * df (`dfComplete`, Infinity for large-sample estimators), as mice's pool.scalar(Q, U, n, k) with
 * dfComplete = n − k (λ floored at 1e-4 in ν, as mice does).
 * Throws `INVALID_ARGUMENT` for m < 2, unequal lengths, a non-finite estimate or a negative variance.
 *
 * @example
 * poolRubin([0.1, 0.2, 0.15], [0.01, 0.012, 0.011], Infinity).estimate; // → 0.15
 */
export function poolRubin(estimates: readonly number[], variances: readonly number[], dfComplete: number, confLevel = 0.95): RubinPooled {
  const m = estimates.length;
  if (m < 2) throw new AnalysisInputError('INVALID_ARGUMENT', `Rubin's rules need at least 2 imputations, got ${m}`);
  if (variances.length !== m) throw new AnalysisInputError('INVALID_ARGUMENT', `${m} estimates but ${variances.length} variances`);
  if (estimates.some((q) => !Number.isFinite(q)) || variances.some((u) => !(u >= 0) || !Number.isFinite(u)))
    throw new AnalysisInputError('INVALID_ARGUMENT', 'every estimate must be finite and every variance finite and ≥ 0');
  if (!(dfComplete > 0)) throw new AnalysisInputError('INVALID_ARGUMENT', `complete-data df must be > 0, got ${dfComplete}`);
  const estimate = estimates.reduce((s, q) => s + q, 0) / m;
  const within = variances.reduce((s, u) => s + u, 0) / m;
  const between = estimates.reduce((s, q) => s + (q - estimate) ** 2, 0) / (m - 1);
  const total = within + (1 + 1 / m) * between;
  const lambda = total > 0 ? ((1 + 1 / m) * between) / total : 0;
  // mice floors λ for the df only, so ν stays finite when the imputations agree exactly.
  const lambdaDf = Math.max(1e-4, lambda);
  const dfOld = (m - 1) / lambdaDf ** 2;
  const dfObserved = ((dfComplete + 1) / (dfComplete + 3)) * dfComplete * (1 - lambdaDf);
  const df = Number.isFinite(dfComplete) ? (dfOld * dfObserved) / (dfOld + dfObserved) : dfOld;
  const relativeIncrease = within > 0 ? ((1 + 1 / m) * between) / within : Infinity;
  const fmi = (relativeIncrease + 2 / (df + 3)) / (relativeIncrease + 1);
  const standardError = Math.sqrt(total);
  const q = studentTQuantile(1 - (1 - confLevel) / 2, df);
  const p = standardError > 0 ? 2 * (1 - studentTCdf(Math.abs(estimate) / standardError, df)) : estimate === 0 ? 1 : 0;
  return { m, estimate, within, between, total, standardError, relativeIncrease, lambda, fmi, df, lower: estimate - q * standardError, upper: estimate + q * standardError, p };
}
