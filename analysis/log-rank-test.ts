import { chiSquareUpperTail } from './chi-square-upper-tail';
import { AnalysisInputError } from './errors';
import { solveLinearSystem } from './solve-linear-system';
import { validateSurvivalData } from './validate-survival-data';

export interface LogRankGroup {
  readonly group: string;
  readonly n: number;
  readonly observed: number;
  readonly expected: number;
}

export interface LogRankTest {
  /** Groups in sorted label order (R's factor levels for these labels). */
  readonly groups: readonly LogRankGroup[];
  readonly chiSquare: number;
  /** Number of groups with expected events > 0, minus 1 (as R). */
  readonly df: number;
  readonly p: number;
  readonly strata: number;
  readonly method: 'log-rank (Mantel-Haenszel)' | 'stratified log-rank (Mantel-Haenszel)';
}

/**
 * Log-rank test of equal survival in K ≥ 2 groups, optionally stratified (observed − expected and
 * the hypergeometric variance summed over strata, each stratum with its own risk sets) — R's
 * `survdiff(Surv(time, event) ~ group + strata(stratum))` with rho = 0. The statistic is
 * (O − E)ᵀ V⁻¹ (O − E) on all groups with E > 0 but the first, df = (#groups with E > 0) − 1.
 * Reference: N. Mantel (1966), Cancer Chemother Rep 50:163–170; R. Peto & J. Peto (1972), JRSS A
 * 135:185–207.
 * Throws as `validateSurvivalData`; `LENGTH_MISMATCH` when group or stratum lengths differ;
 * `EMPTY_GROUP` with fewer than two groups; `NO_OUTCOME_VARIATION` with no events;
 * `UNDEFINED_ESTIMATE` when the variance matrix is singular.
 *
 * @example
 * logRankTest([1, 2, 3, 4, 5, 6], [1, 1, 1, 1, 0, 1], ['a', 'a', 'b', 'a', 'b', 'b']).chiSquare; // → 2.556653288051868 (R survdiff: 2.556653288051868)
 */
export function logRankTest(time: readonly number[], event: readonly number[], group: readonly string[], stratum?: readonly string[]): LogRankTest {
  const { n, events } = validateSurvivalData(time, event);
  if (group.length !== n) throw new AnalysisInputError('LENGTH_MISMATCH', `group has ${group.length} values, time has ${n}`);
  if (stratum && stratum.length !== n) throw new AnalysisInputError('LENGTH_MISMATCH', `stratum has ${stratum.length} values, time has ${n}`);
  const labels = [...new Set(group)].sort();
  if (labels.length < 2) throw new AnalysisInputError('EMPTY_GROUP', `the log-rank test needs two groups, got ${labels.length}`);
  if (events === 0) throw new AnalysisInputError('NO_OUTCOME_VARIATION', 'no events: the log-rank test is undefined');
  const k = labels.length;
  const groupIndex = new Map(labels.map((g, i) => [g, i]));
  const gi = group.map((g) => groupIndex.get(g) as number);
  const strataLabels = stratum ? [...new Set(stratum)] : [''];
  const observed = new Array<number>(k).fill(0);
  const expected = new Array<number>(k).fill(0);
  const variance = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (const s of strataLabels) {
    const members = Array.from(time.keys()).filter((i) => !stratum || stratum[i] === s);
    members.sort((a, b) => (time[a] as number) - (time[b] as number));
    const atRisk = new Array<number>(k).fill(0);
    for (const i of members) atRisk[gi[i] as number] = (atRisk[gi[i] as number] as number) + 1;
    let total = members.length;
    for (let m = 0; m < members.length;) {
      const t = time[members[m] as number];
      const deaths = new Array<number>(k).fill(0);
      const leaving = new Array<number>(k).fill(0);
      while (m < members.length && time[members[m] as number] === t) {
        const i = members[m] as number;
        const g = gi[i] as number;
        leaving[g] = (leaving[g] as number) + 1;
        if (event[i] === 1) deaths[g] = (deaths[g] as number) + 1;
        m++;
      }
      const d = deaths.reduce((a, b) => a + b, 0);
      if (d > 0) {
        const factor = total > 1 ? (d * (total - d)) / (total - 1) : 0;
        for (let g = 0; g < k; g++) {
          observed[g] = (observed[g] as number) + (deaths[g] as number);
          const share = (atRisk[g] as number) / total;
          expected[g] = (expected[g] as number) + d * share;
          const row = variance[g] as number[];
          for (let h = 0; h < k; h++) row[h] = (row[h] as number) + factor * share * ((g === h ? 1 : 0) - (atRisk[h] as number) / total);
        }
      }
      for (let g = 0; g < k; g++) atRisk[g] = (atRisk[g] as number) - (leaving[g] as number);
      total -= leaving.reduce((a, b) => a + b, 0);
    }
  }
  const used = labels.map((_, g) => g).filter((g) => (expected[g] as number) > 0);
  const df = used.length - 1;
  let chiSquare = 0;
  if (df >= 1) {
    const rest = used.slice(1);
    const diff = rest.map((g) => (observed[g] as number) - (expected[g] as number));
    const v = rest.map((g) => rest.map((h) => (variance[g] as number[])[h] as number));
    const x = solveLinearSystem(v, diff);
    chiSquare = diff.reduce((acc, dv, j) => acc + dv * (x[j] as number), 0);
  }
  return {
    groups: labels.map((g, i) => ({ group: g, n: gi.filter((x) => x === i).length, observed: observed[i] as number, expected: expected[i] as number })),
    chiSquare,
    df,
    p: df >= 1 ? chiSquareUpperTail(chiSquare, df) : 1,
    strata: strataLabels.length,
    method: stratum ? 'stratified log-rank (Mantel-Haenszel)' : 'log-rank (Mantel-Haenszel)',
  };
}
