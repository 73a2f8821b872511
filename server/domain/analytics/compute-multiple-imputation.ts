import { AnalysisInputError } from '@/analysis/errors';
import { multipleImputationRiskDifference, type MultipleImputationResult } from '@/analysis/multiple-imputation-risk-difference';
import { createSeededRandom } from '@/analysis/seeded-random';
import { PLAN_OUTCOMES, type AnalysisPlanContent } from '../analysis-plan/analysis-plan-content';
import type { AnalysisRow } from './analysis-dataset';

/** The seed when the analysis plan names none: fixed, so the same data always give the same result. */
export const DEFAULT_IMPUTATION_SEED = 20261202;

const BINARY_VALUES = {
  progressionFree6m: (r: AnalysisRow) => (r.progressionFree6m === null ? null : r.progressionFree6m ? 1 : 0),
  clinicianCorrect: (r: AnalysisRow) => (r.clinicianCorrect === null ? null : r.clinicianCorrect === 1 ? 1 : 0),
} as const;
type BinaryOutcome = keyof typeof BINARY_VALUES;

/**
 * m when the plan states none: White, Royston & Wood (2011, Stat Med 30:377) advise at least as
 * many imputations as the percentage of incomplete cases, so the Monte Carlo error of the pooled
 * estimate and p stays small; 20 at the least, 100 at the most.
 */
export function defaultImputations(fractionMissing: number): number {
  return Math.min(100, Math.max(20, Math.ceil(100 * fractionMissing)));
}

export type MultipleImputationOutcome =
  | { readonly outcome: BinaryOutcome; readonly label: string; readonly role: 'primary' | 'secondary'; readonly available: true; readonly value: MultipleImputationResult }
  | { readonly outcome: BinaryOutcome; readonly label: string; readonly role: 'primary' | 'secondary'; readonly available: false; readonly reason: string };

/**
 * The multiple-imputation sensitivity analysis of every binary outcome the analysis plan names
 * (primary or secondary): the ITT population (all randomized of the two compared arms), missing
 * outcomes imputed from a logistic model on arm, site and the stratification factors, the risk
 * difference (A − B) pooled by Rubin's rules beside the complete-case estimate. m and the seed
 * come from the plan's `missingData`; without it, m = defaultImputations and a fixed seed, and
 * the analysis is labelled exploratory. Each outcome's draws start from the same seed, so adding
 * an outcome to the plan does not change another's result.
 */
export function computeMultipleImputation({
  rows,
  armA,
  armB,
  factors,
  plan,
  label = (key) => key,
}: {
  rows: readonly AnalysisRow[];
  armA: string;
  armB: string;
  factors: readonly string[];
  plan: Pick<AnalysisPlanContent, 'primaryOutcome' | 'secondaryOutcomes' | 'missingData'> | null;
  /** The arm's label (the report's wording of a reason), by key. */
  label?: (key: string) => string;
}) {
  const used = rows.filter((r) => r.arm === armA || r.arm === armB);
  const named = plan ? [plan.primaryOutcome, ...plan.secondaryOutcomes] : (Object.keys(BINARY_VALUES) as BinaryOutcome[]);
  const binary = named.filter((o): o is BinaryOutcome => o in BINARY_VALUES);
  const fractionMissing = Math.max(0, ...binary.map((o) => (used.length ? used.filter((r) => BINARY_VALUES[o](r) === null).length / used.length : 0)));
  const stated = plan?.missingData ?? null;
  const m = stated?.imputations ?? defaultImputations(fractionMissing);
  const seed = stated?.seed ?? DEFAULT_IMPUTATION_SEED;
  const covariateNames = ['site', ...factors];
  const outcomes = binary.map((outcome): MultipleImputationOutcome => {
    const head = { outcome, label: PLAN_OUTCOMES[outcome].label, role: plan?.primaryOutcome === outcome ? ('primary' as const) : ('secondary' as const) };
    // Checked here rather than left to the analysis, whose message can only name the arm by its key.
    const unobserved = [armA, armB].find((arm) => !used.some((r) => r.arm === arm && BINARY_VALUES[outcome](r) !== null));
    if (unobserved !== undefined) return { ...head, available: false, reason: `EMPTY_GROUP: no observed outcome in arm ${label(unobserved)}` };
    const rng = createSeededRandom(seed);
    try {
      const value = multipleImputationRiskDifference({
        rows: used.map((r) => ({ y: BINARY_VALUES[outcome](r), arm: r.arm, covariates: [r.site, ...factors.map((f) => r.levels[f] ?? '(missing)')] })),
        armA,
        armB,
        covariateNames,
        m,
        // xoshiro128** can return exactly 0 (p = 2⁻³²): Φ⁻¹(0) is −∞, so the half-step above it is used.
        uniform: () => rng.nextFloat() || 2 ** -33,
      });
      return { ...head, available: true, value };
    } catch (error) {
      if (error instanceof AnalysisInputError) return { ...head, available: false, reason: `${error.code}: ${error.message}` };
      throw error;
    }
  });
  return {
    label: 'Sensitivity analysis (missing at random given arm, site and strata)',
    prespecified: stated !== null,
    imputations: m,
    seed,
    mSource: stated ? 'analysis plan' : `default: max(20, % incomplete cases) capped at 100 (White, Royston & Wood 2011); ${Math.round(100 * fractionMissing)}% incomplete`,
    population: 'ITT: every randomized participant of the two arms',
    model: `logistic regression of the outcome on arm + ${covariateNames.join(' + ')} (main effects), proper imputation: coefficients drawn from their normal posterior approximation, then each missing outcome from Bernoulli(expit(x·β*))`,
    estimand: 'risk difference (arm A − arm B), Wald variance per imputed data set, pooled by Rubin’s rules with Barnard–Rubin df',
    outcomes,
  };
}

export type MultipleImputationSection = ReturnType<typeof computeMultipleImputation>;
