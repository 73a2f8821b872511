import { AnalysisInputError } from './errors';

/**
 * Validates paired scores and binary outcomes: same non-zero length, outcomes 0/1, scores finite
 * (and inside `range` when one is given, bounds included unless `open` is true).
 * Errors name the first offending index and value.
 *
 * Throws `EMPTY_INPUT`, `LENGTH_MISMATCH`, `NOT_BINARY`, `OUT_OF_RANGE`.
 *
 * @example
 * validateScoredOutcomes([0.2, 0.7], [0, 1], { range: [0, 1], open: true }); // → { events: 1, n: 2 }
 */
export function validateScoredOutcomes(
  scores: readonly number[],
  outcome: readonly number[],
  options: { readonly range?: readonly [number, number]; readonly open?: boolean } = {},
): { readonly events: number; readonly n: number } {
  const n = outcome.length;
  if (n === 0) throw new AnalysisInputError('EMPTY_INPUT', 'no observations');
  if (scores.length !== n) throw new AnalysisInputError('LENGTH_MISMATCH', `${scores.length} scores for ${n} outcomes`);
  let events = 0;
  for (let i = 0; i < n; i++) {
    const y = outcome[i];
    if (y !== 0 && y !== 1) throw new AnalysisInputError('NOT_BINARY', `outcome[${i}] must be 0 or 1, got ${String(y)}`);
    events += y;
    const s = scores[i] as number;
    if (!Number.isFinite(s)) throw new AnalysisInputError('OUT_OF_RANGE', `score[${i}] must be finite, got ${String(s)}`);
    if (options.range) {
      const [lo, hi] = options.range;
      const inside = options.open ? s > lo && s < hi : s >= lo && s <= hi;
      if (!inside) {
        const bounds = options.open ? `(${lo}, ${hi})` : `[${lo}, ${hi}]`;
        throw new AnalysisInputError('OUT_OF_RANGE', `score[${i}] must lie in ${bounds}, got ${s}`);
      }
    }
  }
  return { events, n };
}
