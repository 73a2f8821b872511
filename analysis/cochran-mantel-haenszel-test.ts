import type { ArmCounts } from './arm-counts';
import { chiSquareUpperTail } from './chi-square-upper-tail';
import { AnalysisInputError } from './errors';
import type { PValueResult } from './fisher-exact-test';
import { validateStrata } from './validate-strata';

/**
 * Cochran–Mantel–Haenszel test of conditional independence of arm and event given strata
 * (2×2×K), with or without continuity correction, as R's `mantelhaen.test(x, correct = …)`.
 *
 * Definition: Δ = Σ (a − E[a]), E[a] = nA·m/t, Var = Σ nA·nB·m·(t − m)/(t²(t − 1)) with m the
 * stratum's events; X² = (|Δ| − Y)²/ΣVar, Y = 0.5 if `correct` and |Δ| ≥ 0.5, else 0; 1 df.
 * Reference: W. G. Cochran (1954), Biometrics 10:417–451; Mantel & Haenszel (1959), JNCI
 * 22:719–748; R `stats::mantelhaen.test`.
 * Throws as `validateStrata`; `EMPTY_GROUP` when a stratum has fewer than 2 patients (as R);
 * `NO_OUTCOME_VARIATION` when every stratum has only events or only non-events (ΣVar = 0).
 *
 * @example
 * cochranMantelHaenszelTest(
 *   [{ eventsA: 12, nA: 50, eventsB: 5, nB: 48 }, { eventsA: 7, nA: 30, eventsB: 9, nB: 33 }],
 *   { correct: true },
 * );
 * // → { statistic: 0.7413776375114535, pValue: 0.38921992879543876,
 * //     method: 'Cochran-Mantel-Haenszel test with continuity correction' }
 */
export function cochranMantelHaenszelTest(strata: readonly ArmCounts[], options: { readonly correct: boolean }): PValueResult {
  validateStrata(strata);
  let delta = 0;
  let variance = 0;
  strata.forEach(({ eventsA, nA, eventsB, nB }, i) => {
    const t = nA + nB;
    if (t < 2) throw new AnalysisInputError('EMPTY_GROUP', `stratum ${i}: sample size must be > 1, got ${t}`);
    const m = eventsA + eventsB;
    delta += eventsA - (nA * m) / t;
    variance += (nA * nB * m * (t - m)) / (t * t * (t - 1));
  });
  if (variance === 0) {
    throw new AnalysisInputError('NO_OUTCOME_VARIATION', 'every stratum has only events or only non-events');
  }
  const yates = options.correct && Math.abs(delta) >= 0.5 ? 0.5 : 0;
  const statistic = (Math.abs(delta) - yates) ** 2 / variance;
  return {
    statistic,
    pValue: chiSquareUpperTail(statistic, 1),
    method: options.correct ? 'Cochran-Mantel-Haenszel test with continuity correction' : 'Cochran-Mantel-Haenszel test',
  };
}
