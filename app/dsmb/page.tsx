import { AppShell } from '../_components/AppShell';
import { TrialsPanel } from '../_components/TrialsPanel';
import { api, requireRole } from '../_lib/session';

export const dynamic = 'force-dynamic';

export default async function DsmbHome() {
  const user = await requireRole('dsmb');
  const trials = await (await api()).trials.list();
  return (
    <AppShell user={user} current="/dsmb">
      <h1>Data monitoring committee</h1>
      <p className="subtitle">Closed interim reports by arm (for the committee only), the open report for the trial team, and the committee&apos;s signed recommendations.</p>
      <TrialsPanel trials={trials} title="Trials" open={{ label: 'Closed report', href: (id) => `/dsmb/${id}` }} />
    </AppShell>
  );
}
