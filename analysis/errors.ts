/**
 * The one error type the analysis module throws. Every function documents which codes it can
 * raise; none of them returns `null`/`NaN` for degenerate input instead of throwing.
 *
 * Codes:
 * - `EMPTY_INPUT`: an array or list of groups/strata is empty.
 * - `INVALID_COUNT`: a count is negative, fractional or not finite.
 * - `EVENTS_EXCEED_TOTAL`: events > n for an arm or group.
 * - `EMPTY_GROUP`: a group/arm has n = 0, so its proportion is undefined.
 * - `LENGTH_MISMATCH`: paired arrays differ in length.
 * - `NOT_BINARY`: an outcome value is not 0 or 1.
 * - `OUT_OF_RANGE`: a value lies outside its documented range (risk outside [0, 1], p outside [0, 1] …).
 * - `NO_OUTCOME_VARIATION`: all outcomes are equal, so the statistic is undefined.
 * - `ZERO_MARGIN`: a table row or column total is zero, so expected counts are zero.
 * - `INVALID_ARGUMENT`: an option is malformed (confidence level, threshold grid, bins …).
 * - `UNDEFINED_ESTIMATE`: the estimate is 0, ∞ or 0/0 (e.g. a Mantel–Haenszel odds ratio with no
 *   discordant information), so no log-scale interval exists.
 * - `NOT_CONVERGED`: an iterative fit did not converge (e.g. complete separation in calibration).
 * - `CSV_PARSE`: a CSV text could not be parsed.
 */
export type AnalysisErrorCode =
  | 'EMPTY_INPUT'
  | 'INVALID_COUNT'
  | 'EVENTS_EXCEED_TOTAL'
  | 'EMPTY_GROUP'
  | 'LENGTH_MISMATCH'
  | 'NOT_BINARY'
  | 'OUT_OF_RANGE'
  | 'NO_OUTCOME_VARIATION'
  | 'ZERO_MARGIN'
  | 'INVALID_ARGUMENT'
  | 'UNDEFINED_ESTIMATE'
  | 'NOT_CONVERGED'
  | 'CSV_PARSE';

/** Thrown for degenerate or malformed input; `code` says which rule was broken. */
export class AnalysisInputError extends Error {
  constructor(
    readonly code: AnalysisErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AnalysisInputError';
  }
}
