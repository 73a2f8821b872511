import { describe, expect, it } from 'vitest';
import { adamSampleTrial } from '@/test/support/adam-sample-trial';
import { EXAMPLE_ANALYSIS_PLAN } from '../analysis-plan/analysis-plan-content';
import type { AnalysisRow } from './analysis-dataset';
import { computeMultipleImputation, defaultImputations } from './compute-multiple-imputation';
import { multipleImputationTable } from './multiple-imputation-table';

// The ADaM sample trial with a binary outcome: progression-free at 6 months from its PFS, missing for a quarter.
const rows: AnalysisRow[] = adamSampleTrial().dataset.rows.map((r, i) => ({
  ...r,
  progressionFree6m: i % 4 === 1 || r.pfsDays === null ? null : !(r.pfsEvent === 1 && r.pfsDays < 183),
  clinicianCorrect: i % 3 === 0 ? null : i % 5 === 0 ? 0 : 1,
}));
const args = { rows, armA: 'ai_assisted', armB: 'control', factors: ['age_band'] };

describe('computeMultipleImputation', () => {
  it('follows the analysis plan: its binary outcomes, m and seed, pre-specified; complete cases beside', () => {
    const out = computeMultipleImputation({ ...args, plan: EXAMPLE_ANALYSIS_PLAN });
    expect(out.prespecified).toBe(true);
    expect(out.imputations).toBe(40);
    expect(out.outcomes.map((o) => o.outcome)).toEqual(['progressionFree6m', 'clinicianCorrect']);
    const pf = out.outcomes[0]!;
    expect(pf.available).toBe(true);
    if (!pf.available) return;
    const missing = rows.filter((r) => r.progressionFree6m === null);
    expect(pf.value.completeCase.missingA + pf.value.completeCase.missingB).toBe(missing.length);
    expect(pf.value.completeCase.nA + pf.value.completeCase.nB).toBe(rows.length - missing.length);
    expect(pf.value.imputations).toHaveLength(40);
    expect(pf.value.model.terms).toEqual(['(Intercept)', 'armai_assisted', 'sitesite-b', 'age_band>=50']);
    // Imputation adds between-imputation variance: the pooled SE is at least the mean within-imputation SE.
    expect(pf.value.pooled.total).toBeGreaterThanOrEqual(pf.value.pooled.within);
    expect(computeMultipleImputation({ ...args, plan: EXAMPLE_ANALYSIS_PLAN })).toEqual(out);
    const table = multipleImputationTable(out);
    const at = (r: readonly unknown[], c: string) => r[table.columns.indexOf(c)];
    expect(table.rows.map((r) => [at(r, 'outcome'), at(r, 'analysis')])).toEqual([
      ['progressionFree6m', 'complete_case'],
      ['progressionFree6m', 'multiple_imputation'],
      ['clinicianCorrect', 'complete_case'],
      ['clinicianCorrect', 'multiple_imputation'],
    ]);
    expect(at(table.rows[1]!, 'risk_difference')).toBe(pf.value.pooled.estimate);
    expect(at(table.rows[0]!, 'risk_difference')).toBe(pf.value.completeCase.difference);
  });

  it('without missingData in the plan: default m from the share of incomplete cases, labelled not pre-specified', () => {
    const { missingData: _omit, ...plan } = EXAMPLE_ANALYSIS_PLAN;
    const out = computeMultipleImputation({ ...args, plan });
    expect(out.prespecified).toBe(false);
    const worst = Math.max(...['progressionFree6m', 'clinicianCorrect'].map((k) => rows.filter((r) => r[k as 'progressionFree6m'] === null).length / rows.length));
    expect(out.imputations).toBe(defaultImputations(worst));
    expect(out.mSource).toMatch(/White, Royston & Wood/);
    expect([defaultImputations(0), defaultImputations(0.234), defaultImputations(0.9)]).toEqual([20, 24, 90]);
  });

  it('an arm with no observed outcome gives the reason, not an error', () => {
    const labels: Record<string, string> = { ai_assisted: 'AI-assisted', control: 'Standard reading' };
    const out = computeMultipleImputation({
      ...args,
      rows: rows.map((r) => (r.arm === 'control' ? { ...r, clinicianCorrect: null } : r)),
      plan: EXAMPLE_ANALYSIS_PLAN,
      label: (key) => labels[key] ?? key,
    });
    const cc = out.outcomes.find((o) => o.outcome === 'clinicianCorrect')!;
    expect(cc.available).toBe(false);
    // The reason names the arm as the report does, by its label.
    if (!cc.available) expect(cc.reason).toBe('EMPTY_GROUP: no observed outcome in arm Standard reading');
  });
});
