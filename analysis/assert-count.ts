import { AnalysisInputError } from './errors';

/**
 * Checks that `value` is a non-negative integer count (events, totals, table cells).
 *
 * Throws `AnalysisInputError('INVALID_COUNT')` naming the offending value otherwise.
 *
 * @example
 * assertCount('eventsA', 3); // returns undefined
 * assertCount('eventsA', -1); // throws INVALID_COUNT "eventsA must be a non-negative integer, got -1"
 */
export function assertCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new AnalysisInputError('INVALID_COUNT', `${name} must be a non-negative integer, got ${String(value)}`);
  }
}
