import { AnalysisInputError } from './errors';
import { solveLinearSystem } from './solve-linear-system';

export interface LogisticFit {
  /** Maximum-likelihood coefficients, in the order of the design's columns. */
  readonly coefficients: number[];
  /** Inverse observed (= expected, canonical link) Fisher information at the estimate: R's vcov(glm). */
  readonly covariance: number[][];
  readonly iterations: number;
}

/**
 * Logistic regression by iteratively reweighted least squares (Newton–Raphson on the canonical
 * link, as R's glm.fit; convergence when |Δdeviance| / (|deviance| + 0.1) < 1e-10). `design` is
 * one row of covariates per observation (include the intercept column yourself).
 * Throws `LENGTH_MISMATCH`, `NOT_BINARY`, `EMPTY_INPUT`, `UNDEFINED_ESTIMATE` for a singular
 * design, and `NOT_CONVERGED` on separation (a coefficient runs off, |β| > 30, or a fitted probability
 * within 1e-8 of 0 or 1) or after 50 steps.
 *
 * @example
 * fitLogisticRegression([[1, 0], [1, 0], [1, 0], [1, 1], [1, 1], [1, 1]], [0, 1, 0, 1, 1, 0]).coefficients;
 * // → [-0.693…, 1.386…] (log odds 1/2 and the log odds ratio 4)
 */
export function fitLogisticRegression(design: readonly (readonly number[])[], y: readonly number[]): LogisticFit {
  if (design.length !== y.length) throw new AnalysisInputError('LENGTH_MISMATCH', `design has ${design.length} rows, outcome ${y.length}`);
  if (design.length === 0) throw new AnalysisInputError('EMPTY_INPUT', 'no observations to fit');
  y.forEach((v, i) => {
    if (v !== 0 && v !== 1) throw new AnalysisInputError('NOT_BINARY', `outcome ${i + 1} is ${v}, expected 0 or 1`);
  });
  const p = (design[0] as readonly number[]).length;
  let beta = new Array<number>(p).fill(0);
  let deviance = Infinity;
  for (let iteration = 1; iteration <= 50; iteration++) {
    const info = Array.from({ length: p }, () => new Array<number>(p).fill(0));
    const score = new Array<number>(p).fill(0);
    let dev = 0;
    design.forEach((x, i) => {
      const eta = x.reduce((s, v, j) => s + v * (beta[j] as number), 0);
      const mu = 1 / (1 + Math.exp(-eta));
      const w = mu * (1 - mu);
      const yi = y[i] as number;
      dev -= 2 * (yi === 1 ? Math.log(mu) : Math.log(1 - mu));
      for (let a = 0; a < p; a++) {
        score[a] = (score[a] as number) + (x[a] as number) * (yi - mu);
        const row = info[a] as number[];
        for (let b = 0; b < p; b++) row[b] = (row[b] as number) + (x[a] as number) * (x[b] as number) * w;
      }
    });
    const step = solveLinearSystem(info, score);
    beta = beta.map((b, j) => b + (step[j] as number));
    if (beta.some((b) => !(Math.abs(b) <= 30))) throw new AnalysisInputError('NOT_CONVERGED', 'a coefficient diverges (the outcome is separated by the covariates)');
    const converged = Math.abs(dev - deviance) / (Math.abs(dev) + 0.1) < 1e-10;
    deviance = dev;
    if (converged) {
      // One more information matrix at the final β, as glm's vcov uses the last IRLS weights.
      const final = Array.from({ length: p }, () => new Array<number>(p).fill(0));
      for (const x of design) {
        const mu = 1 / (1 + Math.exp(-x.reduce((s, v, j) => s + v * (beta[j] as number), 0)));
        // Quasi-separation converges in deviance while β drifts off: R warns "fitted probabilities numerically 0 or 1".
        if (mu < 1e-8 || mu > 1 - 1e-8) throw new AnalysisInputError('NOT_CONVERGED', 'fitted probabilities numerically 0 or 1 (the outcome is separated by the covariates)');
        for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) (final[a] as number[])[b] = ((final[a] as number[])[b] as number) + (x[a] as number) * (x[b] as number) * mu * (1 - mu);
      }
      const covariance = Array.from({ length: p }, (_, j) =>
        solveLinearSystem(
          final,
          Array.from({ length: p }, (_, k) => (k === j ? 1 : 0)),
        ),
      );
      return { coefficients: beta, covariance, iterations: iteration };
    }
  }
  throw new AnalysisInputError('NOT_CONVERGED', 'logistic regression did not converge in 50 iterations');
}
