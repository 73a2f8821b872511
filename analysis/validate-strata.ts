import { validateArmCounts, type ArmCounts } from './arm-counts';
import { AnalysisInputError } from './errors';

/**
 * Validates a list of strata for stratified (Mantel–Haenszel) analysis: at least one stratum,
 * and each stratum valid under `validateArmCounts` (so both arms have n ≥ 1 in every stratum;
 * drop strata with an empty arm before calling — they carry no information).
 * Errors name the stratum index.
 *
 * Throws `EMPTY_INPUT`, or the code of the first invalid stratum.
 *
 * @example
 * validateStrata([{ eventsA: 1, nA: 3, eventsB: 0, nB: 2 }]).length; // → 1
 */
export function validateStrata(strata: readonly ArmCounts[]): readonly ArmCounts[] {
  if (strata.length === 0) throw new AnalysisInputError('EMPTY_INPUT', 'at least one stratum is required');
  strata.forEach((s, i) => {
    try {
      validateArmCounts(s);
    } catch (error) {
      if (error instanceof AnalysisInputError) throw new AnalysisInputError(error.code, `stratum ${i}: ${error.message}`);
      throw error;
    }
  });
  return strata;
}
