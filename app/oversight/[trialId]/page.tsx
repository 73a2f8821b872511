import { notFound } from 'next/navigation';
import { AppShell } from '../../_components/AppShell';
import { api, requireRole } from '../../_lib/session';
import { AI_RESUMPTION_MEANING, AI_SUSPENSION_MEANING } from '@/server/domain/oversight/ai-switch-meaning';
import { OVERSIGHT_METRICS, type OversightMetric } from '@/server/domain/oversight/oversight-metrics';
import { AcknowledgeAlert } from '../_components/AcknowledgeAlert';
import { AiSwitch } from '../_components/AiSwitch';
import { ControlChartView } from '../_components/ControlChartView';
import { EventLogExport } from '../_components/EventLogExport';
import { ShadowModelStart } from '../_components/ShadowModelStart';
import { ModelSwitch } from '../_components/ModelSwitch';
import '../oversight.css';

export const dynamic = 'force-dynamic';

const GROUPS = [
  { key: 'input', title: 'Input quality', note: 'Every study, both arms.' },
  { key: 'output', title: 'Output behaviour', note: "Every AI result, both arms (the control arm's are shadow-mode results, never shown to its clinicians)." },
  {
    key: 'agreement',
    title: 'Agreement of the AI with the signed segmentation',
    note: 'Signed reviews of cases shown the AI: accepted outlines agree fully, edited ones by Dice and HD95 of the whole tumour; rejected ones are left out. Cases are never named.',
  },
  { key: 'interaction', title: 'Human–AI interaction', note: 'Signed reviews of cases shown the AI; cases are never named here, since that would reveal their arm.' },
] as const;

const utc = (d: Date | string) => new Date(d).toISOString().replace('T', ' ').slice(0, 16);
const fmt = (v: number | null) => (v === null ? '—' : Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3));

