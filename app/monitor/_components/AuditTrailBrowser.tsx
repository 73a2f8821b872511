'use client';
import { Fragment, useCallback, useEffect, useState, type FormEvent } from 'react';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/routers/_app';
import { errorMessage, trpc } from '../../_lib/trpc-client';
import { FormError, useAction } from '../../_lib/use-submit';

type Page = inferRouterOutputs<AppRouter>['admin']['auditTrail'];
interface Filters {
  actor: string;
  action: string;
  participantId: string;
  from: string;
  to: string;
}
const EMPTY: Filters = { actor: '', action: '', participantId: '', from: '', to: '' };
const PAGE_SIZE = 25;
const utc = (d: Date) => d.toISOString().replace('T', ' ').slice(0, 19);

/**
 * The reviewable audit trail of one trial: who did what to which record and participant, old and
 * new values, reason and signature, and each row's chain hashes; filters, paging and export (CSV,
 * JSON) for offline verification. Every page viewed and every export is itself audited.
 */
export function AuditTrailBrowser({ trialId, participants, actions }: { trialId: string; participants: { id: string; studyId: string }[]; actions: string[] }) {
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const [applied, setApplied] = useState<Filters>(EMPTY);
  const [cursors, setCursors] = useState<(number | undefined)[]>([undefined]);
  const [page, setPage] = useState<Page | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const studyIdOf = new Map(participants.map((p) => [p.id, p.studyId]));

  const query = useCallback(
    (f: Filters) => ({
      trialId,
      actor: f.actor.trim() || undefined,
      action: f.action || undefined,
      participantId: f.participantId || undefined,
      from: f.from ? new Date(`${f.from}T00:00:00Z`).toISOString() : undefined,
      to: f.to ? new Date(`${f.to}T23:59:59.999Z`).toISOString() : undefined,
    }),
    [trialId],
  );
  const cursor = cursors.at(-1);
  useEffect(() => {
    let live = true;
    trpc.admin.auditTrail.query({ ...query(applied), beforeId: cursor, limit: PAGE_SIZE }).then(
      (p) => live && (setPage(p), setError(null)),
      (e: unknown) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [applied, cursor, query]);

  function apply(e: FormEvent) {
    e.preventDefault();
    setApplied(filters);
    setCursors([undefined]);
  }

  // An export is a mutation (it is audited), not a link: one at a time, its refusal shown below.
  const exporting = useAction();
  const download = (format: 'csv' | 'json') =>
    exporting.run(async () => {
      const file = await trpc.admin.exportAuditTrail.mutate({ ...query(applied), format });
      const url = URL.createObjectURL(new Blob([file.content], { type: file.contentType }));
      const a = document.createElement('a');
      a.href = url;
      a.download = file.filename;
      a.click();
      URL.revokeObjectURL(url);
    });

  return (
    <div>
      <form onSubmit={apply} aria-label="Audit trail filters" style={{ display: 'flex', gap: 10, flexWrap: 'wrap', alignItems: 'flex-end' }}>
        <label style={{ margin: 0 }}>
          Who
          <input value={filters.actor} onChange={(e) => setFilters({ ...filters, actor: e.target.value })} placeholder="name or username" />
        </label>
        <label style={{ margin: 0 }}>
          What
          <select value={filters.action} onChange={(e) => setFilters({ ...filters, action: e.target.value })}>
            <option value="">every action</option>
            {[...new Set(actions.map((a) => `${a.split('.')[0]}.`))].map((family) => (
              <optgroup key={family} label={family.slice(0, -1)}>
                <option value={family}>{family.slice(0, -1)}: all</option>
                {actions
                  .filter((a) => a.startsWith(family))
                  .map((a) => (
                    <option key={a} value={a}>
                      {a}
                    </option>
                  ))}
              </optgroup>
            ))}
          </select>
        </label>
        <label style={{ margin: 0 }}>
          Participant
          <select value={filters.participantId} onChange={(e) => setFilters({ ...filters, participantId: e.target.value })}>
            <option value="">any</option>
            {participants.map((p) => (
              <option key={p.id} value={p.id}>
                {p.studyId}
              </option>
            ))}
          </select>
        </label>
        <label style={{ margin: 0 }}>
          From (UTC)
          <input type="date" value={filters.from} onChange={(e) => setFilters({ ...filters, from: e.target.value })} />
        </label>
        <label style={{ margin: 0 }}>
          To (UTC)
          <input type="date" value={filters.to} onChange={(e) => setFilters({ ...filters, to: e.target.value })} />
        </label>
        <button type="submit">Filter</button>
        <button type="button" className="secondary" disabled={exporting.busy} onClick={() => void download('csv')}>
          Export CSV
        </button>
        <button type="button" className="secondary" disabled={exporting.busy} onClick={() => void download('json')}>
          Export JSON
        </button>
      </form>
      <FormError error={error ?? exporting.error} />
      {page?.blinded && (
        <p className="muted" style={{ fontSize: 13 }}>
          You are blinded in this trial: allocations are removed from the values below
          {page.withheldForBlinding > 0 ? `, and ${page.withheldForBlinding} event(s) that would reveal an arm are withheld` : ''}.
        </p>
      )}
      {page && (
        <table data-testid="audit-trail" style={{ fontSize: 13 }}>
          <thead>
            <tr>
              <th>#</th>
              <th>Time (UTC)</th>
              <th>Who</th>
              <th>Action</th>
              <th>Record</th>
              <th>Participant</th>
              <th>Reason</th>
              <th>Signature</th>
              <th>Hash</th>
            </tr>
          </thead>
          <tbody>
            {page.rows.map((r) => (
              <Fragment key={r.id}>
                <tr data-testid="audit-row">
                  <td>{r.id}</td>
                  <td>{utc(r.occurredAt)}</td>
                  <td>
                    {r.actor.name ?? (r.actor.userId ? r.actor.userId.slice(0, 8) : 'system')}
                    {r.actor.username ? (
                      <span className="muted">
                        {' '}
                        ({r.actor.username}, {r.actor.role})
                      </span>
                    ) : null}
                  </td>
                  <td>{r.action}</td>
                  <td title={r.recordId ?? ''}>
                    {r.entityType} {r.recordId ? <code>{r.recordId.slice(0, 8)}</code> : null}
                  </td>
                  <td>{r.participantId ? (studyIdOf.get(r.participantId) ?? <code>{r.participantId.slice(0, 8)}</code>) : '—'}</td>
                  <td>{r.reason ?? '—'}</td>
                  <td>{r.signature ? <span title={r.signature.meaning ?? ''}>{r.signature.signerName}</span> : '—'}</td>
                  <td>
                    <code title={`prev ${r.prevHash}\nhash ${r.hash}`}>{r.hash.slice(0, 10)}…</code>{' '}
                    <button type="button" className="secondary small" onClick={() => setOpen(open === r.id ? null : r.id)} aria-expanded={open === r.id}>
                      {open === r.id ? 'Hide' : 'Values'}
                    </button>
                  </td>
                </tr>
                {open === r.id && (
                  <tr>
                    <td colSpan={9}>
                      <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 8 }}>
                        <div>
                          <strong>Old value</strong>
                          <pre style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{JSON.stringify(r.before, null, 1) ?? 'null'}</pre>
                        </div>
                        <div>
                          <strong>New value</strong>
                          <pre style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{JSON.stringify(r.after, null, 1) ?? 'null'}</pre>
                        </div>
                      </div>
                      <p className="muted" style={{ margin: '4px 0 0' }}>
                        prev hash <code>{r.prevHash}</code> · hash <code>{r.hash}</code>
                        {r.redacted ? ' · allocation removed for a blinded reader (this copy no longer matches the hash)' : ''}
                      </p>
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      )}
      {page && page.rows.length === 0 && <p className="muted">No event matches these filters.</p>}
      <p style={{ display: 'flex', gap: 8 }}>
        <button type="button" className="secondary small" disabled={cursors.length <= 1} onClick={() => setCursors(cursors.slice(0, -1))}>
          Newer
        </button>
        <button type="button" className="secondary small" disabled={!page?.nextBeforeId} onClick={() => page?.nextBeforeId && setCursors([...cursors, page.nextBeforeId])}>
          Older
        </button>
        <span className="muted">Page {cursors.length}</span>
      </p>
    </div>
  );
}
