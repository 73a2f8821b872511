import { AppShell } from '../_components/AppShell';
import { TrialsPanel } from '../_components/TrialsPanel';
import { api, requireRole } from '../_lib/session';

export const dynamic = 'force-dynamic';

export default async function StatisticianHome() {
  const user = await requireRole('statistician', 'admin', 'monitor');
  const trials = await (await api()).trials.list();
  return (
    <AppShell user={user} current="/statistician">
      <h1>Analysis</h1>
      <p className="subtitle">Outcomes by arm, decision curves, subgroup and bias reports, external validation, exports.</p>
      <TrialsPanel trials={trials} title="Trials" open={{ label: 'Open report', href: (id) => `/statistician/${id}` }} />
    </AppShell>
  );
}
