import type { MultipleImputationSection } from '@/server/domain/analytics/compute-multiple-imputation';
import { ExportLinks } from './ExportLinks';
import { ci, fmt, pct, pValue } from './format';

/**
 * The missing-data sensitivity analysis beside the complete-case estimate: per binary outcome of
 * the analysis plan, the risk difference on complete cases and after multiple imputation (Rubin's
 * rules), with the imputation settings and whether the plan pre-specified them.
 */
export function SensitivitySection({ mi, armLabels, trialId }: { mi: MultipleImputationSection; armLabels: readonly [string, string]; trialId: string }) {
  return (
    <section className="panel" aria-label="Missing-data sensitivity analysis" data-testid="multiple-imputation">
      <h2>
        Missing outcomes: multiple imputation (sensitivity analysis) <ExportLinks trialId={trialId} table="multiple_imputation" />
      </h2>
      <p className="muted small" data-testid="mi-settings" data-prespecified={mi.prespecified}>
        {mi.prespecified ? 'Pre-specified in the analysis plan' : 'Exploratory: the analysis plan does not state a missing-data analysis'}. {mi.population}. m = {mi.imputations} imputations (
        {mi.mSource}), seed {mi.seed}. Model: {mi.model}. Estimand: {mi.estimand}.
      </p>
      <table>
        <thead>
          <tr>
            <th>Outcome</th>
            <th>Analysis</th>
            <th>{armLabels[0]}</th>
            <th>{armLabels[1]}</th>
            <th>Risk difference (95% CI)</th>
            <th>p</th>
            <th>Missing (A / B)</th>
            <th>FMI</th>
          </tr>
        </thead>
        <tbody>
          {mi.outcomes.map((o) =>
            o.available ? (
              [
                <tr key={`${o.outcome}-cc`} data-outcome={o.outcome} data-analysis="complete-case">
                  <td rowSpan={2}>
                    {o.label} <span className="muted">({o.role})</span>
                  </td>
                  <td>Complete cases (Wald)</td>
                  <td>
                    {pct(o.value.completeCase.riskA)} <span className="muted">n={o.value.completeCase.nA}</span>
                  </td>
                  <td>
                    {pct(o.value.completeCase.riskB)} <span className="muted">n={o.value.completeCase.nB}</span>
                  </td>
                  <td>
                    {fmt(o.value.completeCase.difference)} ({ci(o.value.completeCase)})
                  </td>
                  <td>{pValue(o.value.completeCase.p)}</td>
                  <td rowSpan={2}>
                    {o.value.completeCase.missingA} / {o.value.completeCase.missingB}
                  </td>
                  <td>—</td>
                </tr>,
                <tr key={`${o.outcome}-mi`} data-outcome={o.outcome} data-analysis="multiple-imputation">
                  <td>
                    Multiple imputation, Rubin’s rules (df {fmt(o.value.pooled.df, 1)}){o.value.model.covariatesDropped ? <div className="muted small">{o.value.model.covariatesDropped}</div> : null}
                  </td>
                  <td>{pct(o.value.imputations.reduce((s, i) => s + i.riskA, 0) / o.value.imputations.length)}</td>
                  <td>{pct(o.value.imputations.reduce((s, i) => s + i.riskB, 0) / o.value.imputations.length)}</td>
                  <td>
                    {fmt(o.value.pooled.estimate)} ({ci(o.value.pooled)})
                  </td>
                  <td>{pValue(o.value.pooled.p)}</td>
                  <td>{fmt(o.value.pooled.fmi, 2)}</td>
                </tr>,
              ]
            ) : (
              <tr key={o.outcome} data-outcome={o.outcome}>
                <td>{o.label}</td>
                <td colSpan={7} className="muted">
                  Not computed: {o.reason}
                </td>
              </tr>
            ),
          )}
        </tbody>
      </table>
    </section>
  );
}
