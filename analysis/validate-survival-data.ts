import { AnalysisInputError } from './errors';

/**
 * Checks right-censored survival data: `time` finite and ≥ 0 (days, months: any one unit),
 * `event` 1 (event observed) or 0 (censored at that time), equal lengths, at least one subject.
 * Returns the number of subjects and of events.
 *
 * Throws `EMPTY_INPUT` (no subjects), `LENGTH_MISMATCH`, `OUT_OF_RANGE` (a negative or non-finite
 * time, naming the index and value), `NOT_BINARY` (an event indicator other than 0 or 1).
 *
 * @example
 * validateSurvivalData([3, 5, 5], [1, 0, 1]); // → { n: 3, events: 2 }
 */
export function validateSurvivalData(time: readonly number[], event: readonly number[]): { n: number; events: number } {
  if (time.length === 0) throw new AnalysisInputError('EMPTY_INPUT', 'survival data has no subjects');
  if (time.length !== event.length) throw new AnalysisInputError('LENGTH_MISMATCH', `time has ${time.length} values, event has ${event.length}`);
  let events = 0;
  for (let i = 0; i < time.length; i++) {
    const t = time[i] as number;
    if (!Number.isFinite(t) || t < 0) throw new AnalysisInputError('OUT_OF_RANGE', `time[${i}] = ${t}: expected a finite number ≥ 0`);
    const e = event[i];
    if (e !== 0 && e !== 1) throw new AnalysisInputError('NOT_BINARY', `event[${i}] = ${String(e)}: expected 1 (event) or 0 (censored)`);
    events += e;
  }
  return { n: time.length, events };
}
