import Link from 'next/link';
import { AppShell } from '../_components/AppShell';
import { api, requireRole } from '../_lib/session';

export const dynamic = 'force-dynamic';

export default async function StatisticianHome() {
  const user = await requireRole('statistician', 'admin', 'monitor');
  const trials = await (await api()).trials.list();
  return (
    <AppShell user={user} current="/statistician">
      <h1>Analysis</h1>
      <p className="subtitle">Outcomes by arm, decision curves, subgroup and bias reports, external validation, exports.</p>
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
                  <td>{t.sites.map((s) => `${s.code}${s.isExternal ? ' (external)' : ''}`).join(', ')}</td>
                  <td>
                    <Link href={`/statistician/${t.id}`}>Open report</Link>
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
