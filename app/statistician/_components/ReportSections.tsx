import type { TrialAnalytics } from '@/server/domain/analytics/compute-trial-analytics';
import type { Table } from '@/server/domain/analytics/analytics-tables';
import type { ConsortCounts } from '@/server/domain/enrollment/consort-counts';
import { ConsortDiagram } from '../../coordinator/_components/ConsortDiagram';
import { CalibrationChart, type CalibrationSeries } from './CalibrationChart';
import { curveLegendLabel } from './curve-legend-label';
import { DecisionCurveChart, type CurveSeries } from './DecisionCurveChart';
import { ExportLinks } from './ExportLinks';
import { ForestPlot, type ForestRow } from './ForestPlot';
import { ci, fmt, pct, pValue } from './format';
import { SimulatedReadsNotice } from './SimulatedReadsNotice';

export interface ReportData {
  readonly report: TrialAnalytics;
  readonly consort: ConsortCounts;
  readonly tables: readonly Table[];
  readonly methods: readonly { heading: string; text: string }[];
  /** The signed analysis plan the report follows. */
  readonly analysisPlan: AnalysisPlanReference;
}

export interface AnalysisPlanReference {
  readonly version: number;
  readonly contentSha256: string;
  readonly lockedAt: string;
  readonly signerName: string;
  readonly primaryOutcome?: string;
  readonly primaryOutcomeType?: 'binary' | 'time_to_event';
}

/** Which signed analysis plan a report follows: shown on every report page and in the PDF. */
export function AnalysisPlanLine({ plan, trialId }: { plan: AnalysisPlanReference; trialId?: string }) {
  return (
    <p className="muted snapshot" data-testid="sap-lock" data-sap-version={plan.version}>
      Follows the statistical analysis plan <strong>version {plan.version}</strong>, locked and signed by {plan.signerName} on {plan.lockedAt.replace('T', ' ').slice(0, 16)} UTC (SHA-256{' '}
      <code>{plan.contentSha256.slice(0, 16)}</code>); anything not in it is exploratory.
      {trialId ? (
        <>
          {' '}
          <a href={`/statistician/${trialId}/plan`}>The plan</a>.
        </>
      ) : null}
    </p>
  );
}

const COLORS: Record<string, string> = { model_risk: '#1f5fa8', clinician_probability: '#c2410c', clinician_decision: '#7c3aed', all: '#111827', none: '#9ca3af' };

function Unavailable({ reason }: { reason: string }) {
  return <p className="muted unavailable">Not computed: {reason}</p>;
}

export function SnapshotLine({ report, plan }: { report: TrialAnalytics; plan?: AnalysisPlanReference }) {
  return (
    <>
      {plan && <AnalysisPlanLine plan={plan} trialId={report.trial.id} />}
      <p className="muted snapshot" data-testid="snapshot" data-randomized={report.counts.randomized} data-with-outcome={report.counts.withPrimaryOutcome}>
        Dataset snapshot <code>{report.snapshot.sha256.slice(0, 16)}</code> read {report.snapshot.builtAt.replace('T', ' ').slice(0, 19)} UTC · {report.counts.randomized} randomized,{' '}
        {report.counts.withPrimaryOutcome} with the primary outcome, {report.counts.modelScored} scored by the model, {report.counts.withReferenceSegmentation} with a reference segmentation,{' '}
        {report.counts.decisions} signed reader decisions.
      </p>
      <SimulatedReadsNotice count={report.counts.simulatedReads} />
    </>
  );
}

export function ConsortSection({ consort }: { consort: ConsortCounts }) {
  return (
    <section className="panel" aria-label="CONSORT">
      <h2>CONSORT flow</h2>
      <ConsortDiagram counts={consort} />
    </section>
  );
}

