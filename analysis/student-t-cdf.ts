import { AnalysisInputError } from './errors';
import { regularizedIncompleteBeta } from './regularized-incomplete-beta';

/**
 * Cumulative distribution function of Student's t with `df` > 0 degrees of freedom.
 *
 * Definition: for t ≥ 0, F(t) = 1 − ½·I_{ν/(ν+t²)}(ν/2, ½), and F(−t) = 1 − F(t); the tail is
 * computed directly so small tail probabilities keep their relative accuracy.
 * Reference: Abramowitz & Stegun (1964) 26.7.1 and 26.5.27; checked against R `pt`.
 * Throws `OUT_OF_RANGE` for df ≤ 0 or t NaN.
 *
 * @example
 * studentTCdf(2.0, 5); // → 0.9490302605850708 (R: pt(2, 5) = 0.9490302605850709)
 */
export function studentTCdf(t: number, df: number): number {
  if (!(df > 0) || Number.isNaN(t)) throw new AnalysisInputError('OUT_OF_RANGE', `Student t needs df > 0 and a number, got t=${t}, df=${df}`);
  if (t === Infinity) return 1;
  if (t === -Infinity) return 0;
  const tail = 0.5 * regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}
