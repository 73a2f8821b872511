import { AnalysisInputError } from './errors';

/**
 * Threshold grid from:to:by with the same doubles as R's `seq(from, to, by = by)`:
 * xᵢ = from + i·by for i = 0…⌊(to − from)/by + 1e-10⌋, capped at `to`.
 *
 * Reference: R `base::seq.default`. Throws `INVALID_ARGUMENT` unless from ≤ to, by > 0 and all
 * finite, or when the grid would exceed 1,000,000 points.
 *
 * @example
 * thresholdGrid(0, 0.99, 0.01).length; // → 100
 * thresholdGrid(0.1, 0.3, 0.1); // → [0.1, 0.2, 0.3] (0.1 + 2·0.1 = 0.30000000000000004 is capped at 0.3, as R)
 */
export function thresholdGrid(from: number, to: number, by: number): readonly number[] {
  if (![from, to, by].every(Number.isFinite) || !(by > 0) || from > to) {
    throw new AnalysisInputError('INVALID_ARGUMENT', `threshold grid needs finite from ≤ to and by > 0, got ${from}:${to}:${by}`);
  }
  const count = Math.floor((to - from) / by + 1e-10);
  if (count > 1_000_000) throw new AnalysisInputError('INVALID_ARGUMENT', `threshold grid too long (${count + 1} points)`);
  const grid: number[] = [];
  for (let i = 0; i <= count; i++) grid.push(Math.min(from + i * by, to));
  return grid;
}
