import { AnalysisInputError } from './errors';
import { normalCdf } from './normal-cdf';
import { normalQuantile } from './normal-quantile';

/** A Lan–DeMets spending function family. */
export type SpendingFunction = { readonly type: 'obf' } | { readonly type: 'pocock' } | { readonly type: 'hsd'; readonly gamma: number };

/**
 * Cumulative error spent by information fraction t ∈ [0, 1] under a spending function with total
 * error α — rpact's `typeOfDesign` "asOF", "asP", "asHSD" (gammaA), gsDesign's sfLDOF, sfLDPocock,
 * sfHSD:
 * - obf (Lan–DeMets O'Brien–Fleming type): 2(1 − Φ(Φ⁻¹(1 − α/2)/√t));
 * - pocock (Lan–DeMets Pocock type): α·log(1 + (e − 1)t);
 * - hsd (Hwang–Shih–DeCani, γ ≠ 0): α(1 − e^{−γt})/(1 − e^{−γ}); γ = 0: α·t.
 * Every family gives 0 at t = 0 and exactly α at t = 1.
 * Reference: K. K. G. Lan & D. L. DeMets (1983), Biometrika 70:659–663; I. K. Hwang, W. J. Shih &
 * J. S. DeCani (1990), Stat Med 9:1439–1445.
 * Throws `OUT_OF_RANGE` for t outside [0, 1] or α outside (0, 1); `INVALID_ARGUMENT` for a
 * non-finite γ.
 *
 * @example
 * alphaSpending({ type: 'obf' }, 0.025, 0.5); // → 0.0015253227579889016
 */
export function alphaSpending(spending: SpendingFunction, alpha: number, t: number): number {
  if (!(alpha > 0 && alpha < 1)) throw new AnalysisInputError('OUT_OF_RANGE', `alpha = ${alpha}: expected a number in (0, 1)`);
  if (!(t >= 0 && t <= 1)) throw new AnalysisInputError('OUT_OF_RANGE', `information fraction ${t}: expected a number in [0, 1]`);
  if (t === 0) return 0;
  if (t === 1) return alpha;
  switch (spending.type) {
    case 'obf':
      return 2 * normalCdf(-normalQuantile(1 - alpha / 2) / Math.sqrt(t));
    case 'pocock':
      return alpha * Math.log(1 + (Math.E - 1) * t);
    case 'hsd': {
      const { gamma } = spending;
      if (!Number.isFinite(gamma)) throw new AnalysisInputError('INVALID_ARGUMENT', `gamma = ${gamma}: expected a finite number`);
      if (gamma === 0) return alpha * t;
      return (alpha * -Math.expm1(-gamma * t)) / -Math.expm1(-gamma);
    }
  }
}
