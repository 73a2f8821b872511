import { validateArmCounts, type ArmCounts } from './arm-counts';
import type { EffectInterval } from './wald-risk-difference';
import { wilsonInterval } from './wilson-interval';

/**
 * Risk difference pA − pB with Newcombe's hybrid score interval (method 10), built from the
 * two arms' Wilson score intervals (lA, uA) and (lB, uB):
 * lower = d − √((pA − lA)² + (uB − pB)²),  upper = d + √((uA − pA)² + (pB − lB)²).
 * Well behaved at zero events, all events and small n (never leaves [−1, 1]).
 * Reference: R. G. Newcombe (1998), "Interval estimation for the difference between independent
 * proportions: comparison of eleven methods", Stat Med 17:873–890, method 10.
 * Throws as `validateArmCounts` (`INVALID_COUNT`, `EVENTS_EXCEED_TOTAL`, `EMPTY_GROUP`).
 *
 * @example
 * newcombeRiskDifference({ eventsA: 12, nA: 50, eventsB: 5, nB: 48 });
 * // → { estimate: 0.1358333333333333, lower: -0.016554611539169345, upper: 0.28230086017812706,
 * //     confLevel: 0.95, method: 'Newcombe hybrid score (method 10)' }
 */
export function newcombeRiskDifference(arms: ArmCounts, confLevel = 0.95): EffectInterval {
  const { eventsA, nA, eventsB, nB } = validateArmCounts(arms);
  const a = wilsonInterval(eventsA, nA, confLevel);
  const b = wilsonInterval(eventsB, nB, confLevel);
  const estimate = a.estimate - b.estimate;
  return {
    estimate,
    lower: estimate - Math.hypot(a.estimate - a.lower, b.upper - b.estimate),
    upper: estimate + Math.hypot(a.upper - a.estimate, b.estimate - b.lower),
    confLevel,
    method: 'Newcombe hybrid score (method 10)',
  };
}
