import { AppShell } from '../../_components/AppShell';
import { requireRole } from '../../_lib/session';
import { loadTrialView } from '../_components/load-trial-view';
import { TrialNav } from '../_components/TrialNav';
import { TrialOverview } from '../_components/TrialOverview';

export const dynamic = 'force-dynamic';

export default async function TrialPage({ params }: { params: Promise<{ trialId: string }> }) {
  const user = await requireRole('coordinator', 'admin');
  const { trialId } = await params;
  const { caller, nav, design } = await loadTrialView(trialId);
  const overview = await caller.trials.overview({ trialId });
  return (
    <AppShell user={user} current="/coordinator">
      <TrialNav trial={nav} current="overview" />
      {!design.design && (
        <p className="panel notice" role="status">
          This trial has no design yet: set arms, randomization and eligibility on the <a href={`/coordinator/${trialId}/setup`}>setup page</a>.
        </p>
      )}
      <TrialOverview
        trialId={trialId}
        targetSampleSize={design.design?.targetSampleSize ?? null}
        arms={design.design?.randomization.arms.map((a) => ({ key: a.key, label: a.label })) ?? []}
        canAct={user.role === 'coordinator'}
        initial={overview}
      />
    </AppShell>
  );
}
