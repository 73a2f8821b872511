import { validateArmCounts, type ArmCounts } from './arm-counts';

export interface PValueResult {
  readonly statistic: number | null;
  readonly pValue: number;
  readonly method: string;
}

/**
 * Fisher's exact test for a 2×2 table (arm × event), two-sided, as R's
 * `fisher.test(matrix(c(a, c, b, d), 2))$p.value`.
 *
 * Definition: with margins fixed, the count a is hypergeometric; the p-value sums the
 * probabilities of all tables whose probability is ≤ that of the observed table times (1 + 1e-7)
 * (R's relative tolerance, so ties with the observed table are not lost to rounding).
 * Probabilities are built by the exact ratio recurrence P(x+1)/P(x) = (k−x)(m−x)/((x+1)(n−k+x+1))
 * in log space, so no factorials overflow. `statistic` is null (the test has none).
 * A table with no events, or all events, has a single possible table and p = 1.
 * Reference: R. A. Fisher (1935), JRSS 98:39–82; Agresti (2013) §3.5; R `stats::fisher.test`.
 * Throws as `validateArmCounts` (`INVALID_COUNT`, `EVENTS_EXCEED_TOTAL`, `EMPTY_GROUP`).
 *
 * @example
 * fisherExactTest({ eventsA: 12, nA: 50, eventsB: 5, nB: 48 });
 * // → { statistic: null, pValue: 0.10912113037183098, method: "Fisher's exact test (two-sided)" }
 */
export function fisherExactTest(arms: ArmCounts): PValueResult {
  const { eventsA, nA, eventsB, nB } = validateArmCounts(arms);
  const m = eventsA + eventsB; // events column total
  const n = nA + nB - m; // non-events column total
  const k = nA; // arm A row total
  const lo = Math.max(0, k - n);
  const hi = Math.min(k, m);
  const logDensity = new Float64Array(hi - lo + 1);
  for (let x = lo; x < hi; x++) {
    const i = x - lo;
    logDensity[i + 1] = (logDensity[i] ?? 0) + Math.log(((k - x) * (m - x)) / ((x + 1) * (n - k + x + 1)));
  }
  let max = -Infinity;
  for (const v of logDensity) max = Math.max(max, v);
  let total = 0;
  const density = logDensity.map((v) => Math.exp(v - max));
  for (const v of density) total += v;
  const observed = (density[eventsA - lo] ?? 0) * (1 + 1e-7);
  let tail = 0;
  for (const v of density) if (v <= observed) tail += v;
  return { statistic: null, pValue: Math.min(1, tail / total), method: "Fisher's exact test (two-sided)" };
}
