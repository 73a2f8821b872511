const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/**
 * Natural logarithm of the gamma function, ln Γ(x), for x > 0 (relative error ≈ 1e-15).
 *
 * Method: Lanczos approximation with g = 7, n = 9, and the reflection formula for x < ½.
 * Reference: C. Lanczos (1964), SIAM J. Numer. Anal. B 1:86–96; coefficients from
 * Press et al., Numerical Recipes 3rd ed. §6.1 (Godfrey's set).
 *
 * @example
 * logGamma(10); // → 12.801827480081474 (ln 9! = 12.801827480081469)
 */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0] ?? 0;
  for (let i = 1; i < LANCZOS.length; i++) sum += (LANCZOS[i] ?? 0) / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}
