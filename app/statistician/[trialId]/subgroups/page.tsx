import '../../statistician.css';
import { AppShell } from '@/app/_components/AppShell';
import { requireRole } from '@/app/_lib/session';
import { ReportNav } from '../../_components/ReportNav';
import { ForestSection, ModelSubgroupSection, SnapshotLine } from '../../_components/ReportSections';
import { loadReport } from '../../_components/load-report';

export const dynamic = 'force-dynamic';

export default async function SubgroupsPage({ params }: { params: Promise<{ trialId: string }> }) {
  const user = await requireRole('statistician', 'admin', 'monitor');
  const { trialId } = await params;
  const data = await loadReport(trialId);
  return (
    <AppShell user={user} current="/statistician">
      <ReportNav trial={{ id: trialId, name: data.report.trial.name, status: data.report.trial.status }} current="subgroups" />
      <SnapshotLine report={data.report} plan={data.analysisPlan} />
      <ForestSection data={data} trialId={trialId} />
      <ModelSubgroupSection data={data} trialId={trialId} />
    </AppShell>
  );
}
