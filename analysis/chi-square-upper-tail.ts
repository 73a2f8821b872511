import { complementaryErrorFunction } from './complementary-error-function';
import { AnalysisInputError } from './errors';
import { logGamma } from './log-gamma';

function regularizedUpperGamma(a: number, x: number): number {
  if (x <= 0) return 1;
  const logPrefix = -x + a * Math.log(x) - logGamma(a);
  if (x < a + 1) {
    // Series for the lower function P(a, x).
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 10000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-16) break;
    }
    return 1 - sum * Math.exp(logPrefix);
  }
  // Continued fraction for Q(a, x) (modified Lentz).
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(logPrefix) * h;
}

/**
 * Upper tail P(X ≥ x) of the chi-square distribution with `df` degrees of freedom
 * (R's `pchisq(x, df, lower.tail = FALSE)`), i.e. the p-value of a chi-square statistic.
 *
 * Method: df = 1 uses erfc(√(x/2)) exactly; otherwise the regularized upper incomplete gamma
 * Q(df/2, x/2) by series (x < a+1) or Lentz continued fraction.
 * Reference: Abramowitz & Stegun (1964), 26.4.19; Press et al., Numerical Recipes 3rd ed. §6.2.
 * Throws `INVALID_ARGUMENT` for df ≤ 0 and `OUT_OF_RANGE` for x < 0 or NaN.
 *
 * @example
 * chiSquareUpperTail(3.841458820694124, 1); // → 0.050000000000000266
 */
export function chiSquareUpperTail(x: number, df: number): number {
  if (!(df > 0) || !Number.isFinite(df)) throw new AnalysisInputError('INVALID_ARGUMENT', `df must be positive, got ${String(df)}`);
  if (!(x >= 0)) throw new AnalysisInputError('OUT_OF_RANGE', `chi-square statistic must be ≥ 0, got ${String(x)}`);
  if (x === Infinity) return 0;
  if (df === 1) return complementaryErrorFunction(Math.sqrt(x / 2));
  if (df === 2) return Math.exp(-x / 2);
  return regularizedUpperGamma(df / 2, x / 2);
}
