import Link from 'next/link';
import { notFound } from 'next/navigation';
import { AppShell } from '@/app/_components/AppShell';
import { api, requireRole } from '@/app/_lib/session';
import { SourceVerificationPanel } from '../../_components/SourceVerificationPanel';

export const dynamic = 'force-dynamic';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Source data verification of one trial: progress per participant (data points verified of all,
 * open queries), and for the chosen participant each data point with its recorded value, to mark
 * verified against the source documents or to query.
 */
export default async function SourceVerificationPage({ params, searchParams }: { params: Promise<{ trialId: string }>; searchParams: Promise<{ participant?: string; site?: string }> }) {
  const user = await requireRole('monitor', 'admin');
  const { trialId } = await params;
  const { participant, site } = await searchParams;
  if (!UUID.test(trialId) || (participant !== undefined && !UUID.test(participant))) notFound();
  const caller = await api();
  const trial = (await caller.trials.list()).find((t) => t.id === trialId);
  if (!trial) notFound();
  const data = await caller.queries.sourceData({ trialId, participantId: participant });
  const rows = site ? data.participants.filter((p) => p.site === site) : data.participants;
  const complete = data.participants.filter((p) => p.verified === p.total).length;
  const points = data.participants.reduce((s, p) => s + p.total, 0);
  const verified = data.participants.reduce((s, p) => s + p.verified, 0);
  return (
    <AppShell user={user} current="/monitor">
      <p className="muted" style={{ margin: 0 }}>
        <Link href="/monitor">Monitoring</Link> ›
      </p>
      <h1>{trial.name}: source data verification</h1>
      <p className="subtitle" data-testid="sdv-progress">
        {verified} of {points} data points verified; {complete} of {data.participants.length} participants fully verified.
      </p>
      {data.selected && (
        <section className="panel" aria-label="Participant data points">
          <h2>
            Participant <span data-testid="sdv-participant">{data.selected.studyId}</span> <span className="badge">{data.selected.site}</span>{' '}
            <span className={data.selected.verified === data.selected.total ? 'badge ok' : 'badge warn'}>
              {data.selected.verified} / {data.selected.total} verified
            </span>
          </h2>
          <SourceVerificationPanel trialId={trialId} participantId={data.selected.participantId} points={data.selected.points} canVerify={user.role === 'monitor'} />
        </section>
      )}
      <section className="panel" aria-label="Verification progress">
        <h2>Participants</h2>
        <p className="muted" style={{ fontSize: 13 }}>
          Site:{' '}
          {[undefined, ...trial.sites.map((s) => s.code)].map((code) => (
            <span key={code ?? 'all'} style={{ marginRight: 8 }}>
              {code === site ? <strong>{code ?? 'all'}</strong> : <Link href={`/monitor/${trialId}/sdv${code ? `?site=${code}` : ''}`}>{code ?? 'all'}</Link>}
            </span>
          ))}
        </p>
        <table data-testid="sdv-participants" style={{ fontSize: 13 }}>
          <thead>
            <tr>
              <th>Site</th>
              <th>Participant</th>
              <th>Verified</th>
              <th>Open queries</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((p) => (
              <tr key={p.participantId} data-study-id={p.studyId}>
                <td>{p.site}</td>
                <td>{p.studyId}</td>
                <td>
                  <span className={p.verified === p.total ? 'badge ok' : p.verified > 0 ? 'badge' : 'badge warn'}>
                    {p.verified} / {p.total}
                  </span>
                </td>
                <td>{p.openQueries || '—'}</td>
                <td>
                  <Link href={`/monitor/${trialId}/sdv?participant=${p.participantId}${site ? `&site=${site}` : ''}`}>Verify</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </AppShell>
  );
}
