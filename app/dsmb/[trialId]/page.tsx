import '../../statistician/statistician.css';
import { AppShell } from '../../_components/AppShell';
import { api, requireRole } from '../../_lib/session';
import { AnalysisPlanLine } from '../../statistician/_components/ReportSections';
import { InterimPanel, SurvivalPanel } from '../../statistician/_components/SurvivalSections';
import { loadDsmb } from '../_components/load-dsmb';
import { RecommendationForm } from '../_components/RecommendationForm';
import { RecommendationsTable } from '../_components/RecommendationsTable';

export const dynamic = 'force-dynamic';

/** The closed (unblinded, by arm) interim report: the committee's, and an explicitly unblinded statistician's. Every view is audited. */
export default async function ClosedReportPage({ params }: { params: Promise<{ trialId: string }> }) {
  const user = await requireRole('dsmb', 'statistician');
  const { trialId } = await params;
  const caller = await api();
  const { report, signatureMeaning } = await loadDsmb(trialId, () => caller.dsmb.closedReport({ trialId }));
  const recommendations = await caller.dsmb.recommendations({ trialId });
  const current = 'reason' in report.interim.current ? null : report.interim.current;
  const look = current ? Math.max(1, report.interim.design.looks.filter((l) => l.informationFraction <= current.fraction + 1e-9).length) : 1;
  return (
    <AppShell user={user} current="/dsmb">
      <p className="muted" style={{ margin: 0 }}>
        <a href="/dsmb">Data monitoring committee</a> ›
      </p>
      <h1>{report.trial.name}</h1>
      <p className="warning" data-testid="closed-report" data-report-sha256={report.reportSha256}>
        CLOSED REPORT: results by arm, for the data monitoring committee only. Do not forward. Report SHA-256 <code>{report.reportSha256.slice(0, 16)}</code>, data{' '}
        <code>{report.dataSha256.slice(0, 16)}</code>, read {report.builtAt.replace('T', ' ').slice(0, 19)} UTC.
      </p>
      <AnalysisPlanLine plan={report.plan} />
      <section className="panel" aria-label="Accrual and safety by arm">
        <h2>Accrual, follow-up and safety by arm</h2>
        <table>
          <thead>
            <tr>
              <th>Arm</th>
              <th>Randomized</th>
              <th>Withdrawn</th>
              <th>Lost to follow-up</th>
              <th>No follow-up contact</th>
              <th>Progression or death (PFS events)</th>
              <th>Deaths</th>
            </tr>
          </thead>
          <tbody>
            {report.arms.map((a) => (
              <tr key={a.arm} data-arm={a.arm}>
                <td>{a.label}</td>
                <td>{a.randomized}</td>
                <td>{a.withdrawn}</td>
                <td>{a.lostToFollowUp}</td>
                <td>{a.withoutFollowUp}</td>
                <td>{a.pfsEvents}</td>
                <td>{a.deaths}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <InterimPanel interim={report.interim} />
      <SurvivalPanel survival={report.survival} arms={report.arms} primary />
      <RecommendationsTable rows={recommendations} />
      {user.role === 'dsmb' && <RecommendationForm trialId={trialId} reportSha256={report.reportSha256} look={look} meaning={signatureMeaning} />}
    </AppShell>
  );
}
