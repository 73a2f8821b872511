import '../statistician.css';
import { AppShell } from '../../_components/AppShell';
import { requireRole } from '../../_lib/session';
import { ReportNav } from '../_components/ReportNav';
import { ConsortSection, ArmComparisonSection, PerSiteSection, ExportsSection, SnapshotLine } from '../_components/ReportSections';
import { loadReport } from '../_components/load-report';

export const dynamic = 'force-dynamic';

export default async function ReportOverview({ params }: { params: Promise<{ trialId: string }> }) {
  const user = await requireRole('statistician', 'admin', 'monitor');
  const { trialId } = await params;
  const data = await loadReport(trialId);
  return (
    <AppShell user={user} current="/statistician">
      <ReportNav trial={{ id: trialId, name: data.report.trial.name, status: data.report.trial.status }} current="overview" />
      <SnapshotLine report={data.report} />
      <ArmComparisonSection data={data} trialId={trialId} />
      <ConsortSection consort={data.consort} />
      <PerSiteSection data={data} trialId={trialId} />
      <ExportsSection data={data} trialId={trialId} />
    </AppShell>
  );
}
