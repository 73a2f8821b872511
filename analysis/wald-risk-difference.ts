import { validateArmCounts, type ArmCounts } from './arm-counts';
import { zForConfidence } from './z-for-confidence';

export interface EffectInterval {
  readonly estimate: number;
  readonly lower: number;
  readonly upper: number;
  readonly confLevel: number;
  readonly method: string;
}

/**
 * Risk difference pA − pB with the Wald (normal-approximation) interval, clipped to [−1, 1]
 * as R's `prop.test(c(xA, xB), c(nA, nB), correct = FALSE)$conf.int` does.
 *
 * Definition: d ± z·√(pA(1 − pA)/nA + pB(1 − pB)/nB). When both proportions are 0 or 1 the
 * standard error is 0 and the interval collapses to the point (a known defect of the method:
 * prefer `newcombeRiskDifference`).
 * Reference: Newcombe (1998), Stat Med 17:873–890, method 1; Agresti (2013), Categorical Data
 * Analysis 3rd ed. §3.1.
 * Throws as `validateArmCounts` (`INVALID_COUNT`, `EVENTS_EXCEED_TOTAL`, `EMPTY_GROUP`).
 *
 * @example
 * waldRiskDifference({ eventsA: 12, nA: 50, eventsB: 5, nB: 48 });
 * // → { estimate: 0.1358333333333333, lower: -0.010733223642750117, upper: 0.2823998903094167,
 * //     confLevel: 0.95, method: 'Wald' }
 */
export function waldRiskDifference(arms: ArmCounts, confLevel = 0.95): EffectInterval {
  const { eventsA, nA, eventsB, nB } = validateArmCounts(arms);
  const z = zForConfidence(confLevel);
  const pA = eventsA / nA;
  const pB = eventsB / nB;
  const estimate = pA - pB;
  const se = Math.sqrt((pA * (1 - pA)) / nA + (pB * (1 - pB)) / nB);
  return {
    estimate,
    lower: Math.max(-1, estimate - z * se),
    upper: Math.min(1, estimate + z * se),
    confLevel,
    method: 'Wald',
  };
}
