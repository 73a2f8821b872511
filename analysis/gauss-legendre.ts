import { AnalysisInputError } from './errors';

export interface QuadratureRule {
  readonly nodes: readonly number[];
  readonly weights: readonly number[];
}

/**
 * Gauss–Legendre quadrature on [a, b] with n nodes: ∫ f ≈ Σ wᵢ f(xᵢ), exact for polynomials of
 * degree ≤ 2n − 1. Nodes are the roots of the Legendre polynomial Pₙ found by Newton's method from
 * Tricomi's starting values; weights 2 / ((1 − x²) Pₙ'(x)²), scaled to [a, b].
 * Reference: Abramowitz & Stegun (1964), 25.4.29; Press et al., Numerical Recipes §4.6 (gauleg).
 * Throws `INVALID_ARGUMENT` for n < 1 or not an integer, or b ≤ a.
 *
 * @example
 * const { nodes, weights } = gaussLegendre(2, 0, 1);
 * nodes; // → [0.21132486540518713, 0.7886751345948129]
 * weights; // → [0.5000000000000001, 0.5000000000000001]
 */
export function gaussLegendre(n: number, a: number, b: number): QuadratureRule {
  if (!Number.isInteger(n) || n < 1) throw new AnalysisInputError('INVALID_ARGUMENT', `number of nodes must be a positive integer, got ${n}`);
  if (!(b > a)) throw new AnalysisInputError('INVALID_ARGUMENT', `interval must have b > a, got [${a}, ${b}]`);
  const nodes = new Array<number>(n);
  const weights = new Array<number>(n);
  const half = (b - a) / 2;
  const mid = (a + b) / 2;
  for (let i = 0; i < Math.ceil(n / 2); i++) {
    let x = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let derivative = 0;
    for (let iter = 0; iter < 100; iter++) {
      let p0 = 1;
      let p1 = x;
      for (let k = 2; k <= n; k++) [p0, p1] = [p1, ((2 * k - 1) * x * p1 - (k - 1) * p0) / k];
      derivative = (n * (x * p1 - p0)) / (x * x - 1);
      const step = p1 / derivative;
      x -= step;
      if (Math.abs(step) < 1e-15) break;
    }
    const w = 2 / ((1 - x * x) * derivative * derivative);
    nodes[i] = mid - half * x;
    nodes[n - 1 - i] = mid + half * x;
    weights[i] = half * w;
    weights[n - 1 - i] = half * w;
  }
  return { nodes, weights };
}
