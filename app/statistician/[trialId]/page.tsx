import '../statistician.css';
import { AppShell } from '../../_components/AppShell';
import { requireRole } from '../../_lib/session';
import { ReportNav } from '../_components/ReportNav';
import { ConsortSection, ArmComparisonSection, PerSiteSection, ExportsSection, SnapshotLine } from '../_components/ReportSections';
import { ProtocolVersionSection } from '../_components/ProtocolVersionSection';
import { loadReport } from '../_components/load-report';
import { SurvivalSection } from '../_components/SurvivalSections';
import { SensitivitySection } from '../_components/SensitivitySection';

export const dynamic = 'force-dynamic';

export default async function ReportOverview({ params }: { params: Promise<{ trialId: string }> }) {
  const user = await requireRole('statistician', 'admin', 'monitor');
  const { trialId } = await params;
  const data = await loadReport(trialId);
  // The primary outcome's type is the signed analysis plan's choice: time to event (PFS, OS) or binary.
  const primary = data.analysisPlan.primaryOutcomeType ?? 'time_to_event';
  return (
    <AppShell user={user} current="/statistician">
      <ReportNav trial={{ id: trialId, name: data.report.trial.name, status: data.report.trial.status }} current="overview" />
      <SnapshotLine report={data.report} plan={data.analysisPlan} />
      <p className="muted" data-testid="primary-outcome" data-primary={primary}>
        Primary outcome (analysis plan v{data.analysisPlan.version}): <strong>{primary === 'time_to_event' ? 'time to event' : 'binary'}</strong> ({data.analysisPlan.primaryOutcome}); the other
        analyses are secondary.
      </p>
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
      <SensitivitySection mi={data.report.multipleImputation} armLabels={[data.report.arms[0]?.label ?? 'Arm A', data.report.arms[1]?.label ?? 'Arm B']} trialId={trialId} />
      <ConsortSection consort={data.consort} />
      <PerSiteSection data={data} trialId={trialId} />
      {data.report.byProtocolVersion.versions.length > 1 && <ProtocolVersionSection report={data.report} trialId={trialId} />}
      <ExportsSection data={data} trialId={trialId} />
    </AppShell>
  );
}
