import { AppShell } from '../_components/AppShell';
import { TrialsPanel } from '../_components/TrialsPanel';
import { ModelRegistry } from './_components/ModelRegistry';
import { UserAdmin } from './_components/UserAdmin';
import { BackupStatus } from './_components/BackupStatus';
import { api, requireRole } from '../_lib/session';

export const dynamic = 'force-dynamic';

export default async function AdminHome() {
  const user = await requireRole('admin');
  const caller = await api();
  const [users, trials, chain, models] = await Promise.all([caller.admin.listUsers(), caller.trials.list(), caller.admin.verifyAudit(), caller.admin.listModels()]);
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
      <UserAdmin users={users} trials={trials} currentUserId={user.id} />
      <TrialsPanel trials={trials} title="Trials" />
      <ModelRegistry initial={models} />
      <BackupStatus />
    </AppShell>
  );
}
