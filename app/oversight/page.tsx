import { AppShell } from '../_components/AppShell';
import { TrialsPanel } from '../_components/TrialsPanel';
import { api, requireRole } from '../_lib/session';

export const dynamic = 'force-dynamic';

export default async function OversightHome() {
  const user = await requireRole('monitor', 'admin', 'statistician');
  const trials = await (await api()).trials.list();
  return (
    <AppShell user={user} current="/oversight">
      <h1>AI oversight</h1>
      <p className="subtitle">
        How the AI behaves while each trial runs: input quality, output behaviour and human–AI interaction per site on control charts, alerts, the stop switch and the event log.
      </p>
      <TrialsPanel trials={trials} title="Trials" open={{ label: 'Open dashboard', href: (id) => `/oversight/${id}` }} />
    </AppShell>
  );
}
