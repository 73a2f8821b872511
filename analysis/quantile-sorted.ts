import { AnalysisInputError } from './errors';

/**
 * Sample quantile of already-sorted values by linear interpolation between order statistics
 * (Hyndman–Fan type 7: R's `quantile(x, p)` default and NumPy's `percentile(…, method='linear')`).
 *
 * Definition: h = (n − 1)·p, result = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]).
 * Reference: R. J. Hyndman & Y. Fan (1996), Am Stat 50:361–365, definition 7.
 * Throws `EMPTY_INPUT` for no values and `OUT_OF_RANGE` for p outside [0, 1]. The caller
 * guarantees ascending order (not re-checked, for speed).
 *
 * @example
 * quantileSorted([1, 2, 3, 4], 0.25); // → 1.75
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) throw new AnalysisInputError('EMPTY_INPUT', 'quantile of no values');
  if (!(p >= 0 && p <= 1)) throw new AnalysisInputError('OUT_OF_RANGE', `p must lie in [0, 1], got ${String(p)}`);
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const xLo = sorted[lo] ?? Number.NaN;
  if (lo + 1 >= n) return xLo;
  const xHi = sorted[lo + 1] ?? Number.NaN;
  return xLo === xHi ? xLo : xLo + (h - lo) * (xHi - xLo);
}
