import { validateArmCounts, type ArmCounts } from './arm-counts';
import type { RatioInterval } from './relative-risk';
import { zForConfidence } from './z-for-confidence';

/**
 * Odds ratio (a·d)/(b·c) with the Woolf (log) interval exp(ln OR ± z·√(1/a + 1/b + 1/c + 1/d)),
 * where a, b = events and non-events in arm A, c, d = events and non-events in arm B.
 *
 * Zero cells: when any of a, b, c, d is 0, 0.5 is added to all four cells (Haldane–Anscombe)
 * and `correction` says so; otherwise no correction.
 * Reference: B. Woolf (1955), Ann Hum Genet 19:251–253; J. B. S. Haldane (1956), Ann Hum Genet
 * 20:309–311; Agresti (2013), Categorical Data Analysis 3rd ed. §3.1.
 * Throws as `validateArmCounts` (`INVALID_COUNT`, `EVENTS_EXCEED_TOTAL`, `EMPTY_GROUP`).
 *
 * @example
 * oddsRatio({ eventsA: 12, nA: 50, eventsB: 5, nB: 48 });
 * // → { estimate: 2.7157894736842105, lower: 0.8765376191559149, upper: 8.414370706047286,
 * //     confLevel: 0.95, method: 'Woolf log', correction: 'none' }
 */
export function oddsRatio(arms: ArmCounts, confLevel = 0.95): RatioInterval {
  const { eventsA, nA, eventsB, nB } = validateArmCounts(arms);
  const cells = [eventsA, nA - eventsA, eventsB, nB - eventsB];
  const corrected = cells.includes(0);
  const [a = 0, b = 0, c = 0, d = 0] = cells.map((x) => (corrected ? x + 0.5 : x));
  const estimate = (a * d) / (b * c);
  const se = Math.sqrt(1 / a + 1 / b + 1 / c + 1 / d);
  const z = zForConfidence(confLevel);
  return {
    estimate,
    lower: Math.exp(Math.log(estimate) - z * se),
    upper: Math.exp(Math.log(estimate) + z * se),
    confLevel,
    method: 'Woolf log',
    correction: corrected ? 'Haldane-Anscombe +0.5' : 'none',
  };
}
