import type { TrialAnalytics } from '@/server/domain/analytics/compute-trial-analytics';
import { ExportLinks } from './ExportLinks';
import { ci, fmt, pct, pValue } from './format';

/**
 * The primary binary outcome by the protocol version participants were enrolled under, with the
 * arm × version interaction test: whether the effect moved with an amendment. Shown once the trial
 * has an amendment with participants enrolled under it.
 */
export function ProtocolVersionSection({ report, trialId }: { report: TrialAnalytics; trialId: string }) {
  const split = report.byProtocolVersion;
  const [armA, armB] = [report.arms[0], report.arms[1]];
  return (
    <section className="panel" aria-label="By protocol version">
      <h2>
        Progression-free at 6 months by protocol version <ExportLinks trialId={trialId} table="arm_comparison_by_protocol_version" />
      </h2>
      <p className="muted small">Population: {split.population}.</p>
      <table data-testid="by-protocol-version">
        <thead>
          <tr>
            <th>Version</th>
            <th>{armA?.label ?? 'Arm A'} n/N (randomized)</th>
            <th>%</th>
            <th>{armB?.label ?? 'Arm B'} n/N (randomized)</th>
            <th>%</th>
            <th>Risk difference (95% CI)</th>
          </tr>
        </thead>
        <tbody>
          {split.versions.map((v) => (
            <tr key={v.version} data-version={v.version}>
              <td>v{v.version}</td>
              <td>
                {v.armA.events}/{v.armA.n} ({v.armA.randomized})
              </td>
              <td>{v.armA.n ? pct(v.armA.events / v.armA.n) : 'NA'}</td>
              <td>
                {v.armB.events}/{v.armB.n} ({v.armB.randomized})
              </td>
              <td>{v.armB.n ? pct(v.armB.events / v.armB.n) : 'NA'}</td>
              <td>
                {v.riskDifference.available && v.riskDifference.value ? (
                  <>
                    {fmt(v.riskDifference.value.estimate)} ({ci(v.riskDifference.value)}) <span className="muted">{v.riskDifference.value.method}</span>
                  </>
                ) : (
                  <span className="muted">{v.riskDifference.available ? 'NA' : v.riskDifference.reason}</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small" data-testid="version-interaction">
        {split.interaction.available
          ? `Arm × protocol version interaction: ${split.interaction.value.method}, χ² = ${fmt(split.interaction.value.statistic)} on ${split.interaction.value.df} df, p = ${pValue(split.interaction.value.pValue)}.`
          : `Arm × protocol version interaction not computed: ${split.interaction.reason}.`}
      </p>
    </section>
  );
}