export function ArmComparisonSection({ data, trialId }: { data: ReportData; trialId: string }) {
  return (
    <section className="panel" aria-label="Arm comparison">
      <h2>
        Outcomes by arm <ExportLinks trialId={trialId} table="arm_comparison" />
      </h2>
      {data.report.armComparisons.map((c) => (
        <div key={c.outcome} className="outcome-block">
          <h3>{c.label}</h3>
          {c.result.available && (
            <p className="muted small" data-testid="population">
              Population: {c.result.value.population}.
            </p>
          )}
          {!c.result.available ? (
            <Unavailable reason={c.result.reason} />
          ) : (
            <>
              <table>
                <thead>
                  <tr>
                    <th>Arm</th>
                    <th>n/N</th>
                    <th>%</th>
                    <th>95% CI (Wilson)</th>
                  </tr>
                </thead>
                <tbody>
                  {[
                    [c.result.value.armA.label, c.result.value.crude.arms.A],
                    [c.result.value.armB.label, c.result.value.crude.arms.B],
                  ].map(([label, a]) => {
                    const arm = a as (typeof c.result.value.crude.arms)['A'];
                    return (
                      <tr key={String(label)}>
                        <td>{String(label)}</td>
                        <td>
                          {arm.events}/{arm.n}
                        </td>
                        <td>{pct(arm.estimate)}</td>
                        <td>{ci(arm, 3)}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
              <table className="effects">
                <thead>
                  <tr>
                    <th>Measure</th>
                    <th>Method</th>
                    <th>Estimate</th>
                    <th>95% CI</th>
                    <th>Analysis</th>
                  </tr>
                </thead>
                <tbody>
                  {[...c.result.value.crude.estimates, ...(c.result.value.stratified?.comparison.estimates.filter((e) => e.stratified) ?? [])].map((e, i) => (
                    <tr key={i}>
                      <td>{e.measure}</td>
                      <td>
                        {e.method}
                        {e.correction !== 'none' ? ` (${e.correction})` : ''}
                      </td>
                      <td>{fmt(e.estimate, 4)}</td>
                      <td>{ci(e, 4)}</td>
                      <td>{e.stratified ? `stratified (${c.result.available && c.result.value.stratified?.strata.length} strata)` : 'crude'}</td>
                    </tr>
                  ))}
                  {[...c.result.value.crude.tests, ...(c.result.value.stratified?.comparison.tests.filter((t) => t.stratified) ?? [])].map((t, i) => (
                    <tr key={`t${i}`}>
                      <td>test</td>
                      <td>{t.method}</td>
                      <td>{t.statistic === null ? '' : `statistic ${fmt(t.statistic, 3)}`}</td>
                      <td>p = {pValue(t.pValue)}</td>
                      <td>{t.stratified ? 'stratified' : 'crude'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {c.result.value.crude.notComputed.length > 0 && <p className="muted">Not computed: {c.result.value.crude.notComputed.map((n) => `${n.method} (${n.reason})`).join('; ')}</p>}
              <h4>Supportive analyses (risk difference, Newcombe)</h4>
              <table className="supportive">
                <thead>
                  <tr>
                    <th>Population</th>
                    <th>Estimate</th>
                    <th>95% CI</th>
                  </tr>
                </thead>
                <tbody>
                  {c.result.value.supportive.map((sup) => (
                    <tr key={sup.population}>
                      <td>{sup.population}</td>
                      {sup.riskDifference.available && sup.riskDifference.value ? (
                        <>
                          <td>{fmt(sup.riskDifference.value.estimate, 4)}</td>
                          <td>{ci(sup.riskDifference.value, 4)}</td>
                        </>
                      ) : (
                        <td colSpan={2} className="muted">
                          Not computed{sup.riskDifference.available ? '' : `: ${sup.riskDifference.reason}`}
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </div>
      ))}
    </section>
  );
}

export function DecisionCurvesSection({ data, trialId }: { data: ReportData; trialId: string }) {
  return (
    <section className="panel" aria-label="Decision curves">
      <h2>
        Decision curves against histopathology (high grade) <ExportLinks trialId={trialId} table="decision_curves" />
      </h2>
      <div className="chart-grid">
        {data.report.decisionCurves.map((arm) => {
          const series: CurveSeries[] = [];
          if (arm.baseline.available) {
            for (const v of ['all', 'none'] as const) {
              series.push({
                key: v,
                label: v === 'all' ? 'Treat all' : 'Treat none',
                color: COLORS[v]!,
                dashed: v === 'all',
                points: arm.baseline.value.filter((r) => r.variable === v).map((r) => ({ threshold: r.threshold, netBenefit: r.net_benefit })),
              });
            }
          }
          for (const curve of arm.curves) {
            if (!curve.result.available) continue;
            series.push({
              key: curve.variable,
              label: `${curveLegendLabel(curve.variable, curve.label, data.report.counts.simulatedReads)} (n = ${curve.n})`,
              color: COLORS[curve.variable] ?? '#333',
              points: curve.result.value.rows
                .filter((r) => r.variable === curve.variable)
                .map((r) => ({ threshold: r.threshold, netBenefit: r.net_benefit, lower: r.net_benefit_lower, upper: r.net_benefit_upper })),
            });
          }
          return (
            <div key={arm.arm}>
              {arm.baseline.available ? (
                <DecisionCurveChart title={`${arm.label}: net benefit (n = ${arm.n} with histopathology), bands: 95% bootstrap CI`} series={series} />
              ) : (
                <Unavailable reason={arm.baseline.reason} />
              )}
              <ul className="muted small">
                {arm.curves
                  .filter((c) => !c.result.available)
                  .map((c) => (
                    <li key={c.variable}>
                      {c.label}: {c.result.available ? '' : c.result.reason}
                    </li>
                  ))}
              </ul>
            </div>
          );
        })}
      </div>
      <h3>Difference in net benefit between arms</h3>
      <table>
        <thead>
          <tr>
            <th>Variable</th>
            <th>Threshold</th>
            <th>NB {data.report.arms[0]?.label}</th>
            <th>NB {data.report.arms[1]?.label}</th>
            <th>Difference (95% CI)</th>
          </tr>
        </thead>
        <tbody>
          {data.report.decisionCurveDifferences.map((d) =>
            d.result.available ? (
              d.result.value
                .filter((r) => [0.1, 0.2, 0.3, 0.5].some((t) => Math.abs(r.threshold - t) < 1e-9))
                .map((r) => (
                  <tr key={`${d.variable}${r.threshold}`}>
                    <td>{d.variable}</td>
                    <td>{fmt(r.threshold, 2)}</td>
                    <td>{fmt(r.net_benefit_a)}</td>
                    <td>{fmt(r.net_benefit_b)}</td>
                    <td>
                      {fmt(r.difference)} ({fmt(r.difference_lower)} to {fmt(r.difference_upper)})
                    </td>
                  </tr>
                ))
            ) : (
              <tr key={d.variable}>
                <td>{d.variable}</td>
                <td colSpan={4} className="muted">
                  Not computed: {d.result.reason}
                </td>
              </tr>
            ),
          )}
        </tbody>
      </table>
    </section>
  );
}

export function ForestSection({ data, trialId }: { data: ReportData; trialId: string }) {
  return (
    <section className="panel" aria-label="Subgroups">
      <h2>
        Arm effect by subgroup <ExportLinks trialId={trialId} table="forest" />
      </h2>
      {data.report.forest.map((f) => {
        if (!f.result.available) return <Unavailable key={f.outcome} reason={f.result.reason} />;
        const rows: ForestRow[] = [];
        for (const c of f.result.value) {
          rows.push({ label: `${c.covariate} — interaction p = ${pValue(c.interaction?.pValue)} (Holm ${pValue(c.pHolm)}, BH ${pValue(c.pBenjaminiHochberg)})`, heading: true });
          for (const l of c.levels) {
            // Levels below the stated minimum n are greyed, drawn without an interval (issue: a forest plot on 1/1 vs 0/1).
            rows.push({
              label: l.level,
              estimate: l.riskDifference?.estimate,
              lower: l.riskDifference?.lower,
              upper: l.riskDifference?.upper,
              detail: `${l.armA?.events ?? 0}/${l.armA?.n ?? 0} vs ${l.armB?.events ?? 0}/${l.armB?.n ?? 0}`,
              flag: l.smallSample.flagged ? `n < ${data.report.settings.minN}: not interpreted` : undefined,
              muted: l.smallSample.flagged,
            });
          }
        }
        return (
          <ForestPlot
            key={f.outcome}
            title={`${f.label}: risk difference ${data.report.arms[0]?.label} − ${data.report.arms[1]?.label} (Newcombe 95% CI)`}
            rows={rows}
            xLabel={`Risk difference (${data.report.arms[0]?.label} − ${data.report.arms[1]?.label})`}
          />
        );
      })}
    </section>
  );
}

export function ModelSubgroupSection({ data, trialId }: { data: ReportData; trialId: string }) {
  return (
    <section className="panel" aria-label="Model bias report">
      <h2>
        Model performance by subgroup (risk ≥ {data.report.settings.operatingThreshold}) <ExportLinks trialId={trialId} table="model_subgroups" />
      </h2>
      <table>
        <thead>
          <tr>
            <th>Covariate</th>
            <th>Level</th>
            <th>n (events)</th>
            <th>Sensitivity (95% CI)</th>
            <th>Specificity (95% CI)</th>
            <th>AUC (95% CI)</th>
            <th>Sens. difference vs reference</th>
            <th>Flags</th>
          </tr>
        </thead>
        <tbody>
          {data.report.modelSubgroups.map((s) =>
            !s.result.available ? (
              <tr key={s.covariate}>
                <td>{s.covariate}</td>
                <td colSpan={7} className="muted">
                  Not computed: {s.result.reason}
                </td>
              </tr>
            ) : (
              s.result.value.levels.map((l) => (
                <tr key={`${s.covariate}${l.level}`}>
                  <td>{s.covariate}</td>
                  <td>
                    {l.level}
                    {s.result.available && l.level === s.result.value.reference ? ' (reference)' : ''}
                  </td>
                  <td>
                    {l.n} ({l.events})
                  </td>
                  <td>{l.sensitivity ? `${fmt(l.sensitivity.estimate, 2)} (${ci(l.sensitivity, 2)})` : 'NA'}</td>
                  <td>{l.specificity ? `${fmt(l.specificity.estimate, 2)} (${ci(l.specificity, 2)})` : 'NA'}</td>
                  <td>{l.auc ? `${fmt(l.auc.auc, 2)} (${ci(l.auc, 2)})` : 'NA'}</td>
                  <td>{l.sensitivityDisparity ? `${fmt(l.sensitivityDisparity.difference.estimate, 2)} (${ci(l.sensitivityDisparity.difference, 2)})` : 'NA'}</td>
                  <td>
                    {l.smallSample.flagged && (
                      <span className="badge warn" title={l.smallSample.reasons.join('; ')}>
                        small n
                      </span>
                    )}{' '}
                    {l.blindSpot?.flagged && <span className="badge bad">{l.blindSpot.confirmed ? 'blind spot (confirmed)' : 'blind spot?'}</span>}{' '}
                    {l.disparityFlag && <span className="badge bad">disparity</span>}
                  </td>
                </tr>
              ))
            ),
          )}
        </tbody>
      </table>
    </section>
  );
}

export function ValidationSection({ data, trialId }: { data: ReportData; trialId: string }) {
  const series: CalibrationSeries[] = [];
  const colors = ['#1f5fa8', '#137333', '#b42318'];
  data.report.calibration.forEach((c, i) => {
    if (c.curve.available && i > 0) series.push({ key: c.group, label: `${c.group} (n = ${c.n})`, color: colors[i]!, bins: c.curve.value });
  });
  if (series.length === 0 && data.report.calibration[0]?.curve.available)
    series.push({ key: 'all', label: `all sites (n = ${data.report.calibration[0].n})`, color: colors[0]!, bins: data.report.calibration[0].curve.value });
  return (
    <section className="panel" aria-label="External validation">
      <h2>
        Model risk: discrimination and calibration, internal vs external <ExportLinks trialId={trialId} table="calibration" />
      </h2>
      <div className="chart-grid">
        <div>
          {series.length > 0 ? (
            <CalibrationChart title="Calibration of the model's risk of high grade (quantile bins, Wilson 95% CI)" series={series} />
          ) : (
            <Unavailable reason={data.report.calibration[0]?.curve.available === false ? data.report.calibration[0].curve.reason : 'no scored patients'} />
          )}
        </div>
        <table>
          <thead>
            <tr>
              <th>Group</th>
              <th>n</th>
              <th>AUC (DeLong 95% CI)</th>
              <th>Calibration intercept</th>
              <th>Calibration slope</th>
            </tr>
          </thead>
          <tbody>
            {data.report.calibration.map((c) => (
              <tr key={c.group}>
                <td>{c.group}</td>
                <td>{c.n}</td>
                <td>{c.auc.available ? `${fmt(c.auc.value.auc, 3)} (${ci(c.auc.value, 3)})` : <span className="muted">{c.auc.reason}</span>}</td>
                <td>{c.interceptSlope.available ? `${fmt(c.interceptSlope.value.intercept.estimate, 2)} (${ci(c.interceptSlope.value.intercept, 2)})` : <span className="muted">NA</span>}</td>
                <td>{c.interceptSlope.available ? `${fmt(c.interceptSlope.value.slope.estimate, 2)} (${ci(c.interceptSlope.value.slope, 2)})` : <span className="muted">NA</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3>
        Segmentation performance (AI vs expert reference) <ExportLinks trialId={trialId} table="segmentation_summary" />
      </h3>
      <table className="segmentation">
        <thead>
          <tr>
            <th>Group</th>
            <th>Region</th>
            <th>n</th>
            <th>Dice mean (95% CI)</th>
            <th>Dice median [IQR]</th>
            <th>HD95 mm median [IQR]</th>
            <th>Sensitivity mean</th>
            <th>Specificity mean</th>
          </tr>
        </thead>
        <tbody>
          {data.report.segmentation.summaries.flatMap((g) =>
            g.n === 0
              ? [
                  <tr key={g.group}>
                    <td>{g.group}</td>
                    <td colSpan={7} className="muted">
                      no cases with a reference segmentation
                    </td>
                  </tr>,
                ]
              : g.regions.map((r) => {
                  const m = Object.fromEntries(r.metrics.map((x) => [x.metric, x.summary]));
                  const s = (k: string) => (m[k]?.available ? m[k].value : null);
                  return (
                    <tr key={`${g.group}${r.region}`}>
                      <td>{g.group}</td>
                      <td>{r.region}</td>
                      <td>{g.n}</td>
                      <td>
                        {s('dice')
                          ? s('dice')!.meanLower === null
                            ? `${fmt(s('dice')!.mean, 3)} (no interval: n = ${s('dice')!.n})`
                            : `${fmt(s('dice')!.mean, 3)} (${fmt(s('dice')!.meanLower, 3)} to ${fmt(s('dice')!.meanUpper, 3)})`
                          : 'NA'}
                      </td>
                      <td>{s('dice') ? `${fmt(s('dice')!.median, 3)} [${fmt(s('dice')!.q1, 3)}, ${fmt(s('dice')!.q3, 3)}]` : 'NA'}</td>
                      <td>
                        {s('hd95') ? `${fmt(s('hd95')!.median, 1)} [${fmt(s('hd95')!.q1, 1)}, ${fmt(s('hd95')!.q3, 1)}]${s('hd95')!.nonFinite ? ` (${s('hd95')!.nonFinite} infinite)` : ''}` : 'NA'}
                      </td>
                      <td>{s('sensitivity') ? fmt(s('sensitivity')!.mean, 3) : 'NA'}</td>
                      <td>{s('specificity') ? fmt(s('specificity')!.mean, 4) : 'NA'}</td>
                    </tr>
                  );
                }),
          )}
        </tbody>
      </table>
    </section>
  );
}

export function InteractionSection({ data, trialId }: { data: ReportData; trialId: string }) {
  return (
    <section className="panel" aria-label="Human-AI interaction">
      <h2>
        Human–AI interaction <ExportLinks trialId={trialId} table="human_ai_interaction" />
      </h2>
      {data.report.interaction.map((i) => (
        <div key={i.by}>
          <h3>By {i.by}</h3>
          {!i.result.available ? (
            <Unavailable reason={i.result.reason} />
          ) : (
            <table>
              <thead>
                <tr>
                  <th>{i.by}</th>
                  <th>Reads</th>
                  <th>AI shown</th>
                  <th>Accepted</th>
                  <th>Edited</th>
                  <th>Rejected</th>
                  <th>Time to decision, s: median [IQR]</th>
                  <th>Dice AI→final (mean)</th>
                </tr>
              </thead>
              <tbody>
                {i.result.value.map((g) => (
                  <tr key={g.group}>
                    <td>{g.group}</td>
                    <td>{g.n}</td>
                    <td>{g.withProposal}</td>
                    <td>{g.accepted ? `${pct(g.accepted.estimate)} (${ci(g.accepted, 2)})` : 'NA'}</td>
                    <td>{g.edited ? pct(g.edited.estimate) : 'NA'}</td>
                    <td>{g.rejected ? pct(g.rejected.estimate) : 'NA'}</td>
                    <td>{g.secondsToDecision ? `${fmt(g.secondsToDecision.median, 0)} [${fmt(g.secondsToDecision.q1, 0)}, ${fmt(g.secondsToDecision.q3, 0)}]` : 'NA'}</td>
                    <td>{g.diceProposalToFinal ? fmt(g.diceProposalToFinal.mean, 3) : 'NA'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      ))}
    </section>
  );
}

export function PerSiteSection({ data, trialId }: { data: ReportData; trialId: string }) {
  return (
    <section className="panel" aria-label="Per site">
      <h2>
        Per site <ExportLinks trialId={trialId} table="per_site" />
      </h2>
      <table>
        <thead>
          <tr>
            <th>Site</th>
            <th>Arm</th>
            <th>Randomized</th>
            <th>With 6-month outcome</th>
            <th>Progression-free</th>
            <th>High grade (histopathology)</th>
            <th>Model-scored</th>
            <th>With reference segmentation</th>
            <th>Read</th>
          </tr>
        </thead>
        <tbody>
          {data.report.perSite.flatMap((s) =>
            s.arms.map((a) => (
              <tr key={`${s.site}${a.arm}`}>
                <td>
                  {s.site}
                  {s.external ? ' (external)' : ''}
                </td>
                <td>{data.report.arms.find((x) => x.key === a.arm)?.label ?? a.arm}</td>
                <td>{a.randomized}</td>
                <td>{a.withOutcome}</td>
                <td>{a.withOutcome ? `${a.progressionFree} (${pct(a.progressionFree / a.withOutcome, 0)})` : '0'}</td>
                <td>{a.referenceHighGrade}</td>
                <td>{a.modelScored}</td>
                <td>{a.withReferenceSegmentation}</td>
                <td>{a.read}</td>
              </tr>
            )),
          )}
        </tbody>
      </table>
    </section>
  );
}

export function MethodsSection({ data }: { data: ReportData }) {
  const m = data.report.model;
  return (
    <section className="panel" aria-label="Methods">
      <h2>Methods and model provenance</h2>
      {data.methods.map((x) => (
        <p key={x.heading}>
          <strong>{x.heading}.</strong> {x.text}
        </p>
      ))}
      {m ? (
        <p>
          <strong>Model.</strong> {m.name} {m.version} ({m.pinned ? 'pinned by the trial at go-live' : 'default model; the trial has not pinned one'}), ONNX SHA-256 <code>{m.sha256}</code>, registered{' '}
          {m.registeredAt.slice(0, 10)}.{typeof m.card.description === 'string' ? ` ${m.card.description}` : ''}
        </p>
      ) : (
        <p>
          <strong>Model.</strong> No model is registered.
        </p>
      )}
    </section>
  );
}

export function ExportsSection({ data, trialId }: { data: ReportData; trialId: string }) {
  const base = `/api/analytics/${trialId}/export`;
  return (
    <section className="panel" aria-label="Exports">
      <h2>Exports</h2>
      <p>
        <a className="button" href={`${base}?what=pdf&format=pdf`} download data-testid="export-pdf">
          PDF report
        </a>{' '}
        <a className="button" href={`${base}?what=dataset&format=csv`} download data-testid="export-dataset">
          Analysis dataset (CSV)
        </a>{' '}
        <a href={`${base}?what=dictionary&format=csv`} download>
          Data dictionary (CSV)
        </a>{' '}
        ·{' '}
        <a href={`${base}?what=report&format=json`} download>
          Whole report (JSON)
        </a>{' '}
        ·{' '}
        <a href={`${base}?what=table:decision_curves&format=csv`} download data-testid="export-dca">
          Decision curves (dcurves CSV)
        </a>
      </p>
      <p data-testid="export-adam">
        CDISC ADaM:{' '}
        <a href={`${base}?what=adam:adsl&format=csv`} download>
          ADSL (CSV)
        </a>{' '}
        ·{' '}
        <a href={`${base}?what=adam:adtte&format=csv`} download>
          ADTTE (CSV)
        </a>{' '}
        ·{' '}
        <a href={`${base}?what=adam:define&format=csv`} download>
          variable metadata (define-style CSV)
        </a>
      </p>
      <table>
        <thead>
          <tr>
            <th>Table</th>
            <th>Rows</th>
            <th>Download</th>
          </tr>
        </thead>
        <tbody>
          {data.tables.map((t) => (
            <tr key={t.name}>
              <td>{t.title}</td>
              <td>{t.rows.length}</td>
              <td>
                <ExportLinks trialId={trialId} table={t.name} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">Every file names the dataset snapshot it came from (SHA-256 and time) and is recorded in the audit log.</p>
    </section>
  );
}
