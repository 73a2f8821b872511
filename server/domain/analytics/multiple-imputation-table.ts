import type { Table } from './analytics-tables';
import type { MultipleImputationSection } from './compute-multiple-imputation';

/**
 * The missing-data sensitivity analysis as one table: per binary outcome, the complete-case row and
 * the multiple-imputation row (Rubin's rules) side by side, with the settings on every row so the
 * CSV stands alone (m, seed, pre-specified or not).
 */
export function multipleImputationTable(mi: MultipleImputationSection): Table {
  const rows: Table['rows'][number][] = [];
  for (const o of mi.outcomes) {
    const common = [o.outcome, o.role, mi.prespecified ? 'sensitivity (pre-specified)' : 'sensitivity (exploratory)', mi.imputations, mi.seed];
    if (!o.available) {
      rows.push([...common, 'not computed', null, null, null, null, null, null, null, null, null, null, null, o.reason]);
      continue;
    }
    const cc = o.value.completeCase;
    const p = o.value.pooled;
    const meanOf = (f: 'riskA' | 'riskB') => o.value.imputations.reduce((s, i) => s + i[f], 0) / o.value.imputations.length;
    rows.push([...common, 'complete_case', cc.nA, cc.nB, cc.missingA, cc.missingB, cc.riskA, cc.riskB, cc.difference, cc.lower, cc.upper, cc.p, null, 'Wald']);
    rows.push([
      ...common,
      'multiple_imputation',
      cc.nA + cc.missingA,
      cc.nB + cc.missingB,
      cc.missingA,
      cc.missingB,
      meanOf('riskA'),
      meanOf('riskB'),
      p.estimate,
      p.lower,
      p.upper,
      p.p,
      p.fmi,
      `Rubin's rules, df ${p.df}; model ${o.value.model.terms.join(' + ')}${o.value.model.covariatesDropped ? ` (${o.value.model.covariatesDropped})` : ''}`,
    ]);
  }
  return {
    name: 'multiple_imputation',
    title: 'Missing outcomes: complete cases and multiple imputation (sensitivity analysis)',
    columns: [
      'outcome',
      'role',
      'analysis_type',
      'imputations',
      'seed',
      'analysis',
      'n_a',
      'n_b',
      'missing_a',
      'missing_b',
      'risk_a',
      'risk_b',
      'risk_difference',
      'lower',
      'upper',
      'p',
      'fmi',
      'method',
    ],
    rows,
  };
}
