import Link from 'next/link';
import type { ReviewStatus } from '../../db/schema/review';
import { AppShell } from '../_components/AppShell';
import { TrialsPanel } from '../_components/TrialsPanel';
import { api, requireRole } from '../_lib/session';

export const dynamic = 'force-dynamic';

const REVIEW_STATUSES: readonly ReviewStatus[] = ['new', 'in_review', 'signed'];
const STATUS_LABEL: Record<ReviewStatus, string> = { new: 'New', in_review: 'In review', signed: 'Signed' };
const STATUS_BADGE: Record<ReviewStatus, string> = { new: 'badge', in_review: 'badge warn', signed: 'badge ok' };

type Search = { status?: string; site?: string; q?: string; trial?: string };

/** The worklist: the clinician's cases by trial and site, with their own review state. No arm is shown. */
export default async function ClinicianHome({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requireRole('clinician');
  const params = await searchParams;
  const status = (REVIEW_STATUSES as readonly string[]).includes(params.status ?? '') ? (params.status as ReviewStatus) : undefined;
  const caller = await api();
  const [trials, cases, all] = await Promise.all([
    caller.trials.list(),
    caller.review.worklist({ status, siteCode: params.site || undefined, search: params.q?.slice(0, 60) || undefined, trialId: trialIdParam(params.trial) }),
    caller.review.worklist({}),
  ]);
  const counts = Object.fromEntries(REVIEW_STATUSES.map((s) => [s, all.filter((c) => c.status === s).length])) as Record<ReviewStatus, number>;
  const siteCodes = [...new Set(all.map((c) => c.site))].sort();
  return (
    <AppShell user={user} current="/clinician">
      <h1>Worklist</h1>
      <p className="subtitle">Cases assigned to you for review, by trial and site.</p>
      <section className="panel" aria-label="Assigned cases">
        <h2>Assigned cases</h2>
        <form method="get" style={{ display: 'flex', gap: 12, alignItems: 'flex-end', flexWrap: 'wrap', marginBottom: 12 }} aria-label="Filters">
          <label style={{ margin: 0 }}>
            Status
            <select name="status" defaultValue={status ?? ''}>
              <option value="">All ({all.length})</option>
              {REVIEW_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {STATUS_LABEL[s]} ({counts[s]})
                </option>
              ))}
            </select>
          </label>
          <label style={{ margin: 0 }}>
            Site
            <select name="site" defaultValue={params.site ?? ''}>
              <option value="">All sites</option>
              {siteCodes.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <label style={{ margin: 0 }}>
            Participant
            <input name="q" defaultValue={params.q ?? ''} placeholder="Study ID contains…" />
          </label>
          <button type="submit">Filter</button>
          <Link href="/clinician">Clear</Link>
        </form>
        {cases.length === 0 ? (
          <p className="muted">{all.length === 0 ? 'No cases are assigned to you yet.' : 'No case matches these filters.'}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Participant</th>
                <th>Trial</th>
                <th>Site</th>
                <th>MRI study received (UTC)</th>
                <th>Status</th>
                <th>Signed (UTC)</th>
              </tr>
            </thead>
            <tbody>
              {cases.map((c) => (
                <tr key={c.caseId} data-testid="worklist-row">
                  <td>
                    <Link href={`/clinician/cases/${c.caseId}`}>{c.participantCode}</Link>
                  </td>
                  <td>{c.trialName}</td>
                  <td>{c.site}</td>
                  <td>{utc(c.ingestedAt)}</td>
                  <td>
                    <span className={STATUS_BADGE[c.status]}>{STATUS_LABEL[c.status]}</span>
                    {c.participantWithdrawn && (
                      <span className="badge bad" style={{ marginLeft: 6 }}>
                        participant withdrawn
                      </span>
                    )}
                  </td>
                  <td>{c.signedAt ? utc(c.signedAt) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <TrialsPanel trials={trials} />
    </AppShell>
  );
}

function utc(d: Date): string {
  return `${d.toISOString().slice(0, 16).replace('T', ' ')}`;
}

function trialIdParam(value: string | undefined): string | undefined {
  return value && /^[0-9a-f-]{36}$/i.test(value) ? value : undefined;
}
