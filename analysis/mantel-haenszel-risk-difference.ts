import type { ArmCounts } from './arm-counts';
import type { EffectInterval } from './wald-risk-difference';
import { validateStrata } from './validate-strata';
import { zForConfidence } from './z-for-confidence';

/**
 * Mantel–Haenszel common risk difference over strata with Sato's variance (consistent both
 * in many small strata and in few large ones), Wald interval on the difference scale.
 *
 * Definition (per stratum: x = eventsA of nA, y = eventsB of nB, t = nA + nB, w = nA·nB/t):
 * RD = Σ w(x/nA − y/nB) / Σ w; Var = (RD·ΣP + ΣQ)/(Σw)² with
 * P = (nA²y − nB²x + nA·nB(nB − nA)/2)/t², Q = (x(nB − y) + y(nA − x))/(2t).
 * The interval is not clipped; with zero events everywhere it collapses to [0, 0].
 * Reference: T. Sato (1989), "On the variance estimator for the Mantel–Haenszel risk difference",
 * Biometrics 45:1323–1324; S. Greenland & J. Robins (1985), Biometrics 41:55–68.
 * Throws as `validateStrata`.
 *
 * @example
 * mantelHaenszelRiskDifference([
 *   { eventsA: 12, nA: 50, eventsB: 5, nB: 48 },
 *   { eventsA: 7, nA: 30, eventsB: 9, nB: 33 },
 * ]);
 * // → { estimate: 0.06734348561759729, lower: -0.05683582311136269, upper: 0.19152279434655728,
 * //     confLevel: 0.95, method: 'Mantel-Haenszel (Sato variance)' }
 */
export function mantelHaenszelRiskDifference(strata: readonly ArmCounts[], confLevel = 0.95): EffectInterval {
  validateStrata(strata);
  let sW = 0;
  let sWD = 0;
  let sP = 0;
  let sQ = 0;
  for (const { eventsA: x, nA, eventsB: y, nB } of strata) {
    const t = nA + nB;
    const w = (nA * nB) / t;
    sW += w;
    sWD += w * (x / nA - y / nB);
    sP += (nA * nA * y - nB * nB * x + (nA * nB * (nB - nA)) / 2) / (t * t);
    sQ += (x * (nB - y) + y * (nA - x)) / (2 * t);
  }
  const estimate = sWD / sW;
  const se = Math.sqrt(Math.max(0, estimate * sP + sQ)) / sW;
  const z = zForConfidence(confLevel);
  return { estimate, lower: estimate - z * se, upper: estimate + z * se, confLevel, method: 'Mantel-Haenszel (Sato variance)' };
}
