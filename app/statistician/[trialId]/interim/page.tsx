import '../../statistician.css';
import { AppShell } from '@/app/_components/AppShell';
import { requireRole } from '@/app/_lib/session';
import { ReportNav } from '../../_components/ReportNav';
import { SnapshotLine } from '../../_components/ReportSections';
import { InterimSection } from '../../_components/SurvivalSections';
import { loadReport } from '../../_components/load-report';

export const dynamic = 'force-dynamic';

export default async function InterimPage({ params }: { params: Promise<{ trialId: string }> }) {
  const user = await requireRole('statistician', 'admin', 'monitor');
  const { trialId } = await params;
  const data = await loadReport(trialId);
  return (
    <AppShell user={user} current="/statistician">
      <ReportNav trial={{ id: trialId, name: data.report.trial.name, status: data.report.trial.status }} current="interim" />
      <SnapshotLine report={data.report} plan={data.analysisPlan} />
      <InterimSection data={data} />
    </AppShell>
  );
}
