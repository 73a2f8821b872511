import { bisectRoot } from './bisect-root';
import { alphaSpending, type SpendingFunction } from './alpha-spending';
import { AnalysisInputError } from './errors';
import { continuationDensity, type LookDensity } from './group-sequential-density';
import { groupSequentialCrossing } from './group-sequential-crossing';

/**
 * Non-binding futility boundaries by β-spending (one-sided designs): at look k the z value b_k such
 * that, under the drift θ of the alternative, the probability of continuing to look k and then
 * falling below b_k is β(t_k) − β(t_{k−1}), where β(t) is the spending function with total β. The
 * continuation region is (b_j, c_j) at earlier looks; a bound above the efficacy bound is clipped to
 * it. The last value is the one the design solves θ for (it must equal the last efficacy bound).
 * Non-binding: the efficacy bounds `criticalValues` are computed without these (α is kept whether or
 * not a trial that crosses futility continues), as rpact's `bindingFutility = FALSE` and gsDesign's
 * test.type = 4. rpact: `getDesignGroupSequential(..., typeBetaSpending = "bsOF" | "bsP" | "bsHSD",
 * gammaB, bindingFutility = FALSE)$futilityBounds` (its first K − 1 values).
 * Reference: J. Pampallona, A. A. Tsiatis & K. Kim (2001), Drug Inf J 35:1113–1121 (β-spending).
 * Throws `INVALID_ARGUMENT` when the fractions and critical values differ in length or θ is not finite.
 *
 * @example
 * futilityBoundaries({ informationFractions: [1 / 3, 2 / 3, 1], criticalValues: [3.7103, 2.5114, 1.9930], drift: 2.8916, beta: 0.2, spending: { type: 'hsd', gamma: -2 } })[0];
 * // → about −0.216 (rpact 4.x: −0.2162148)
 */
export function futilityBoundaries({
  informationFractions: t,
  criticalValues,
  drift,
  beta,
  spending,
}: {
  informationFractions: readonly number[];
  criticalValues: readonly number[];
  drift: number;
  beta: number;
  spending: SpendingFunction;
}): number[] {
  if (t.length !== criticalValues.length) throw new AnalysisInputError('INVALID_ARGUMENT', `${t.length} information fractions but ${criticalValues.length} critical values`);
  if (!Number.isFinite(drift)) throw new AnalysisInputError('INVALID_ARGUMENT', `drift ${drift}: expected a finite number`);
  const bounds: number[] = [];
  let density: LookDensity | null = null;
  let spent = 0;
  for (let k = 0; k < t.length; k++) {
    const tk = t[k] as number;
    const ck = criticalValues[k] as number;
    const target = alphaSpending(spending, beta, tk);
    const increment = target - spent;
    const prev = density;
    let bk = increment <= 0 ? -Infinity : bisectRoot((x) => groupSequentialCrossing(prev, tk, x, ck, drift).lower - increment, -20, 40, 1e-13);
    if (k + 1 < t.length) {
      bk = Math.min(bk, ck);
      density = continuationDensity(density, tk, bk, ck, drift);
    }
    bounds.push(bk);
    spent = target;
  }
  return bounds;
}
