import Link from 'next/link';
import { AppShell } from '../_components/AppShell';
import { api, requireRole } from '../_lib/session';
import { CreateTrialForm } from './_components/CreateTrialForm';

export const dynamic = 'force-dynamic';

export default async function CoordinatorHome() {
  const user = await requireRole('coordinator', 'admin');
  const trials = await (await api()).trials.list();
  return (
    <AppShell user={user} current="/coordinator">
      <h1>Trial coordination</h1>
      <p className="subtitle">Set up trials, enroll and randomize patients, attach their MRI studies.</p>
      <section className="panel" aria-label="Your trials">
        <h2>Your trials</h2>
        {trials.length === 0 ? (
          <p className="muted">You are not a member of any trial yet.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Trial</th>
                <th>Status</th>
                <th>Sites you can see</th>
              </tr>
            </thead>
            <tbody>
              {trials.map((t) => (
                <tr key={t.id}>
                  <td>
                    <Link href={`/coordinator/${t.id}`}>{t.name}</Link>
                  </td>
                  <td>
                    <span className="badge">{t.status === 'test' ? 'test mode' : t.status}</span>
                  </td>
                  <td>
                    {t.sites.map((s) => (
                      <span key={s.id} className={s.isExternal ? 'badge warn' : 'badge'} style={{ marginRight: 6 }} title={s.name}>
                        {s.code}
                        {s.isExternal ? ' (external)' : ''}
                      </span>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <CreateTrialForm />
    </AppShell>
  );
}
