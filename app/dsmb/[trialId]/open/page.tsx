import '@/app/statistician/statistician.css';
import { AppShell } from '@/app/_components/AppShell';
import { api, requireRole } from '@/app/_lib/session';
import { AnalysisPlanLine } from '@/app/statistician/_components/ReportSections';
import { fmt } from '@/app/statistician/_components/format';
import { loadDsmb } from '../../_components/load-dsmb';
import { RecommendationsTable } from '../../_components/RecommendationsTable';

export const dynamic = 'force-dynamic';

/** The open interim report: pooled over the arms (accrual, events, information reached, planned boundaries) for the trial team. */
export default async function OpenReportPage({ params }: { params: Promise<{ trialId: string }> }) {
  const user = await requireRole('dsmb', 'statistician', 'monitor', 'admin');
  const { trialId } = await params;
  const caller = await api();
  const report = await loadDsmb(trialId, () => caller.dsmb.openReport({ trialId }));
  const recommendations = await caller.dsmb.recommendations({ trialId });
  const info = report.information;
  return (
    <AppShell user={user} current={user.role === 'dsmb' ? '/dsmb' : '/statistician'}>
      <h1>{report.trial.name}: open interim report</h1>
      <p className="muted" data-testid="open-report">
        Pooled over the arms: no result by arm appears here. Report SHA-256 <code>{report.reportSha256.slice(0, 16)}</code>, read {report.builtAt.replace('T', ' ').slice(0, 19)} UTC.
      </p>
      <AnalysisPlanLine plan={report.plan} />
      <section className="panel" aria-label="Accrual">
        <h2>Accrual and follow-up</h2>
        <p>
          {report.randomized} randomized; {report.withdrawn} withdrawn, {report.lostToFollowUp} lost to follow-up, {report.withoutFollowUp} without any follow-up contact. Pooled events:{' '}
          {report.pooledEvents.pfs} progressions or deaths, {report.pooledEvents.os} deaths.
        </p>
        <table>
          <thead>
            <tr>
              <th>Site</th>
              <th>Randomized</th>
            </tr>
          </thead>
          <tbody>
            {report.bySite.map((s) => (
              <tr key={s.site}>
                <td>{s.name}</td>
                <td>{s.randomized}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="panel" aria-label="Information">
        <h2>Information and planned boundaries ({info.endpoint.toUpperCase()})</h2>
        <p data-testid="information-fraction">
          {info.events} of a maximum of {info.maxEvents} events (information fraction {fmt(info.fraction, 3)})
          {info.nextLook ? `; look ${info.nextLook.look} is due at ${info.nextLook.eventsNeeded} events.` : '; every planned look is reached.'}
        </p>
        <table>
          <thead>
            <tr>
              <th>Look</th>
              <th>Information fraction</th>
              <th>Efficacy z</th>
              <th>Futility z (non-binding)</th>
              <th>Cumulative α</th>
            </tr>
          </thead>
          <tbody>
            {report.boundaries.map((b) => (
              <tr key={b.look}>
                <td>{b.look}</td>
                <td>{fmt(b.informationFraction, 3)}</td>
                <td>{fmt(b.efficacy, 4)}</td>
                <td>{b.futility === null ? '—' : fmt(b.futility, 4)}</td>
                <td>{fmt(b.cumulativeAlpha, 5)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <RecommendationsTable rows={recommendations} />
    </AppShell>
  );
}
