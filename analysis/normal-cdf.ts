import { complementaryErrorFunction } from './complementary-error-function';

/**
 * Standard normal distribution function Φ(x) = P(Z ≤ x), Z ~ N(0, 1); accurate in relative
 * terms in the lower tail (use `normalCdf(-x)` for the upper tail P(Z > x)).
 *
 * Definition: Φ(x) = ½ · erfc(−x/√2).
 * Reference: Abramowitz & Stegun (1964), 26.2.29.
 *
 * @example
 * normalCdf(1.959963984540054); // → 0.9749999999999999
 * normalCdf(-10); // → 7.619853024160581e-24 (R: 7.6198530241605269e-24)
 */
export function normalCdf(x: number): number {
  return 0.5 * complementaryErrorFunction(-x / Math.SQRT2);
}
