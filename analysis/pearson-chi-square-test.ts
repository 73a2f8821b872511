import { validateArmCounts, type ArmCounts } from './arm-counts';
import { chiSquareUpperTail } from './chi-square-upper-tail';
import { AnalysisInputError } from './errors';
import type { PValueResult } from './fisher-exact-test';

/**
 * Pearson chi-square test of independence for the 2×2 table arm × event (1 df), with or without
 * Yates' continuity correction, as R's `chisq.test(table, correct = …)`.
 *
 * Definition: X² = Σ (|O − E| − Y)² / E with E = row total · column total / N and
 * Y = min(0.5, |O − E|) when `correct` is true (R's form), else 0; p = P(χ²₁ ≥ X²).
 * Reference: K. Pearson (1900); F. Yates (1934), JRSS Suppl 1:217–235; R `stats::chisq.test`.
 * Throws as `validateArmCounts`, and `ZERO_MARGIN` when there are no events or no non-events
 * (an expected count is 0; R would return NaN).
 *
 * @example
 * pearsonChiSquareTest({ eventsA: 12, nA: 50, eventsB: 5, nB: 48 }, { correct: false });
 * // → { statistic: 3.1514911643669805, pValue: 0.07585761190324647,
 * //     method: "Pearson's chi-squared test" }
 */
export function pearsonChiSquareTest(arms: ArmCounts, options: { readonly correct: boolean }): PValueResult {
  const { eventsA, nA, eventsB, nB } = validateArmCounts(arms);
  const total = nA + nB;
  const events = eventsA + eventsB;
  if (events === 0 || events === total) {
    throw new AnalysisInputError('ZERO_MARGIN', `chi-square needs both events and non-events, got ${events} events of ${total}`);
  }
  const observed = [eventsA, nA - eventsA, eventsB, nB - eventsB];
  const expected = [(nA * events) / total, (nA * (total - events)) / total, (nB * events) / total, (nB * (total - events)) / total];
  let statistic = 0;
  observed.forEach((o, i) => {
    const e = expected[i] ?? 0;
    const deviation = Math.abs(o - e);
    const yates = options.correct ? Math.min(0.5, deviation) : 0;
    statistic += (deviation - yates) ** 2 / e;
  });
  return {
    statistic,
    pValue: chiSquareUpperTail(statistic, 1),
    method: options.correct ? "Pearson's chi-squared test with Yates' continuity correction" : "Pearson's chi-squared test",
  };
}
