import { assertCount } from './assert-count';
import { AnalysisInputError } from './errors';

/** Events and totals of a two-arm comparison; arm A is the numerator/“exposed” arm in every figure. */
export interface ArmCounts {
  readonly eventsA: number;
  readonly nA: number;
  readonly eventsB: number;
  readonly nB: number;
}

/**
 * Validates two-arm counts and returns them unchanged: each count a non-negative integer,
 * events ≤ n, and n ≥ 1 in both arms.
 *
 * Throws `AnalysisInputError` with `INVALID_COUNT`, `EVENTS_EXCEED_TOTAL` or `EMPTY_GROUP`.
 *
 * @example
 * validateArmCounts({ eventsA: 12, nA: 50, eventsB: 5, nB: 48 });
 * // → { eventsA: 12, nA: 50, eventsB: 5, nB: 48 }
 */
export function validateArmCounts(arms: ArmCounts): ArmCounts {
  for (const key of ['eventsA', 'nA', 'eventsB', 'nB'] as const) assertCount(key, arms[key]);
  if (arms.nA === 0 || arms.nB === 0) {
    throw new AnalysisInputError('EMPTY_GROUP', `both arms need n ≥ 1, got nA=${arms.nA}, nB=${arms.nB}`);
  }
  if (arms.eventsA > arms.nA) {
    throw new AnalysisInputError('EVENTS_EXCEED_TOTAL', `eventsA=${arms.eventsA} exceeds nA=${arms.nA}`);
  }
  if (arms.eventsB > arms.nB) {
    throw new AnalysisInputError('EVENTS_EXCEED_TOTAL', `eventsB=${arms.eventsB} exceeds nB=${arms.nB}`);
  }
  return arms;
}
