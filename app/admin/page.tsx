import { AppShell } from '../_components/AppShell';
import { TrialsPanel } from '../_components/TrialsPanel';
import { ModelRegistry } from './_components/ModelRegistry';
import { BackupStatus } from './_components/BackupStatus';
import { api, requireRole } from '../_lib/session';

export const dynamic = 'force-dynamic';

export default async function AdminHome() {
  const user = await requireRole('admin');
  const caller = await api();
  const [users, trials, chain, models] = await Promise.all([caller.admin.listUsers(), caller.trials.list(), caller.admin.verifyAudit(), caller.admin.listModels()]);
  const now = new Date();
  return (
    <AppShell user={user} current="/admin">
      <h1>Administration</h1>
      <p className="subtitle">Accounts, trials and the integrity of the audit trail.</p>
      <div className="grid">
        <section className="panel" aria-label="Audit chain">
          <h2>Audit chain</h2>
          {chain.ok ? (
            <p>
              <span className="badge ok">verified</span> {chain.rowsChecked} rows
            </p>
          ) : (
            <p>
              <span className="badge bad">broken</span> at row {chain.firstBadRowId}
            </p>
          )}
        </section>
      </div>
      <section className="panel" aria-label="Accounts">
        <h2>Accounts</h2>
        <table>
          <thead>
            <tr>
              <th>Username</th>
              <th>Name</th>
              <th>Role</th>
              <th>State</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id}>
                <td>{u.username}</td>
                <td>{u.displayName}</td>
                <td>{u.role}</td>
                <td>
                  {u.disabled ? (
                    <span className="badge bad">disabled</span>
                  ) : u.lockedUntil && u.lockedUntil > now ? (
                    <span className="badge warn">locked</span>
                  ) : (
                    <span className="badge ok">active</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted">New accounts: <code>npx segtrial user add --username NAME --role ROLE</code>.</p>
      </section>
      <TrialsPanel trials={trials} title="Trials" />
      <ModelRegistry initial={models} />
      <BackupStatus />
    </AppShell>
  );
}
