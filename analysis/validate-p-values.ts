import { AnalysisInputError } from './errors';

/**
 * Checks that every p-value is a number in [0, 1] (NaN rejected), naming the first offender.
 *
 * Throws `OUT_OF_RANGE`.
 *
 * @example
 * validatePValues([0.01, 0.5]); // returns undefined
 */
export function validatePValues(pValues: readonly number[]): void {
  pValues.forEach((p, i) => {
    if (!(p >= 0 && p <= 1)) throw new AnalysisInputError('OUT_OF_RANGE', `p[${i}] must lie in [0, 1], got ${String(p)}`);
  });
}
