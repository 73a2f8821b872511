import { AnalysisInputError } from './errors';
import { midranks } from './midranks';
import { validateScoredOutcomes } from './validate-scored-outcomes';
import { zForConfidence } from './z-for-confidence';

export interface AucResult {
  /** P(score of a case > score of a non-case) + ½·P(tie): the Mann–Whitney AUC. */
  readonly auc: number;
  /** DeLong standard error. */
  readonly se: number;
  readonly lower: number;
  readonly upper: number;
  readonly confLevel: number;
  readonly cases: number;
  readonly controls: number;
  readonly method: 'Mann-Whitney AUC, DeLong CI';
}

/**
 * Area under the ROC curve (higher score = more likely outcome 1) as the Mann–Whitney statistic,
 * with DeLong's variance and the Wald interval AUC ± z·SE clipped to [0, 1] (as pROC's
 * `ci.auc(method = "delong")`).
 *
 * Definition: structural components V10ᵢ = (1/n)Σⱼ ψ(xᵢ, yⱼ), V01ⱼ = (1/m)Σᵢ ψ(xᵢ, yⱼ),
 * ψ = 1 if x > y, ½ if tied, 0 otherwise (m cases x, n controls y); Var = s²(V10)/m + s²(V01)/n
 * with sample variances (denominators m − 1, n − 1). Computed in O(N log N) from mid-ranks
 * (Sun & Xu): V10ᵢ = (R_all(xᵢ) − R_cases(xᵢ))/n, V01ⱼ = 1 − (R_all(yⱼ) − R_controls(yⱼ))/m.
 * Reference: E. R. DeLong, D. M. DeLong, D. L. Clarke-Pearson (1988), Biometrics 44:837–845;
 * X. Sun & W. Xu (2014), IEEE Signal Process Lett 21:1389–1393.
 * Throws as `validateScoredOutcomes`, and `NO_OUTCOME_VARIATION` with fewer than 2 cases or
 * 2 controls (the variance is undefined).
 *
 * @example
 * aucDeLong([0.9, 0.8, 0.4, 0.7, 0.3, 0.2], [1, 1, 1, 0, 0, 0]);
 * // → { auc: 0.8888888888888888, se: 0.15713484026367722, lower: 0.580910261255627, upper: 1, … }
 */
export function aucDeLong(scores: readonly number[], outcome: readonly number[], confLevel = 0.95): AucResult {
  const { events: m, n: total } = validateScoredOutcomes(scores, outcome);
  const n = total - m;
  if (m < 2 || n < 2) {
    throw new AnalysisInputError('NO_OUTCOME_VARIATION', `DeLong AUC needs ≥ 2 cases and ≥ 2 controls, got ${m} and ${n}`);
  }
  const cases = new Float64Array(m);
  const controls = new Float64Array(n);
  let ci = 0;
  let cj = 0;
  for (let i = 0; i < total; i++) {
    if (outcome[i] === 1) cases[ci++] = scores[i] as number;
    else controls[cj++] = scores[i] as number;
  }
  const all = new Float64Array(total);
  all.set(cases, 0);
  all.set(controls, m);
  const rAll = midranks(all);
  const rCases = midranks(cases);
  const rControls = midranks(controls);
  const v10 = new Float64Array(m);
  const v01 = new Float64Array(n);
  let sum10 = 0;
  for (let i = 0; i < m; i++) {
    v10[i] = ((rAll[i] as number) - (rCases[i] as number)) / n;
    sum10 += v10[i] as number;
  }
  let sum01 = 0;
  for (let j = 0; j < n; j++) {
    v01[j] = 1 - ((rAll[m + j] as number) - (rControls[j] as number)) / m;
    sum01 += v01[j] as number;
  }
  const auc = sum10 / m;
  const mean01 = sum01 / n;
  let s10 = 0;
  for (const v of v10) s10 += (v - auc) ** 2;
  let s01 = 0;
  for (const v of v01) s01 += (v - mean01) ** 2;
  const se = Math.sqrt(s10 / (m - 1) / m + s01 / (n - 1) / n);
  const z = zForConfidence(confLevel);
  return {
    auc,
    se,
    lower: Math.max(0, auc - z * se),
    upper: Math.min(1, auc + z * se),
    confLevel,
    cases: m,
    controls: n,
    method: 'Mann-Whitney AUC, DeLong CI',
  };
}
