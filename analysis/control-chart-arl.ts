import { AnalysisInputError } from './errors';
import { gaussLegendre } from './gauss-legendre';
import { normalCdf } from './normal-cdf';
import { solveLinearSystem } from './solve-linear-system';

/** Quadrature nodes of the Nyström solution; 40 as R's spc (`r = 40`) for the EWMA, 30 for the CUSUM. */
const EWMA_NODES = 40;
const CUSUM_NODES = 30;

function normalDensity(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}

function requirePositive(value: number, name: string): void {
  if (!(value > 0) || !Number.isFinite(value)) throw new AnalysisInputError('INVALID_ARGUMENT', `${name} must be a positive finite number, got ${value}`);
}

/**
 * Zero-state average run length of a two-sided EWMA chart with fixed (asymptotic) limits, for
 * standardized observations X ~ N(μ, 1) (μ: the shift in standard deviations; 0 in control).
 *
 * Chart: Z₀ = 0, Zₜ = λXₜ + (1 − λ)Zₜ₋₁, alarm when |Zₜ| > c·√(λ/(2 − λ)). The ARL function solves
 * the integral equation L(z) = 1 + (1/λ) ∫₋ₕʰ L(y) φ((y − (1 − λ)z)/λ − μ) dy, h = c·√(λ/(2 − λ)),
 * by the Nyström method with 40 Gauss–Legendre nodes, and the result is L(0).
 * R equivalent: `spc::xewma.arl(l, c, mu, sided = "two", limits = "fix")`.
 * Reference: Crowder (1987), Technometrics 29:401–407; Knoth (2005), Statistics and Computing 15:341–352.
 * Throws `INVALID_ARGUMENT` unless 0 < λ ≤ 1 and c > 0.
 *
 * @example
 * ewmaAverageRunLength({ lambda: 0.1, criticalValue: 2.7, shift: 0 }); // → 368.9937339806079
 */
export function ewmaAverageRunLength({ lambda, criticalValue, shift = 0 }: { lambda: number; criticalValue: number; shift?: number }): number {
  if (!(lambda > 0 && lambda <= 1)) throw new AnalysisInputError('INVALID_ARGUMENT', `lambda must be in (0, 1], got ${lambda}`);
  requirePositive(criticalValue, 'critical value');
  const h = criticalValue * Math.sqrt(lambda / (2 - lambda));
  const { nodes, weights } = gaussLegendre(EWMA_NODES, -h, h);
  const kernel = (from: number, to: number) => normalDensity((to - (1 - lambda) * from) / lambda - shift) / lambda;
  const matrix = nodes.map((zi, i) => nodes.map((zj, j) => (i === j ? 1 : 0) - (weights[j] as number) * kernel(zi, zj)));
  const arl = solveLinearSystem(
    matrix,
    nodes.map(() => 1),
  );
  return 1 + nodes.reduce((sum, zj, j) => sum + (weights[j] as number) * kernel(0, zj) * (arl[j] as number), 0);
}

/**
 * Zero-state average run length of a one-sided upper CUSUM, for standardized observations
 * X ~ N(μ, 1): S₀ = 0, Sₜ = max(0, Sₜ₋₁ + Xₜ − k), alarm when Sₜ > h.
 *
 * Solves L(s) = 1 + Φ(k − s − μ)·L(0) + ∫₀ʰ L(y) φ(y + k − s − μ) dy (the atom at 0 and the density
 * on (0, h)) by the Nyström method with 30 Gauss–Legendre nodes; the result is L(0). A two-sided
 * scheme (an upper and a lower CUSUM, alarm on either) with symmetric k and h has, for μ = 0,
 * ARL₂ = ARL₁ / 2, since the two one-sided charts cannot both be away from zero with k ≥ 0 (Lucas &
 * Crosier's combination 1/ARL₂ = 1/ARL⁺ + 1/ARL⁻).
 * R equivalent: `spc::xcusum.arl(k, h, mu, sided = "one")`.
 * Reference: Page (1954), Biometrika 41:100–115; Goel & Wu (1971), Technometrics 13:221–230.
 * Throws `INVALID_ARGUMENT` unless k ≥ 0 and h > 0.
 *
 * @example
 * cusumAverageRunLength({ k: 0.5, h: 4, shift: 0 }); // → 335.3675776271065
 */
export function cusumAverageRunLength({ k, h, shift = 0 }: { k: number; h: number; shift?: number }): number {
  if (!(k >= 0) || !Number.isFinite(k)) throw new AnalysisInputError('INVALID_ARGUMENT', `reference value k must be ≥ 0, got ${k}`);
  requirePositive(h, 'decision interval h');
  const { nodes, weights } = gaussLegendre(CUSUM_NODES, 0, h);
  // Unknowns: L(0) first, then L at each node; each row is the equation at s = 0 or s = node.
  const points = [0, ...nodes];
  const matrix = points.map((s, i) => [(i === 0 ? 1 : 0) - normalCdf(k - s - shift), ...nodes.map((y, j) => (i === j + 1 ? 1 : 0) - (weights[j] as number) * normalDensity(y + k - s - shift))]);
  return solveLinearSystem(
    matrix,
    points.map(() => 1),
  )[0] as number;
}

/** Finds x in [low, high] with f(x) = target for an increasing f, by bisection to a relative 1e-10. */
function solveIncreasing(f: (x: number) => number, target: number, low: number, high: number): number {
  let lo = low;
  let hi = high;
  while (f(hi) < target) {
    lo = hi;
    hi *= 2;
    if (hi > 1e3) throw new AnalysisInputError('NOT_CONVERGED', `no critical value reaches an in-control ARL of ${target}`);
  }
  for (let iter = 0; iter < 200 && hi - lo > 1e-10 * hi; iter++) {
    const mid = (lo + hi) / 2;
    if (f(mid) < target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * Critical value c of a two-sided EWMA chart with fixed limits whose in-control ARL equals
 * `inControlArl` (bisection on `ewmaAverageRunLength`, which increases with c).
 * R equivalent: `spc::xewma.crit(l, L0, sided = "two", limits = "fix")`.
 * Throws `INVALID_ARGUMENT` unless 0 < λ ≤ 1 and inControlArl > 1.
 *
 * @example
 * ewmaCriticalValue({ lambda: 0.1, inControlArl: 370 }); // → 2.70104615118992
 */
export function ewmaCriticalValue({ lambda, inControlArl }: { lambda: number; inControlArl: number }): number {
  if (!(inControlArl > 1)) throw new AnalysisInputError('INVALID_ARGUMENT', `in-control ARL must be > 1, got ${inControlArl}`);
  return solveIncreasing((c) => ewmaAverageRunLength({ lambda, criticalValue: c }), inControlArl, 1e-3, 4);
}

/**
 * Decision interval h of a one-sided upper CUSUM with reference value k whose in-control ARL equals
 * `inControlArl` (bisection on `cusumAverageRunLength`).
 * R equivalent: `spc::xcusum.crit(k, L0, sided = "one")`.
 * Throws `INVALID_ARGUMENT` unless k ≥ 0 and inControlArl > 1.
 *
 * @example
 * cusumDecisionInterval({ k: 0.5, inControlArl: 370 }); // → 4.095448548826695
 */
export function cusumDecisionInterval({ k, inControlArl }: { k: number; inControlArl: number }): number {
  if (!(inControlArl > 1)) throw new AnalysisInputError('INVALID_ARGUMENT', `in-control ARL must be > 1, got ${inControlArl}`);
  return solveIncreasing((h) => cusumAverageRunLength({ k, h }), inControlArl, 1e-3, 8);
}
