import { AppShell } from '../_components/AppShell';
import { TrialsPanel } from '../_components/TrialsPanel';
import { api, requireRole } from '../_lib/session';

export const dynamic = 'force-dynamic';

export default async function ClinicianHome() {
  const user = await requireRole('clinician');
  const trials = await (await api()).trials.list();
  return (
    <AppShell user={user} current="/clinician">
      <h1>Worklist</h1>
      <p className="subtitle">Cases assigned to you for review, by trial and site.</p>
      <section className="panel" aria-label="Assigned cases">
        <h2>Assigned cases</h2>
        <p className="muted">No cases are assigned to you yet.</p>
      </section>
      <TrialsPanel trials={trials} />
    </AppShell>
  );
}
