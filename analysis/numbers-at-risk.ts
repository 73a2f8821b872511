/**
 * Numbers at risk at chosen times — subjects whose observed time (event or censoring) is ≥ t — for
 * the table printed under a Kaplan–Meier plot; R's `summary(survfit(...), times = t)$n.risk`
 * (which gives 0 beyond the last time). O(n log n + m log n).
 * Reference: T. P. Morris et al. (2019), BMJ Open 9:e030215 (what to show under a KM plot).
 *
 * @example
 * numbersAtRisk([1, 2, 2, 3, 4], [0, 2, 2.5, 5]); // → [5, 4, 2, 0]
 */
export function numbersAtRisk(time: readonly number[], at: readonly number[]): number[] {
  const sorted = Float64Array.from(time).sort();
  return at.map((t) => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((sorted[mid] as number) < t) lo = mid + 1;
      else hi = mid;
    }
    return sorted.length - lo;
  });
}
