import type { ReportData } from './ReportSections';
import { BoundaryChart } from './BoundaryChart';
import { KaplanMeierChart, type KmSeries } from './KaplanMeierChart';
import { curveLegendLabel } from './curve-legend-label';
import { DecisionCurveChart, type CurveSeries } from './DecisionCurveChart';
import { fmt, pValue } from './format';
import type { InterimMonitoring } from '@/server/domain/analytics/compute-interim-monitoring';
import type { SurvivalAnalytics } from '@/server/domain/analytics/compute-survival-analytics';

const ARM_COLORS = ['#1f5fa8', '#c2410c'];

function Unavailable({ reason }: { reason: string }) {
  return <p className="muted unavailable">Not computed: {reason}</p>;
}

/** Kaplan–Meier curves with numbers at risk, medians, log-rank, Cox, PH check and RMST per endpoint. */
export function SurvivalSection({ data, primary }: { data: ReportData; primary: boolean }) {
  return <SurvivalPanel survival={data.report.survival} arms={data.report.arms} primary={primary} />;
}

/** The time-to-event panel itself (also the DSMB's closed report). */
export function SurvivalPanel({ survival, arms, primary }: { survival: SurvivalAnalytics; arms: readonly { label: string }[]; primary: boolean }) {
  return (
    <section className="panel" aria-label="Time to event">
      <h2>Time to event by arm{primary ? ' (primary analysis)' : ' (secondary)'}</h2>
      <p className="muted small">
        Months from randomization; log-log 95% bands; + marks a censored participant; numbers at risk under the axis. Participants without any follow-up contact are left out and counted as missing.
      </p>
      {survival.map((s) => {
        const series: KmSeries[] = s.arms.flatMap((a, i) => (a.curve.available ? [{ key: a.arm, label: a.label, color: ARM_COLORS[i] ?? '#333', steps: a.curve.value.steps, atRisk: a.atRisk }] : []));
        const cox = s.coxStratified.available ? s.coxStratified : s.cox;
        return (
          <div key={s.endpoint} className="outcome-block" data-endpoint={s.endpoint}>
            <h3>{s.label}</h3>
            {series.length > 0 ? (
              <KaplanMeierChart title={`${s.label}: Kaplan–Meier by arm (${s.n} participants, ${s.events} events)`} series={series} riskTimes={s.riskTimes} />
            ) : (
              <Unavailable
                reason={s.arms
                  .map((a) => (a.curve.available ? '' : a.curve.reason))
                  .filter(Boolean)
                  .join('; ')}
              />
            )}
            <table>
              <thead>
                <tr>
                  <th>Arm</th>
                  <th>n</th>
                  <th>Events</th>
                  <th>Missing follow-up</th>
                  <th>Median, months (95% CI, Brookmeyer–Crowley)</th>
                </tr>
              </thead>
              <tbody>
                {s.arms.map((a) => (
                  <tr key={a.arm}>
                    <td>{a.label}</td>
                    <td>{a.n}</td>
                    <td>{a.events}</td>
                    <td>{a.missing}</td>
                    <td>
                      {a.curve.available
                        ? `${a.curve.value.median.median === null ? 'not reached' : fmt(a.curve.value.median.median, 1)} (${a.curve.value.median.lower === null ? 'NR' : fmt(a.curve.value.median.lower, 1)} to ${a.curve.value.median.upper === null ? 'NR' : fmt(a.curve.value.median.upper, 1)})`
                        : 'NA'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <table className="effects">
              <thead>
                <tr>
                  <th>Analysis</th>
                  <th>Method</th>
                  <th>Estimate (95% CI)</th>
                  <th>p</th>
                </tr>
              </thead>
              <tbody>
                <tr>
                  <td>Log-rank</td>
                  <td>unstratified</td>
                  <td>{s.logRank.available ? `χ² ${fmt(s.logRank.value.chiSquare, 3)} on ${s.logRank.value.df} df` : s.logRank.reason}</td>
                  <td>{s.logRank.available ? pValue(s.logRank.value.p) : ''}</td>
                </tr>
                <tr>
                  <td>Log-rank</td>
                  <td>stratified by randomization strata</td>
                  <td>{s.logRankStratified.available ? `χ² ${fmt(s.logRankStratified.value.chiSquare, 3)} (${s.logRankStratified.value.strata} strata)` : s.logRankStratified.reason}</td>
                  <td>{s.logRankStratified.available ? pValue(s.logRankStratified.value.p) : ''}</td>
                </tr>
                {(
                  [
                    ['unstratified', s.cox],
                    ['stratified by randomization strata', s.coxStratified],
                  ] as const
                ).map(([name, c]) => (
                  <tr key={name} data-testid={`cox-${name.split(' ')[0]}`}>
                    <td>
                      Hazard ratio {arms[0]?.label} vs {arms[1]?.label}
                    </td>
                    <td>Cox, Efron ties, {name}</td>
                    <td>{c.available ? `${fmt(c.value.hazardRatio, 3)} (${fmt(c.value.lower, 3)} to ${fmt(c.value.upper, 3)})` : c.reason}</td>
                    <td>{c.available ? pValue(c.value.p) : ''}</td>
                  </tr>
                ))}
                <tr>
                  <td>Proportional hazards</td>
                  <td>scaled Schoenfeld residuals (cox.zph, km)</td>
                  <td>{cox.available ? `χ² ${fmt(cox.value.proportionalHazards.chiSquare, 3)}` : 'NA'}</td>
                  <td>{cox.available ? pValue(cox.value.proportionalHazards.p) : ''}</td>
                </tr>
                <tr>
                  <td>RMST difference</td>
                  <td>{s.rmst.available ? `to ${fmt(s.rmst.value.tau, 1)} months, Wald` : 'restricted mean survival time'}</td>
                  <td>{s.rmst.available ? `${fmt(s.rmst.value.difference, 2)} months (${fmt(s.rmst.value.lower, 2)} to ${fmt(s.rmst.value.upper, 2)})` : s.rmst.reason}</td>
                  <td>{s.rmst.available ? pValue(s.rmst.value.p) : ''}</td>
                </tr>
              </tbody>
            </table>
            {cox.available && cox.value.proportionalHazards.p < 0.05 && (
              <p className="warning">Proportional hazards is doubtful (p &lt; 0.05): read the RMST difference rather than the hazard ratio.</p>
            )}
          </div>
        );
      })}
    </section>
  );
}

/** The group-sequential plan, its boundaries and where the primary endpoint stands now. */
export function InterimSection({ data }: { data: ReportData }) {
  return <InterimPanel interim={data.report.interim} />;
}

/** The interim panel itself (also the DSMB's closed report): boundaries, futility, the current look. */
export function InterimPanel({ interim: m }: { interim: InterimMonitoring }) {
  const d = m.design;
  const hasFutility = d.looks.some((l) => l.futilityValue !== null);
  const current = 'reason' in m.current ? null : m.current;
  return (
    <section className="panel" aria-label="Interim monitoring">
      <h2>Interim monitoring ({m.plan.endpoint.toUpperCase()})</h2>
      <p className="muted small">
        {d.method}; one-sided α = {m.plan.alpha}, power {1 - m.plan.beta}, planned hazard ratio {m.plan.hazardRatio}; maximum {m.maxEvents} events (Schoenfeld, inflation factor{' '}
        {fmt(d.inflationFactor, 4)}). Boundaries are recomputed at the observed information fraction; a crossing is what the boundary implies, the DSMB decides.
      </p>
      <BoundaryChart
        title="Efficacy boundaries (z) by information fraction, and the current look"
        looks={d.looks.map((l) => ({ fraction: l.informationFraction, z: l.criticalValue }))}
        current={current}
        futility={d.looks.flatMap((l) => (l.futilityValue !== null && Number.isFinite(l.futilityValue) ? [{ fraction: l.informationFraction, z: l.futilityValue }] : []))}
      />
      <table>
        <thead>
          <tr>
            <th>Look</th>
            <th>Information fraction</th>
            <th>Events</th>
            <th>Boundary z</th>
            {hasFutility && <th>Futility z (non-binding)</th>}
            <th>Nominal one-sided p</th>
            <th>Cumulative α</th>
          </tr>
        </thead>
        <tbody>
          {d.looks.map((l) => (
            <tr key={l.look}>
              <td>{l.look}</td>
              <td>{fmt(l.informationFraction, 3)}</td>
              <td>{Math.ceil(l.informationFraction * m.maxEvents)}</td>
              <td>{fmt(l.criticalValue, 4)}</td>
              {hasFutility && <td>{l.futilityValue === null ? '—' : fmt(l.futilityValue, 4)}</td>}
              <td>{fmt(l.nominalAlpha, 5)}</td>
              <td>{fmt(l.cumulativeAlpha, 5)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {current ? (
        <p data-testid="interim-current">
          Now: {current.events} events (information fraction {fmt(current.fraction, 3)}), stratified log-rank z = {fmt(current.z, 3)} against a boundary of {fmt(current.boundary, 3)}
          {current.futilityBoundary !== null ? ` (futility ${fmt(current.futilityBoundary, 3)})` : ''}: <strong>{current.recommendation}</strong>.
        </p>
      ) : (
        <Unavailable reason={'reason' in m.current ? m.current.reason : ''} />
      )}
    </section>
  );
}

/** Survival decision curves per arm (model risk against progression or death by the horizon) and the arm difference. */
export function SurvivalDecisionCurveSection({ data }: { data: ReportData }) {
  const d = data.report.survivalDecisionCurve;
  return (
    <section className="panel" aria-label="Survival decision curves" data-testid="survival-dca">
      <h2>Survival decision curves: progression or death by {d.horizonMonths} months</h2>
      <p className="muted small">
        Net benefit of treating the participants whose model risk is at least the threshold, with the event risk among them from Kaplan–Meier at {d.horizonMonths} months (dcurves&apos;{' '}
        <code>dca(Surv(pfs, event) ~ model_risk, time = {d.horizonMonths})</code>), beside treat all and treat none. Shaded bands: 95% bootstrap percentile intervals ({d.replicates} replicates,
        participants resampled within their arm, seed {d.seed}), as the binary decision curves.
      </p>
      <div className="chart-grid">
        {d.arms.map((arm) => {
          if (!arm.curve.available)
            return (
              <div key={arm.arm} data-arm={arm.arm}>
                <h3>{arm.label}</h3>
                <Unavailable reason={arm.curve.reason} />
              </div>
            );
          const rows = arm.curve.value;
          const series: CurveSeries[] = (
            [
              ['all', 'Treat all', '#111827'],
              ['none', 'Treat none', '#9ca3af'],
              ['model_risk', curveLegendLabel('model_risk', 'Model risk', data.report.counts.simulatedReads), '#1f5fa8'],
            ] as const
          ).map(([key, label, color]) => ({
            key,
            label,
            color,
            dashed: key !== 'model_risk',
            // Treat none is 0 by definition: no band.
            points: rows
              .filter((r) => r.variable === key)
              .map((r) => (key === 'none' ? { threshold: r.threshold, netBenefit: r.netBenefit } : { threshold: r.threshold, netBenefit: r.netBenefit, lower: r.lower, upper: r.upper })),
          }));
          return (
            <div key={arm.arm} data-arm={arm.arm}>
              <DecisionCurveChart title={`${arm.label}: ${arm.n} participants, ${arm.events} events`} series={series} />
            </div>
          );
        })}
      </div>
      <table>
        <thead>
          <tr>
            <th>Threshold</th>
            <th>
              Net benefit difference, model ({d.arms[0]?.label} − {d.arms[1]?.label})
            </th>
            <th>95% bootstrap interval</th>
          </tr>
        </thead>
        <tbody>
          {d.difference
            .filter((_, k) => k % 2 === 1)
            .map((r) => (
              <tr key={r.threshold}>
                <td>{fmt(r.threshold, 2)}</td>
                <td>{r.difference === null ? 'not computed' : fmt(r.difference, 4)}</td>
                <td>{r.lower === null || r.upper === null ? '' : `${fmt(r.lower, 4)} to ${fmt(r.upper, 4)}`}</td>
              </tr>
            ))}
        </tbody>
      </table>
    </section>
  );
}
