import type { AnalysisRow } from './analysis-dataset';

/** Covariates of the subgroup report: name → level per row. */
export function covariateLevels(rows: readonly AnalysisRow[], factors: readonly string[]): Record<string, (string | null)[]> {
  const out: Record<string, (string | null)[]> = {
    sex: rows.map((r) => r.sex),
    site: rows.map((r) => r.site),
    scanner_vendor: rows.map((r) => r.scannerVendor),
    field_strength: rows.map((r) => r.fieldStrength),
    development_site: rows.map((r) => (r.siteExternal ? 'external' : 'internal')),
  };
  for (const f of factors) out[f] = rows.map((r) => r.levels[f] ?? null);
  // One intersection by default: a model can fail one sex at the external site only.
  out['sex × development_site'] = rows.map((r) => (r.sex === null ? null : `${r.sex} · ${r.siteExternal ? 'external' : 'internal'}`));
  return out;
}