export default async function OversightDashboard({ params }: { params: Promise<{ trialId: string }> }) {
  const user = await requireRole('monitor', 'admin', 'statistician');
  const { trialId } = await params;
  const caller = await api();
  const trial = (await caller.trials.list()).find((t) => t.id === trialId);
  if (!trial) notFound();
  const [{ dashboard, alerts, availability }, comparisons, registry] = await Promise.all([
    caller.oversight.dashboard({ trialId }),
    caller.oversight.shadowComparisons({ trialId }),
    user.role === 'admin' ? caller.admin.listModels() : Promise.resolve([]),
  ]);
  const pinnedModel = registry.find((m) => m.pinnedBy.includes(trial.slug));
  const open = alerts.filter((a) => !a.acknowledgedAt);
  const siteCode = new Map(trial.sites.map((s) => [s.id, s.code]));
  const mayAcknowledge = user.role === 'monitor' || user.role === 'admin';
  const { settings } = dashboard;
  return (
    <AppShell user={user} current="/oversight">
      <h1>AI oversight: {trial.name}</h1>
      <p className="subtitle">
        EWMA control charts (λ = {settings.lambda}, limits for an in-control average run length of {settings.inControlArl} cases, estimated from each series&apos; first {settings.baselineCount}{' '}
        cases), per site and pooled over the sites you may see. Figures are pooled over arms.
      </p>

      <section className="panel" aria-label="AI availability">
        <h2>AI availability</h2>
        {availability.trialSuspended ? (
          <p>
            <span className="badge bad">suspended for the whole trial</span> Assisted-arm cases are reviewed without AI and recorded as protocol deviations.
          </p>
        ) : availability.suspendedSiteIds.length ? (
          <p>
            <span className="badge bad">suspended at {availability.suspendedSiteIds.map((id) => siteCode.get(id) ?? id).join(', ')}</span>
          </p>
        ) : (
          <p>
            <span className="badge ok">available</span> at every site.
          </p>
        )}
        {user.role === 'admin' && (
          <div data-testid="ai-switches">
            <AiSwitch
              trialId={trialId}
              siteId={null}
              scopeLabel="Whole trial"
              suspended={availability.trialSuspended}
              meaning={availability.trialSuspended ? AI_RESUMPTION_MEANING : AI_SUSPENSION_MEANING}
            />
            {trial.sites.map((s) => {
              const suspended = availability.suspendedSiteIds.includes(s.id);
              return <AiSwitch key={s.id} trialId={trialId} siteId={s.id} scopeLabel={`Site ${s.code}`} suspended={suspended} meaning={suspended ? AI_RESUMPTION_MEANING : AI_SUSPENSION_MEANING} />;
            })}
          </div>
        )}
        {availability.history.length > 0 && (
          <table aria-label="Suspensions and resumptions">
            <thead>
              <tr>
                <th>Time (UTC)</th>
                <th>Scope</th>
                <th>Action</th>
                <th>By</th>
                <th>Reason</th>
              </tr>
            </thead>
            <tbody>
              {availability.history.map((h) => (
                <tr key={h.id}>
                  <td>{utc(h.at)}</td>
                  <td>{h.siteCode ?? 'trial'}</td>
                  <td>{h.action}</td>
                  <td>{h.by}</td>
                  <td>{h.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {user.role === 'admin' && <EventLogExport trialId={trialId} />}
      </section>

      <section className="panel" aria-label="Alerts">
        <h2>
          Alerts <span className={open.length ? 'badge warn' : 'badge'}>{open.length} open</span>
        </h2>
        {alerts.length === 0 ? (
          <p className="muted">No chart has crossed its limits.</p>
        ) : (
          <table data-testid="oversight-alerts">
            <thead>
              <tr>
                <th>First signal (UTC)</th>
                <th>Site</th>
                <th>Figure</th>
                <th>Evidence</th>
                <th>Acknowledgement</th>
              </tr>
            </thead>
            <tbody>
              {alerts.map((a) => (
                <tr key={a.id}>
                  <td>{utc(a.observedAt)}</td>
                  <td>{a.site}</td>
                  <td>{a.evidence.label}</td>
                  <td>
                    {a.evidence.direction === 'high' ? 'above' : 'below'} its limits ({fmt(a.evidence.lowerLimit)} to {fmt(a.evidence.upperLimit)}; baseline mean {fmt(a.evidence.baseline.mean)} over{' '}
                    {a.evidence.baseline.count} cases) for {a.evidence.points.length} case(s)
                    {a.evidence.points.some((p) => p.studyId) && <span className="muted"> · studies {a.evidence.points.map((p) => p.studyId?.slice(0, 8)).join(', ')}</span>}
                  </td>
                  <td>
                    {a.acknowledgedAt ? (
                      <>
                        <span className="badge ok">acknowledged</span> {utc(a.acknowledgedAt)}: {a.acknowledgementComment}
                      </>
                    ) : mayAcknowledge ? (
                      <AcknowledgeAlert trialId={trialId} alertId={a.id} />
                    ) : (
                      <span className="badge warn">open</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="panel" aria-label="Model change">
        <h2>Candidate model versions (shadow)</h2>
        <p className="muted">
          A new model version is run in shadow on the trial&apos;s studies and compared with the pinned one before any switch; its results are never shown to clinicians. A switch is a protocol
          amendment.
        </p>
        {user.role === 'admin' && (
          <ShadowModelStart trialId={trialId} candidates={registry.filter((m) => m.id !== pinnedModel?.id).map((m) => ({ id: m.id, label: `${m.name} ${m.version} (${m.sha256.slice(0, 8)})` }))} />
        )}
        {comparisons.length === 0 ? (
          <p className="muted">No candidate has been run on this trial&apos;s studies.</p>
        ) : (
          <table aria-label="Candidate comparisons">
            <thead>
              <tr>
                <th>Candidate</th>
                <th>Studies compared</th>
                <th>Dice with the pinned model: WT</th>
                <th>TC</th>
                <th>ET</th>
              </tr>
            </thead>
            <tbody>
              {comparisons.map((c) => (
                <tr key={c.candidate.id}>
                  <td>
                    {c.candidate.name} {c.candidate.version} <span className="muted">{c.candidate.sha256.slice(0, 8)}</span>
                  </td>
                  <td>
                    {c.compared} of {c.studies}
                  </td>
                  {(['WT', 'TC', 'ET'] as const).map((r) => (
                    <td key={r}>{c.agreement[r].meanDice === null ? '—' : `mean ${c.agreement[r].meanDice.toFixed(3)}, min ${c.agreement[r].minDice!.toFixed(3)}`}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {user.role === 'admin' &&
          comparisons
            .filter((c) => c.compared > 0)
            .map((c) => (
              <details key={`switch-${c.candidate.id}`}>
                <summary>
                  Switch the trial to {c.candidate.name} {c.candidate.version} (a signed protocol amendment)
                </summary>
                <ModelSwitch trialId={trialId} candidate={{ id: c.candidate.id, label: `${c.candidate.name} ${c.candidate.version}` }} />
              </details>
            ))}
        {comparisons
          .filter((c) => c.cardMetrics !== null)
          .map((c) => (
            <details key={`card-${c.candidate.id}`}>
              <summary>
                {c.candidate.name} {c.candidate.version}: validation figures stated by its card
              </summary>
              <pre className="small">{JSON.stringify(c.cardMetrics, null, 2)}</pre>
            </details>
          ))}
      </section>

      {GROUPS.map((group) => (
        <section className="panel" key={group.key} aria-label={group.title}>
          <h2>{group.title}</h2>
          <p className="muted">{group.note}</p>
          {(Object.keys(OVERSIGHT_METRICS) as OversightMetric[])
            .filter((m) => OVERSIGHT_METRICS[m].group === group.key)
            .map((metric) => {
              const charts = dashboard.charts.filter((c) => c.metric === metric);
              return (
                <div key={metric}>
                  <h3>{OVERSIGHT_METRICS[metric].label}</h3>
                  <div className="oversight-charts">
                    {charts.map((c) =>
                      c.chart.status === 'charted' ? (
                        <ControlChartView
                          key={`${metric}-${c.siteId ?? 'all'}`}
                          chart={{
                            title: `${c.siteLabel}: ${c.n} cases, mean ${fmt(c.summary.mean)}${c.chart.signals.length ? `, ${c.chart.signals.length} point(s) past a limit` : ''}`,
                            unit: OVERSIGHT_METRICS[metric].unit,
                            mean: c.chart.baseline.mean,
                            sd: c.chart.baseline.sd,
                            lowerLimit: c.chart.lowerLimit,
                            upperLimit: c.chart.upperLimit,
                            baselineCount: c.chart.baseline.count,
                            points: c.chart.points,
                          }}
                        />
                      ) : (
                        <p className="not-charted" key={`${metric}-${c.siteId ?? 'all'}`}>
                          {c.siteLabel}: {c.n} case(s), mean {fmt(c.summary.mean)} — not charted yet: {c.chart.reason}.
                        </p>
                      ),
                    )}
                  </div>
                </div>
              );
            })}
        </section>
      ))}
    </AppShell>
  );
}
