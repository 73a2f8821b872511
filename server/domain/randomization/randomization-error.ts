/**
 * Typed errors of the randomization engine. Every message names the offending factor/value and,
 * where there is one, the expected value, so a coordinator or statistician can act on it.
 */
export const RANDOMIZATION_ERROR_CODES = [
  /** The parameters do not satisfy the schema (wrong type, missing field, unknown key …). */
  'INVALID_PARAMETERS',
  /** An arm's allocation ratio is not a positive integer. */
  'INVALID_RATIO',
  /** Two arms share a key, or fewer than two arms are defined. */
  'INVALID_ARMS',
  /** Block sizes missing, repeated, or not a positive multiple of the ratio sum. */
  'INVALID_BLOCK_SIZES',
  /** Minimization settings invalid: p outside [0, 1], weight negative or naming no factor. */
  'INVALID_MINIMIZATION',
  /** Settings given for the method the trial does not use (e.g. blockSizes with minimization). */
  'METHOD_SETTINGS_MISMATCH',
  /** A factor is named twice, is named 'site' (reserved) or has no/duplicate levels. */
  'INVALID_FACTOR',
  /** A name contains '|' or '=', a level or site contains '|', or either has surrounding spaces. */
  'INVALID_NAME',
  /** An enrollment lacks a level for a stratification factor (or the site). */
  'STRATUM_FACTOR_MISSING',
  /** An enrollment gives a level that the factor does not define. */
  'UNKNOWN_LEVEL',
  /** An enrollment gives a level for a factor the trial does not stratify by. */
  'UNKNOWN_FACTOR',
  /** A stratum key that is not the canonical key of any stratum of these parameters. */
  'INVALID_STRATUM_KEY',
  /** The seed is not 32 bytes (or 64 hex characters). */
  'INVALID_SEED',
  /** A stratum or sequence index that is not a non-negative safe integer. */
  'INVALID_INDEX',
  /** Marginal counts that are not non-negative integers, or name an unknown arm. */
  'INVALID_COUNTS',
  /** A function for one method was called with parameters of the other method. */
  'WRONG_METHOD',
  /** replay was asked for an algorithm version this code cannot reproduce. */
  'UNSUPPORTED_ALGORITHM_VERSION',
] as const;

export type RandomizationErrorCode = (typeof RANDOMIZATION_ERROR_CODES)[number];

export class RandomizationError extends Error {
  constructor(
    readonly code: RandomizationErrorCode,
    message: string,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = 'RandomizationError';
  }
}
