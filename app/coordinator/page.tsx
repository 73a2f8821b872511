import { AppShell } from '../_components/AppShell';
import { TrialsPanel } from '../_components/TrialsPanel';
import { api, requireRole } from '../_lib/session';

export const dynamic = 'force-dynamic';

export default async function CoordinatorHome() {
  const user = await requireRole('coordinator', 'admin');
  const trials = await (await api()).trials.list();
  return (
    <AppShell user={user} current="/coordinator">
      <h1>Trial coordination</h1>
      <p className="subtitle">Set up trials, enroll and randomize patients, attach their MRI studies.</p>
      <TrialsPanel trials={trials} />
    </AppShell>
  );
}
