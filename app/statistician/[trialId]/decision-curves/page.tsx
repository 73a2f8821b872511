import '../../statistician.css';
import { AppShell } from '@/app/_components/AppShell';
import { requireRole } from '@/app/_lib/session';
import { ReportNav } from '../../_components/ReportNav';
import { DecisionCurvesSection, SnapshotLine } from '../../_components/ReportSections';
import { loadReport } from '../../_components/load-report';
import { SurvivalDecisionCurveSection } from '../../_components/SurvivalSections';

export const dynamic = 'force-dynamic';

export default async function DecisionCurvesPage({ params }: { params: Promise<{ trialId: string }> }) {
  const user = await requireRole('statistician', 'admin', 'monitor');
  const { trialId } = await params;
  const data = await loadReport(trialId);
  return (
    <AppShell user={user} current="/statistician">
      <ReportNav trial={{ id: trialId, name: data.report.trial.name, status: data.report.trial.status }} current="decision-curves" />
      <SnapshotLine report={data.report} plan={data.analysisPlan} />
      <DecisionCurvesSection data={data} trialId={trialId} />
      <SurvivalDecisionCurveSection data={data} />
    </AppShell>
  );
}
