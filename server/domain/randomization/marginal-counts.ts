import type { EnrollmentCovariates } from './covariates';
import { SITE_FACTOR } from './parameters';

/**
 * Minimization state: factor name ('site' included) → level → arm key → number of patients
 * allocated so far. Missing entries count as 0, so the DB layer only needs to read the rows for the
 * levels of the patient being randomized.
 */
export type MarginalCounts = Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, number>>>>>>;

export interface AddToMarginalCountsOptions {
  readonly counts: MarginalCounts;
  readonly covariates: EnrollmentCovariates;
  readonly arm: string;
}

/** The counts after one more patient with these covariates went to `arm` (a new object; the input is not changed). */
export function addToMarginalCounts({ counts, covariates, arm }: AddToMarginalCountsOptions): MarginalCounts {
  const next: Record<string, Record<string, Record<string, number>>> = { ...counts };
  const pairs: [string, string][] = [[SITE_FACTOR, covariates.site], ...Object.entries(covariates.levels)];
  for (const [factor, level] of pairs) {
    const byLevel = { ...next[factor] };
    const byArm = { ...byLevel[level] };
    byArm[arm] = (byArm[arm] ?? 0) + 1;
    byLevel[level] = byArm;
    next[factor] = byLevel;
  }
  return next;
}
