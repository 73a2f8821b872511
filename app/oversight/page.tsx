import Link from 'next/link';
import { AppShell } from '../_components/AppShell';
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
      <section className="panel" aria-label="Trials">
        <h2>Trials</h2>
        {trials.length === 0 ? (
          <p className="muted">You are not a member of any trial yet.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Trial</th>
                <th>Status</th>
                <th>Sites</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {trials.map((t) => (
                <tr key={t.id}>
                  <td>{t.name}</td>
                  <td>
                    <span className="badge">{t.status}</span>
                  </td>
                  <td>{t.sites.map((s) => s.code).join(', ')}</td>
                  <td>
                    <Link href={`/oversight/${t.id}`}>Open dashboard</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </AppShell>
  );
}
