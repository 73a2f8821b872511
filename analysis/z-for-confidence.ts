import { AnalysisInputError } from './errors';
import { normalQuantile } from './normal-quantile';

/**
 * Two-sided normal critical value z = Φ⁻¹(1 − (1 − confLevel)/2) for a confidence level in (0, 1).
 *
 * Throws `INVALID_ARGUMENT` when confLevel is not strictly between 0 and 1.
 *
 * @example
 * zForConfidence(0.95); // → 1.9599639845400547
 */
export function zForConfidence(confLevel: number): number {
  if (!(confLevel > 0 && confLevel < 1)) {
    throw new AnalysisInputError('INVALID_ARGUMENT', `confLevel must lie in (0, 1), got ${String(confLevel)}`);
  }
  return normalQuantile(1 - (1 - confLevel) / 2);
}
