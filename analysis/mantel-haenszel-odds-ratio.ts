import type { ArmCounts } from './arm-counts';
import { AnalysisInputError } from './errors';
import type { EffectInterval } from './wald-risk-difference';
import { validateStrata } from './validate-strata';
import { zForConfidence } from './z-for-confidence';

/**
 * Mantel–Haenszel common odds ratio over strata with the Robins–Breslow–Greenland (RBG) log
 * interval, as R's `mantelhaen.test(x)$estimate` and `$conf.int` for a 2×2×K table.
 *
 * Definition (per stratum: a, b = events/non-events arm A; c, d = arm B; t = total):
 * OR = Σ ad/t ÷ Σ bc/t; Var(ln OR) = ΣPR/(2R²) + Σ(PS + QR)/(2RS) + ΣQS/(2S²) with
 * P = (a+d)/t, Q = (b+c)/t, R = ad/t, S = bc/t.
 * Reference: N. Mantel & W. Haenszel (1959), JNCI 22:719–748; J. Robins, N. Breslow, S. Greenland
 * (1986), Biometrics 42:311–323.
 * Throws as `validateStrata`, and `UNDEFINED_ESTIMATE` when Σ ad/t or Σ bc/t is 0 (OR is 0 or ∞).
 *
 * @example
 * mantelHaenszelOddsRatio([
 *   { eventsA: 12, nA: 50, eventsB: 5, nB: 48 },
 *   { eventsA: 7, nA: 30, eventsB: 9, nB: 33 },
 * ]);
 * // → { estimate: 1.5182291666666667, lower: 0.6984740414252155, upper: 3.300079409986428,
 * //     confLevel: 0.95, method: 'Mantel-Haenszel (Robins-Breslow-Greenland CI)' }
 */
export function mantelHaenszelOddsRatio(strata: readonly ArmCounts[], confLevel = 0.95): EffectInterval {
  validateStrata(strata);
  let sR = 0;
  let sS = 0;
  let sPR = 0;
  let sPSQR = 0;
  let sQS = 0;
  for (const { eventsA: a, nA, eventsB: c, nB } of strata) {
    const b = nA - a;
    const d = nB - c;
    const t = nA + nB;
    const R = (a * d) / t;
    const S = (b * c) / t;
    const P = (a + d) / t;
    const Q = (b + c) / t;
    sR += R;
    sS += S;
    sPR += P * R;
    sPSQR += P * S + Q * R;
    sQS += Q * S;
  }
  if (sR === 0 || sS === 0) {
    throw new AnalysisInputError('UNDEFINED_ESTIMATE', `Mantel-Haenszel odds ratio is ${sR === 0 ? (sS === 0 ? '0/0' : '0') : '∞'}`);
  }
  const estimate = sR / sS;
  const se = Math.sqrt(sPR / (2 * sR * sR) + sPSQR / (2 * sR * sS) + sQS / (2 * sS * sS));
  const z = zForConfidence(confLevel);
  return {
    estimate,
    lower: estimate * Math.exp(-z * se),
    upper: estimate * Math.exp(z * se),
    confLevel,
    method: 'Mantel-Haenszel (Robins-Breslow-Greenland CI)',
  };
}
