import '../statistician.css';
import { AppShell } from '../../_components/AppShell';
import { requireRole } from '../../_lib/session';
import { ReportNav } from '../_components/ReportNav';
import { ConsortSection, ArmComparisonSection, PerSiteSection, ExportsSection, SnapshotLine } from '../_components/ReportSections';
import { loadReport } from '../_components/load-report';
import { SurvivalSection } from '../_components/SurvivalSections';
import Link from 'next/link';

export const dynamic = 'force-dynamic';

export default async function ReportOverview({ params, searchParams }: { params: Promise<{ trialId: string }>; searchParams: Promise<{ primary?: string }> }) {
  const user = await requireRole('statistician', 'admin', 'monitor');
  const { trialId } = await params;
  const data = await loadReport(trialId);
  // The primary outcome's type is a design choice: time to event (PFS) or binary (progression-free at 6 months).
  const primary = (await searchParams).primary === 'binary' ? 'binary' : 'time_to_event';
  return (
    <AppShell user={user} current="/statistician">
      <ReportNav trial={{ id: trialId, name: data.report.trial.name, status: data.report.trial.status }} current="overview" />
      <SnapshotLine report={data.report} />
      <nav className="tabs" aria-label="Primary outcome type" data-primary={primary}>
        <span className="muted">Primary outcome: </span>
        <Link href={`/statistician/${trialId}?primary=time_to_event`} aria-current={primary === 'time_to_event' ? 'page' : undefined}>
          Time to event (PFS)
        </Link>
        {' · '}
        <Link href={`/statistician/${trialId}?primary=binary`} aria-current={primary === 'binary' ? 'page' : undefined}>
          Binary (progression-free at 6 months)
        </Link>
      </nav>
      {primary === 'time_to_event' ? (
        <>
          <SurvivalSection data={data} primary />
          <ArmComparisonSection data={data} trialId={trialId} />
        </>
      ) : (
        <>
          <ArmComparisonSection data={data} trialId={trialId} />
          <SurvivalSection data={data} primary={false} />
        </>
      )}
      <ConsortSection consort={data.consort} />
      <PerSiteSection data={data} trialId={trialId} />
      <ExportsSection data={data} trialId={trialId} />
    </AppShell>
  );
}
