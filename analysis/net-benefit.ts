/**
 * Net benefit of a decision rule at threshold probability t:
 * NB = tpRate − t/(1 − t) · fpRate − harm, with tpRate and fpRate per patient (not per case).
 *
 * Evaluated in exactly dcurves' order of operations so results match to the last bit; IEEE
 * semantics are kept on purpose: at t = 1 the weight is ∞, giving −∞ when fpRate > 0 and NaN
 * when fpRate = 0 (as R/dcurves).
 * Reference: A. J. Vickers & E. B. Elkin (2006), "Decision curve analysis: a novel method for
 * evaluating prediction models", Med Decis Making 26:565–574; dcurves `test_consequences()`.
 *
 * @example
 * netBenefit(0.3, 0.2, 0.25, 0); // → 0.23333333333333334
 */
export function netBenefit(tpRate: number, fpRate: number, threshold: number, harm: number): number {
  return tpRate - (threshold / (1 - threshold)) * fpRate - harm;
}
