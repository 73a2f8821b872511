import { assertCount } from './assert-count';
import { AnalysisInputError } from './errors';

export interface SmallSampleFlag {
  readonly flagged: boolean;
  /** Human-readable reasons, empty when not flagged. */
  readonly reasons: readonly string[];
}

/**
 * Flags a subgroup whose estimates should be read with caution: n below `minN` (default 30), or
 * — when `events` is given — fewer than `minEvents` (default 5) events or non-events (the
 * classic "expected count ≥ 5" condition for normal approximations).
 *
 * Reference: W. G. Cochran (1954), Biometrics 10:417–451 (the rule of five); Riley et al. (2020),
 * BMJ 368:m441 on minimum sample sizes for prediction-model evaluation.
 * Throws `INVALID_COUNT` for bad counts, `EVENTS_EXCEED_TOTAL`, `INVALID_ARGUMENT` for thresholds
 * that are not non-negative integers.
 *
 * @example
 * smallSampleFlag({ n: 24, events: 3 });
 * // → { flagged: true, reasons: ['n = 24 < 30', 'events = 3 < 5'] }
 */
export function smallSampleFlag(group: { readonly n: number; readonly events?: number }, thresholds: { readonly minN?: number; readonly minEvents?: number } = {}): SmallSampleFlag {
  const minN = thresholds.minN ?? 30;
  const minEvents = thresholds.minEvents ?? 5;
  if (!Number.isInteger(minN) || minN < 0 || !Number.isInteger(minEvents) || minEvents < 0) {
    throw new AnalysisInputError('INVALID_ARGUMENT', `minN and minEvents must be non-negative integers, got ${minN} and ${minEvents}`);
  }
  assertCount('n', group.n);
  const reasons: string[] = [];
  if (group.n < minN) reasons.push(`n = ${group.n} < ${minN}`);
  if (group.events !== undefined) {
    assertCount('events', group.events);
    if (group.events > group.n) throw new AnalysisInputError('EVENTS_EXCEED_TOTAL', `events=${group.events} exceeds n=${group.n}`);
    if (group.events < minEvents) reasons.push(`events = ${group.events} < ${minEvents}`);
    const nonEvents = group.n - group.events;
    if (nonEvents < minEvents) reasons.push(`non-events = ${nonEvents} < ${minEvents}`);
  }
  return { flagged: reasons.length > 0, reasons };
}
