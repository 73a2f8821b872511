import type { CoxData } from './cox-partial-likelihood';
import { AnalysisInputError } from './errors';
import { validateSurvivalData } from './validate-survival-data';

/**
 * Validates and arranges data for `coxPartialLikelihood`: covariates as columns (each of length n,
 * finite), centred on their means; subjects grouped by stratum (in order of first appearance) and
 * sorted by time descending within each stratum.
 * Throws as `validateSurvivalData`; `EMPTY_INPUT` with no covariate; `LENGTH_MISMATCH` when a
 * covariate or the strata differ in length from time; `OUT_OF_RANGE` for a non-finite covariate
 * value (naming column and index).
 *
 * @example
 * prepareCoxData([2, 1], [1, 1], [[0, 1]]).x[0]; // → Float64Array [-0.5, 0.5]
 */
export function prepareCoxData(time: readonly number[], event: readonly number[], covariates: readonly (readonly number[])[], strata?: readonly string[]): CoxData {
  const { n } = validateSurvivalData(time, event);
  if (covariates.length === 0) throw new AnalysisInputError('EMPTY_INPUT', 'a Cox model needs at least one covariate');
  const x = covariates.map((column, j) => {
    if (column.length !== n) throw new AnalysisInputError('LENGTH_MISMATCH', `covariate ${j + 1} has ${column.length} values, time has ${n}`);
    column.forEach((v, i) => {
      if (!Number.isFinite(v)) throw new AnalysisInputError('OUT_OF_RANGE', `covariate ${j + 1}[${i}] = ${v}: expected a finite number`);
    });
    const mean = column.reduce((a, b) => a + b, 0) / n;
    return Float64Array.from(column, (v) => v - mean);
  });
  if (strata && strata.length !== n) throw new AnalysisInputError('LENGTH_MISMATCH', `strata has ${strata.length} values, time has ${n}`);
  const groups = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const key = strata ? (strata[i] as string) : '';
    const list = groups.get(key);
    if (list) list.push(i);
    else groups.set(key, [i]);
  }
  const sorted = [...groups.values()].map((members) => Int32Array.from(members.sort((a, b) => (time[b] as number) - (time[a] as number))));
  return { n, p: x.length, x, time: Float64Array.from(time), event: Uint8Array.from(event), strata: sorted };
}
