import { AppShell } from '@/app/_components/AppShell';
import { requireRole } from '@/app/_lib/session';
import { EnrollForm } from '../../_components/EnrollForm';
import { loadTrialView } from '../../_components/load-trial-view';
import { TrialNav } from '../../_components/TrialNav';

export const dynamic = 'force-dynamic';

export default async function EnrollPage({ params }: { params: Promise<{ trialId: string }> }) {
  const user = await requireRole('coordinator', 'admin');
  const { trialId } = await params;
  const { nav, design, summary } = await loadTrialView(trialId);
  const enrolling = design.status === 'test' || design.status === 'live';
  return (
    <AppShell user={user} current="/coordinator">
      <TrialNav trial={nav} current="enroll" />
      {!design.design || !enrolling ? (
        <p className="panel notice" role="status">
          Enrollment opens when the trial is in test mode or live (it is {design.status}). Set it up on the setup page.
        </p>
      ) : user.role !== 'coordinator' ? (
        <p className="panel notice" role="status">
          Only coordinators enroll patients.
        </p>
      ) : (
        <EnrollForm
          trialId={trialId}
          mode={design.status}
          sites={summary.sites.map((s) => ({ id: s.id, code: s.code, name: s.name }))}
          factors={design.design.randomization.factors.map((f) => ({ name: f.name, levels: [...f.levels] }))}
          criteria={design.design.eligibility.map((c) => ({ ...c }))}
        />
      )}
    </AppShell>
  );
}
