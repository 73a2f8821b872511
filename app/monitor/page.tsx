import { AppShell } from '../_components/AppShell';
import { api, requireRole } from '../_lib/session';

export const dynamic = 'force-dynamic';

export default async function MonitorHome() {
  const user = await requireRole('monitor', 'admin');
  const caller = await api();
  const [trials, chain] = await Promise.all([caller.trials.list(), caller.admin.verifyAudit()]);
  const trails = await Promise.all(
    trials.map(async (t) => {
      const [events, unblindings, participants] = await Promise.all([caller.admin.auditTrail({ trialId: t.id, limit: 50 }), caller.trials.unblindings({ trialId: t.id }), caller.participants.list({ trialId: t.id })]);
      const byId = new Map(participants.map((p) => [p.id, p]));
      return { trial: t, events, unblindings: unblindings.map((u) => ({ ...u, studyId: byId.get(u.participantId)?.studyId ?? '(other mode)', site: byId.get(u.participantId)?.site ?? '' })) };
    }),
  );
  return (
    <AppShell user={user} current="/monitor">
      <h1>Monitoring</h1>
      <p className="subtitle">Emergency unblindings, the audit trail of every trial you monitor, and the integrity of its hash chain.</p>
      <section className="panel" aria-label="Audit chain">
        <h2>Audit chain</h2>
        {chain.ok ? (
          <p>
            <span className="badge ok">verified</span> {chain.rowsChecked} rows; head <code>{chain.headHash.slice(0, 16)}…</code>
          </p>
        ) : (
          <p>
            <span className="badge bad">broken</span> first mismatch at row {chain.firstBadRowId} ({chain.reason})
          </p>
        )}
      </section>
      {trails.map(({ trial, unblindings }) => (
        <section className="panel" key={`u-${trial.id}`} aria-label={`Emergency unblindings ${trial.name}`}>
          <h2>
            {trial.name}: emergency unblindings <span className={unblindings.length ? 'badge warn' : 'badge'}>{unblindings.length}</span>
          </h2>
          {unblindings.length === 0 ? (
            <p className="muted">No participant has been unblinded.</p>
          ) : (
            <table data-testid="unblindings">
              <thead>
                <tr>
                  <th>Time (UTC)</th>
                  <th>Study ID</th>
                  <th>Site</th>
                  <th>Unblinded by</th>
                  <th>Reason</th>
                </tr>
              </thead>
              <tbody>
                {unblindings.map((u) => (
                  <tr key={u.id}>
                    <td>{u.unblindedAt.toISOString().replace('T', ' ').slice(0, 19)}</td>
                    <td>{u.studyId}</td>
                    <td>{u.site}</td>
                    <td>{u.by}</td>
                    <td>{u.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ))}
      {trails.map(({ trial, events }) => (
        <section className="panel" key={trial.id} aria-label={`Audit trail ${trial.name}`}>
          <h2>{trial.name}: latest events</h2>
          <table>
            <thead>
              <tr>
                <th>#</th>
                <th>Time (UTC)</th>
                <th>Action</th>
                <th>Actor role</th>
                <th>Entity</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={e.id}>
                  <td>{e.id}</td>
                  <td>{e.occurredAt.toISOString().replace('T', ' ').slice(0, 19)}</td>
                  <td>{e.action}</td>
                  <td>{e.actorRole ?? 'system'}</td>
                  <td>{e.entityType}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </AppShell>
  );
}
