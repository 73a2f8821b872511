import { AppShell } from '@/app/_components/AppShell';
import { requireRole } from '@/app/_lib/session';
import { AMENDMENT_SIGNATURE_MEANING } from '@/server/domain/trials/amend-protocol';
import { AmendmentForm } from '../../_components/AmendmentForm';
import { AmendmentList } from '../../_components/AmendmentList';
import { loadTrialView } from '../../_components/load-trial-view';
import { TrialNav } from '../../_components/TrialNav';

export const dynamic = 'force-dynamic';

/** Protocol amendments of a trial: the versions signed so far (what changed, who signed, when), and a new one for a live trial. */
export default async function AmendmentsPage({ params }: { params: Promise<{ trialId: string }> }) {
  const user = await requireRole('coordinator', 'admin');
  const { trialId } = await params;
  const { caller, nav, design, summary } = await loadTrialView(trialId);
  const [amendments, participants] = await Promise.all([caller.trials.amendments({ trialId }), caller.participants.list({ trialId })]);
  const version = amendments[0]?.version ?? 1;
  const enrolledUnder = new Map<number, number>();
  for (const p of participants) enrolledUnder.set(p.protocolVersion, (enrolledUnder.get(p.protocolVersion) ?? 0) + 1);
  return (
    <AppShell user={user} current="/coordinator">
      <TrialNav trial={nav} current="amendments" />
      <section className="panel" aria-label="Protocol versions">
        <h2>
          Protocol version <span data-testid="protocol-version">{version}</span> in force
        </h2>
        <p className="muted" style={{ fontSize: 13 }}>
          Version 1 is the design frozen at go-live{design.liveAt ? ` (${design.liveAt.toISOString().slice(0, 10)})` : ''}. Participants enrolled under each version:{' '}
          <span data-testid="enrolled-per-version">
            {[...enrolledUnder.entries()]
              .sort(([a], [b]) => a - b)
              .map(([v, n]) => `v${v}: ${n}`)
              .join(' · ') || 'none yet'}
          </span>
          .
        </p>
        <AmendmentList amendments={amendments} />
      </section>
      {design.status !== 'live' ? (
        <p className="panel notice" role="status">
          {design.status === 'closed'
            ? 'The trial is closed: its protocol is no longer amended.'
            : 'Before go-live the design is changed directly on the setup page; amendments apply to a live trial.'}
        </p>
      ) : !summary.fullAccess ? (
        <p className="panel notice" role="status" data-testid="amend-needs-all-sites">
          Amending the protocol needs access to every site of the trial (a trial-wide coordinator or an admin); your access covers {summary.sites.map((s) => s.code).join(', ')}.
        </p>
      ) : (
        design.design && <AmendmentForm trialId={trialId} design={design.design} nextVersion={version + 1} meaning={AMENDMENT_SIGNATURE_MEANING} />
      )}
    </AppShell>
  );
}
