'use client';
import Link from 'next/link';
import { useCallback, useEffect, useState } from 'react';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/routers/_app';
import { trpc } from '../../_lib/trpc-client';
import { BalanceDashboard } from './BalanceDashboard';
import { ConsortDiagram } from './ConsortDiagram';
import { RandomizeButton } from './RandomizeButton';

type Outputs = inferRouterOutputs<AppRouter>;
export type OverviewData = Outputs['trials']['overview'];

const REFRESH_MS = 5000;
/** Rows shown before "Show more": a live trial lists hundreds of patients. */
const PAGE = 25;

/**
 * The live part of a trial's page: CONSORT flow, balance and the patient list (one `trials.overview`
 * request), refreshed every few seconds (another coordinator may be enrolling at another site) and at
 * once after an action here.
 */
export function TrialOverview({
  trialId,
  arms,
  targetSampleSize,
  canAct,
  initial,
}: {
  trialId: string;
  arms: { key: string; label: string }[];
  targetSampleSize: number | null;
  canAct: boolean;
  initial: OverviewData;
}) {
  const [data, setData] = useState(initial);
  const [stale, setStale] = useState(false);
  const [filter, setFilter] = useState({ text: '', status: '', site: '' });
  const [limit, setLimit] = useState(PAGE);
  const refresh = useCallback(async () => {
    try {
      setData(await trpc.trials.overview.query({ trialId }));
      setStale(false);
    } catch {
      setStale(true);
    }
  }, [trialId]);
  useEffect(() => {
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [refresh]);

  const armLabel = (key: string | null) => arms.find((a) => a.key === key)?.label ?? key;
  const { participants } = data;
  const sites = [...new Set(participants.map((p) => p.site))].sort();
  const shown = participants.filter(
    (p) => (!filter.text || p.studyId.includes(filter.text.trim().toUpperCase())) && (!filter.status || p.status === filter.status) && (!filter.site || p.site === filter.site),
  );
  return (
    <>
      <section className="panel" aria-label="CONSORT flow diagram">
        <h2>
          CONSORT flow {stale && <span className="badge warn">not refreshed</span>}
          {targetSampleSize !== null && (
            <span className="muted" style={{ fontWeight: 400, marginLeft: 12 }}>
              {data.consort.randomized} of {targetSampleSize} randomized
            </span>
          )}
        </h2>
        <ConsortDiagram counts={data.consort} />
      </section>
      <BalanceDashboard balance={data.balance} arms={arms} />
      <section className="panel" aria-label="Patients">
        <h2>
          Patients ({participants.length}){' '}
          {canAct && (
            <Link className="button small" href={`/coordinator/${trialId}/enroll`}>
              Enroll a patient
            </Link>
          )}
        </h2>
        {participants.length > 10 && (
          <div className="row" role="search" aria-label="Filter patients">
            <label>
              Study ID
              <input
                value={filter.text}
                onChange={(e) => {
                  setFilter({ ...filter, text: e.target.value });
                  setLimit(PAGE);
                }}
                placeholder="SA-00"
              />
            </label>
            <label className="narrow">
              Status
              <select value={filter.status} onChange={(e) => setFilter({ ...filter, status: e.target.value })}>
                <option value="">all</option>
                <option value="enrolled">enrolled</option>
                <option value="randomized">randomized</option>
                <option value="excluded">excluded</option>
              </select>
            </label>
            <label className="narrow">
              Site
              <select value={filter.site} onChange={(e) => setFilter({ ...filter, site: e.target.value })}>
                <option value="">all</option>
                {sites.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            </label>
            <span className="muted" style={{ marginBottom: 12 }}>
              {shown.length} shown
            </span>
          </div>
        )}
        {participants.length === 0 ? (
          <p className="muted">No patients enrolled in this mode yet.</p>
        ) : (
          <table data-testid="patient-list">
            <thead>
              <tr>
                <th>Study ID</th>
                <th>Site</th>
                <th>Consent</th>
                <th>Status</th>
                <th>Arm</th>
                <th>Imaging</th>
                <th>Segmentation</th>
                <th>Follow-up events</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {shown.slice(0, limit).map((p) => (
                <tr key={p.id} data-study-id={p.studyId}>
                  <td>
                    <Link href={`/coordinator/${trialId}/participants/${p.id}`}>{p.studyId}</Link>
                  </td>
                  <td>{p.site}</td>
                  <td>{p.consentDate ?? '—'}</td>
                  <td>
                    <StatusBadge status={p.status} exclusionReason={p.exclusionReason} eligibility={p.eligibilityState} />
                  </td>
                  <td>{p.randomized ? p.arm ? armLabel(p.arm) : <span className="muted">concealed</span> : '—'}</td>
                  <td>{p.imaging.studies === 0 ? '—' : `${p.imaging.studies} ${p.imaging.studies === 1 ? 'study' : 'studies'}`}</td>
                  <td>{p.imaging.segmentation === null ? '—' : (SEGMENTATION_LABEL[p.imaging.segmentation] ?? p.imaging.segmentation)}</td>
                  <td>{p.events.length === 0 ? '—' : p.events.map((e) => e.kind.replace(/_/g, ' ')).join(', ')}</td>
                  <td>
                    {canAct && p.status === 'enrolled' && p.eligibilityState !== 'ineligible' && (
                      <RandomizeButton trialId={trialId} participantId={p.id} studyId={p.studyId} armLabels={arms} onDone={refresh} compact />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {shown.length > limit && (
          <p>
            <button type="button" className="secondary small" onClick={() => setLimit(limit + 4 * PAGE)}>
              Show more ({shown.length - limit} not shown)
            </button>
          </p>
        )}
      </section>
    </>
  );
}

const SEGMENTATION_LABEL: Record<string, string> = { none: 'not queued', queued: 'queued', running: 'running', succeeded: 'done', failed: 'failed' };

/**
 * A participant's status; an enrolled participant who fails eligibility is shown as ineligible
 * (not randomizable), one with a signed waiver as "eligible (waiver)".
 */
export function StatusBadge({ status, exclusionReason, eligibility }: { status: string; exclusionReason?: string | null; eligibility?: 'eligible' | 'ineligible' | 'waived' }) {
  if (status === 'enrolled' && eligibility === 'ineligible') {
    return (
      <span className="badge bad" title="Fails an eligibility criterion: cannot be randomized" data-testid="eligibility-badge">
        ineligible
      </span>
    );
  }
  const cls = status === 'randomized' ? 'ok' : status === 'excluded' ? 'bad' : '';
  return (
    <span className={`badge ${cls}`} title={exclusionReason ?? undefined}>
      {status}
      {eligibility === 'waived' ? ' · eligibility waived' : ''}
    </span>
  );
}
