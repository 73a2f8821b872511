import Link from 'next/link';
import { AUDIT_EVENTS } from '../../server/domain/audit/audit-events';
import { AppShell } from '../_components/AppShell';
import { AmendmentList } from '../coordinator/_components/AmendmentList';
import { api, requireRole } from '../_lib/session';
import { AuditTrailBrowser } from './_components/AuditTrailBrowser';
import { QueryPanel } from './_components/QueryPanel';
import { UnblindingList } from './_components/UnblindingList';

export const dynamic = 'force-dynamic';

export default async function MonitorHome() {
  const user = await requireRole('monitor', 'admin');
  const caller = await api();
  const [trials, chain] = await Promise.all([caller.trials.list(), caller.admin.verifyAudit()]);
  const monitored = await Promise.all(
    trials.map(async (t) => {
      const [unblindings, participants, queries, amendments] = await Promise.all([
        caller.trials.unblindings({ trialId: t.id }),
        caller.participants.list({ trialId: t.id }),
        caller.queries.list({ trialId: t.id }),
        caller.trials.amendments({ trialId: t.id }),
      ]);
      const byId = new Map(participants.map((p) => [p.id, p]));
      return {
        trial: t,
        queries,
        amendments,
        participants: participants.map((p) => ({ id: p.id, studyId: p.studyId })),
        unblindings: unblindings.map((u) => ({ ...u, studyId: byId.get(u.participantId)?.studyId ?? '(other mode)', site: byId.get(u.participantId)?.site ?? '' })),
      };
    }),
  );
  const actions = Object.keys(AUDIT_EVENTS);
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
      {monitored.map(({ trial, unblindings }) => (
        <section className="panel" key={`u-${trial.id}`} aria-label={`Emergency unblindings ${trial.name}`}>
          <h2>
            {trial.name}: emergency unblindings <span className={unblindings.some((u) => !u.acknowledged) ? 'badge warn' : 'badge'}>{unblindings.length}</span>
          </h2>
          <UnblindingList trialId={trial.id} unblindings={unblindings} canAcknowledge={user.role === 'monitor'} />
        </section>
      ))}
      {monitored.map(({ trial, participants, queries }) => (
        <section className="panel" key={`q-${trial.id}`} aria-label={`Data queries ${trial.name}`}>
          <h2>
            {trial.name}: data queries <span className={queries.some((q) => q.status !== 'closed') ? 'badge warn' : 'badge'}>{queries.filter((q) => q.status !== 'closed').length} open</span>
          </h2>
          <QueryPanel trialId={trial.id} queries={queries} participants={participants} mode={user.role === 'monitor' ? 'monitor' : 'site'} />
          <p>
            <Link href={`/monitor/${trial.id}/sdv`}>Source data verification →</Link>
          </p>
        </section>
      ))}
      {monitored.map(({ trial, amendments }) => (
        <section className="panel" key={`a-${trial.id}`} aria-label={`Protocol amendments ${trial.name}`}>
          <h2>
            {trial.name}: protocol version {amendments[0]?.version ?? 1}
          </h2>
          <AmendmentList amendments={amendments} />
        </section>
      ))}
      {monitored.map(({ trial, participants }) => (
        <section className="panel" key={trial.id} aria-label={`Audit trail ${trial.name}`}>
          <h2>{trial.name}: audit trail</h2>
          <AuditTrailBrowser trialId={trial.id} participants={participants} actions={actions} />
        </section>
      ))}
    </AppShell>
  );
}
