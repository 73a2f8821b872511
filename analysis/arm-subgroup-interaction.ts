import type { ArmCounts } from './arm-counts';
import { chiSquareUpperTail } from './chi-square-upper-tail';
import { AnalysisInputError } from './errors';
import { normalCdf } from './normal-cdf';
import { validateStrata } from './validate-strata';

export interface SubgroupArmCounts extends ArmCounts {
  readonly name: string;
}

export interface InteractionResult {
  readonly subgroups: readonly {
    readonly name: string;
    readonly logOddsRatio: number;
    readonly se: number;
    /** 'Haldane-Anscombe +0.5' when a zero cell in this subgroup forced the correction. */
    readonly correction: 'none' | 'Haldane-Anscombe +0.5';
  }[];
  /** Cochran's Q = Σ w(θ − θ̄)², w = 1/SE²; equals z² for two subgroups. */
  readonly statistic: number;
  readonly df: number;
  readonly pValue: number;
  /** Two subgroups only: z = (θ₁ − θ₂)/√(SE₁² + SE₂²), the Wald test of the difference of log ORs. */
  readonly z: number | null;
  /** Two subgroups only: ratio of odds ratios OR₁/OR₂. */
  readonly ratioOfOddsRatios: number | null;
  readonly method: string;
}

/**
 * Test of arm × subgroup interaction for a binary outcome: do the arm A vs B odds ratios differ
 * between subgroups? Wald approach on per-subgroup log odds ratios (Woolf variances), not
 * Breslow–Day: with two subgroups the z test of θ₁ − θ₂; with K ≥ 2 Cochran's Q homogeneity
 * statistic on K − 1 df (identical to z² when K = 2, and to the Wald test of the interaction
 * terms of the saturated logistic model y ~ arm * subgroup when no cell is zero).
 *
 * Zero cells: a subgroup with a zero cell gets 0.5 added to its four cells (named per subgroup).
 * Reference: D. G. Altman & J. M. Bland (2003), BMJ 326:219 ("Interaction revisited: the
 * difference between two estimates"); W. G. Cochran (1954), Biometrics 10:101–129; B. Woolf
 * (1955), Ann Hum Genet 19:251–253.
 * Throws as `validateStrata` (every subgroup needs both arms non-empty), and `EMPTY_INPUT` with
 * fewer than two subgroups.
 *
 * @example
 * armSubgroupInteraction([
 *   { name: 'F', eventsA: 20, nA: 50, eventsB: 10, nB: 50 },
 *   { name: 'M', eventsA: 12, nA: 50, eventsB: 11, nB: 50 },
 * ]).pValue; // → 0.18799730295444694 (z = 1.3165267595058638)
 */
export function armSubgroupInteraction(subgroups: readonly SubgroupArmCounts[]): InteractionResult {
  validateStrata(subgroups);
  if (subgroups.length < 2) throw new AnalysisInputError('EMPTY_INPUT', `an interaction test needs ≥ 2 subgroups, got ${subgroups.length}`);
  const rows = subgroups.map((s) => {
    const cells = [s.eventsA, s.nA - s.eventsA, s.eventsB, s.nB - s.eventsB];
    const corrected = cells.includes(0);
    const [a = 0, b = 0, c = 0, d = 0] = cells.map((x) => (corrected ? x + 0.5 : x));
    return {
      name: s.name,
      logOddsRatio: Math.log((a * d) / (b * c)),
      se: Math.sqrt(1 / a + 1 / b + 1 / c + 1 / d),
      correction: corrected ? ('Haldane-Anscombe +0.5' as const) : ('none' as const),
    };
  });
  let sw = 0;
  let swt = 0;
  for (const r of rows) {
    const w = 1 / (r.se * r.se);
    sw += w;
    swt += w * r.logOddsRatio;
  }
  const pooled = swt / sw;
  let statistic = 0;
  for (const r of rows) statistic += (r.logOddsRatio - pooled) ** 2 / (r.se * r.se);
  const df = rows.length - 1;
  const [first, second] = rows;
  if (rows.length === 2 && first && second) {
    const z = (first.logOddsRatio - second.logOddsRatio) / Math.hypot(first.se, second.se);
    return {
      subgroups: rows,
      statistic: z * z,
      df,
      pValue: 2 * normalCdf(-Math.abs(z)),
      z,
      ratioOfOddsRatios: Math.exp(first.logOddsRatio - second.logOddsRatio),
      method: 'Wald z test of the difference of log odds ratios',
    };
  }
  return {
    subgroups: rows,
    statistic,
    df,
    pValue: chiSquareUpperTail(statistic, df),
    z: null,
    ratioOfOddsRatios: null,
    method: "Cochran's Q test of homogeneity of log odds ratios (Wald)",
  };
}
