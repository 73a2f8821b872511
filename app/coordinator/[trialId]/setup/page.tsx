import { AppShell } from '@/app/_components/AppShell';
import { requireRole } from '@/app/_lib/session';
import { DesignEditor } from '../../_components/DesignEditor';
import { DesignSimulationPanel } from '../../_components/DesignSimulationPanel';
import { loadTrialView } from '../../_components/load-trial-view';
import { TrialNav } from '../../_components/TrialNav';

export const dynamic = 'force-dynamic';

export default async function TrialSetupPage({ params }: { params: Promise<{ trialId: string }> }) {
  const user = await requireRole('coordinator', 'admin');
  const { trialId } = await params;
  const { caller, nav, design } = await loadTrialView(trialId);
  const simulations = await caller.randomizationDesign.stored({ trialId });
  return (
    <AppShell user={user} current="/coordinator">
      <TrialNav trial={nav} current="setup" />
      <DesignEditor
        trialId={trialId}
        status={design.status}
        liveAt={design.liveAt}
        design={design.design}
        commitments={design.commitments.map((c) => ({ mode: c.mode, period: c.period, commitmentHash: c.commitmentHash, algorithmVersion: c.algorithmVersion, createdAt: c.createdAt }))}
      />
      <DesignSimulationPanel trialId={trialId} status={design.status} targetSampleSize={design.design?.targetSampleSize ?? null} stored={simulations} />
    </AppShell>
  );
}
