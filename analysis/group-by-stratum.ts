import { AnalysisInputError } from './errors';

/**
 * Patient indices grouped by stratum label, for stratified resampling: groups appear in order of
 * first appearance of their label, indices ascending within a group. Without `strata` there is
 * one group holding 0…n−1. Labels are compared with `String(label)`, so 1 and '1' are the same
 * stratum (CSV input is text).
 *
 * Throws `LENGTH_MISMATCH` when `strata` does not have n labels, `EMPTY_INPUT` when n = 0.
 *
 * @example
 * groupByStratum(5, ['A:x', 'B:x', 'A:x', 'B:y', 'A:x']).map((g) => Array.from(g));
 * // → [[0, 2, 4], [1], [3]]
 */
export function groupByStratum(n: number, strata?: readonly (string | number)[]): readonly Uint32Array[] {
  if (n === 0) throw new AnalysisInputError('EMPTY_INPUT', 'no patients to group');
  if (!strata) return [Uint32Array.from({ length: n }, (_, i) => i)];
  if (strata.length !== n) throw new AnalysisInputError('LENGTH_MISMATCH', `strata has ${strata.length} labels for ${n} patients`);
  const groups = new Map<string, number[]>();
  strata.forEach((label, i) => {
    const key = String(label);
    const group = groups.get(key);
    if (group) group.push(i);
    else groups.set(key, [i]);
  });
  return [...groups.values()].map((g) => Uint32Array.from(g));
}
