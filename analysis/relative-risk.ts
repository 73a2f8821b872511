import { validateArmCounts, type ArmCounts } from './arm-counts';
import { zForConfidence } from './z-for-confidence';

export type ZeroCellCorrection = 'none' | 'Haldane-Anscombe +0.5';

export interface RatioInterval {
  readonly estimate: number;
  readonly lower: number;
  readonly upper: number;
  readonly confLevel: number;
  readonly method: string;
  /** Whether 0.5 was added to every cell because a cell was zero (named in reports). */
  readonly correction: ZeroCellCorrection;
}

/**
 * Relative risk pA/pB with the Katz log interval exp(ln RR ± z·√(1/a − 1/nA + 1/c − 1/nB)),
 * a = eventsA, c = eventsB.
 *
 * Zero cells: when either arm has zero events the log RR is undefined, so 0.5 is added to each
 * event count and to each non-event count (nA, nB grow by 1) — the Haldane–Anscombe correction —
 * and `correction` says so. Without a zero the figures are uncorrected.
 * Reference: D. Katz, J. Baptista, S. P. Azen, M. C. Pike (1978), Biometrics 34:469–474;
 * Agresti (2013), Categorical Data Analysis 3rd ed. §3.1.4.
 * Throws as `validateArmCounts` (`INVALID_COUNT`, `EVENTS_EXCEED_TOTAL`, `EMPTY_GROUP`).
 *
 * @example
 * relativeRisk({ eventsA: 12, nA: 50, eventsB: 5, nB: 48 });
 * // → { estimate: 2.304, lower: 0.8776357926242844, upper: 6.048540914821748, confLevel: 0.95,
 * //     method: 'Katz log', correction: 'none' }
 */
export function relativeRisk(arms: ArmCounts, confLevel = 0.95): RatioInterval {
  const { eventsA, nA, eventsB, nB } = validateArmCounts(arms);
  const corrected = eventsA === 0 || eventsB === 0;
  const k = corrected ? 0.5 : 0;
  const a = eventsA + k;
  const c = eventsB + k;
  const n1 = nA + 2 * k;
  const n2 = nB + 2 * k;
  const estimate = a / n1 / (c / n2);
  const se = Math.sqrt(1 / a - 1 / n1 + 1 / c - 1 / n2);
  const z = zForConfidence(confLevel);
  return {
    estimate,
    lower: Math.exp(Math.log(estimate) - z * se),
    upper: Math.exp(Math.log(estimate) + z * se),
    confLevel,
    method: 'Katz log',
    correction: corrected ? 'Haldane-Anscombe +0.5' : 'none',
  };
}
