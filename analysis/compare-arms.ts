import { validateArmCounts, type ArmCounts } from './arm-counts';
import { cochranMantelHaenszelTest } from './cochran-mantel-haenszel-test';
import { AnalysisInputError } from './errors';
import { fisherExactTest } from './fisher-exact-test';
import { mantelHaenszelOddsRatio } from './mantel-haenszel-odds-ratio';
import { mantelHaenszelRiskDifference } from './mantel-haenszel-risk-difference';
import { newcombeRiskDifference } from './newcombe-risk-difference';
import { oddsRatio } from './odds-ratio';
import { pearsonChiSquareTest } from './pearson-chi-square-test';
import { relativeRisk } from './relative-risk';
import { validateStrata } from './validate-strata';
import { waldRiskDifference } from './wald-risk-difference';
import { wilsonInterval, type ProportionInterval } from './wilson-interval';

/** One estimate with its interval, labelled with the measure and the method that produced it. */
export interface LabelledEstimate {
  readonly measure: 'risk difference' | 'relative risk' | 'odds ratio';
  readonly method: string;
  readonly estimate: number;
  readonly lower: number;
  readonly upper: number;
  /** 'none' or the zero-cell correction applied (ratios only; 'none' for differences). */
  readonly correction: string;
  readonly stratified: boolean;
}

/** One hypothesis test, labelled with its method; `statistic` is null for exact tests. */
export interface LabelledTest {
  readonly method: string;
  readonly statistic: number | null;
  readonly pValue: number;
  readonly stratified: boolean;
}

export interface ArmComparison {
  readonly confLevel: number;
  readonly arms: { readonly A: ProportionInterval; readonly B: ProportionInterval };
  readonly estimates: readonly LabelledEstimate[];
  readonly tests: readonly LabelledTest[];
  /** Figures that could not be computed for these counts (e.g. chi-square with no events), with why. */
  readonly notComputed: readonly { readonly method: string; readonly reason: string }[];
}

function attempt<T>(method: string, notComputed: { method: string; reason: string }[], compute: () => T): T | undefined {
  try {
    return compute();
  } catch (error) {
    if (!(error instanceof AnalysisInputError)) throw error;
    notComputed.push({ method, reason: `${error.code}: ${error.message}` });
    return undefined;
  }
}

/**
 * Every arm-comparison figure for a binary outcome (arm A vs arm B; A is the numerator), each
 * labelled with its method: per-arm n/N with Wilson intervals; risk difference (Wald and Newcombe
 * method 10); relative risk (Katz log); odds ratio (Woolf log), ratios with the Haldane–Anscombe
 * correction named when a zero cell forces it; Fisher exact two-sided p; Pearson χ² with and
 * without Yates' correction. With `strata` (which must sum to the arm totals) it adds the
 * Mantel–Haenszel odds ratio (RBG CI) and risk difference (Sato), and the CMH test with and
 * without continuity correction.
 *
 * A figure undefined for the data (χ² when nobody has the event, MH OR with no discordant
 * information …) is listed in `notComputed` with its error code instead of being faked.
 * Reference: see each method's own function; Agresti (2013), Categorical Data Analysis 3rd ed.
 * Throws as `validateArmCounts`/`validateStrata`, and `INVALID_ARGUMENT` when strata do not sum
 * to the arm totals.
 *
 * @example
 * const c = compareArms({ eventsA: 12, nA: 50, eventsB: 5, nB: 48 });
 * c.estimates.map((e) => `${e.measure} ${e.method} ${e.estimate.toFixed(4)}`);
 * // → ['risk difference Wald 0.1358', 'risk difference Newcombe hybrid score (method 10) 0.1358',
 * //    'relative risk Katz log 2.3040', 'odds ratio Woolf log 2.7158']
 * c.tests.map((t) => t.pValue.toFixed(4)); // → ['0.1091', '0.0759', '0.1314']
 */
export function compareArms(arms: ArmCounts, options: { readonly strata?: readonly ArmCounts[]; readonly confLevel?: number } = {}): ArmComparison {
  validateArmCounts(arms);
  const confLevel = options.confLevel ?? 0.95;
  const notComputed: { method: string; reason: string }[] = [];
  const estimates: LabelledEstimate[] = [];
  const tests: LabelledTest[] = [];
  const push = (measure: LabelledEstimate['measure'], r: { method: string; estimate: number; lower: number; upper: number; correction?: string }, stratified = false): void => {
    estimates.push({ measure, method: r.method, estimate: r.estimate, lower: r.lower, upper: r.upper, correction: r.correction ?? 'none', stratified });
  };
  push('risk difference', waldRiskDifference(arms, confLevel));
  push('risk difference', newcombeRiskDifference(arms, confLevel));
  push('relative risk', relativeRisk(arms, confLevel));
  push('odds ratio', oddsRatio(arms, confLevel));
  tests.push({ ...fisherExactTest(arms), stratified: false });
  for (const correct of [false, true]) {
    const method = correct ? "Pearson's chi-squared test with Yates' continuity correction" : "Pearson's chi-squared test";
    const result = attempt(method, notComputed, () => pearsonChiSquareTest(arms, { correct }));
    if (result) tests.push({ ...result, stratified: false });
  }

  if (options.strata) {
    const strata = validateStrata(options.strata);
    const sum = (key: keyof ArmCounts): number => strata.reduce((acc, s) => acc + s[key], 0);
    if (sum('eventsA') !== arms.eventsA || sum('nA') !== arms.nA || sum('eventsB') !== arms.eventsB || sum('nB') !== arms.nB) {
      throw new AnalysisInputError('INVALID_ARGUMENT', 'strata must sum to the arm totals');
    }
    const mhOr = attempt('Mantel-Haenszel (Robins-Breslow-Greenland CI)', notComputed, () => mantelHaenszelOddsRatio(strata, confLevel));
    push('risk difference', mantelHaenszelRiskDifference(strata, confLevel), true);
    if (mhOr) push('odds ratio', mhOr, true);
    for (const correct of [false, true]) {
      const method = correct ? 'Cochran-Mantel-Haenszel test with continuity correction' : 'Cochran-Mantel-Haenszel test';
      const result = attempt(method, notComputed, () => cochranMantelHaenszelTest(strata, { correct }));
      if (result) tests.push({ ...result, stratified: true });
    }
  }
  return {
    confLevel,
    arms: { A: wilsonInterval(arms.eventsA, arms.nA, confLevel), B: wilsonInterval(arms.eventsB, arms.nB, confLevel) },
    estimates,
    tests,
    notComputed,
  };
}
