'use client';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/routers/_app';
import { errorMessage, trpc } from '../../_lib/trpc-client';
import { FormError, useAction } from '../../_lib/use-submit';
import { DecisionPanel } from './DecisionPanel';
import { LABEL_COLOURS, REGIONS } from './label-colours';
import { MriViewer } from './MriViewer';

type Outputs = inferRouterOutputs<AppRouter>['review'];
export type CaseViewData = Outputs['case'];
export type AiData = Outputs['aiSegmentation'];

const ml = (v: number | undefined) => (v === undefined ? '—' : v.toFixed(v < 10 ? 2 : 1));

/** The case page's client side: starts time on task, hosts the viewer, the AI panel and the decision. */
export function CaseReview({ view, ai, signerName }: { view: CaseViewData; ai: AiData | null; signerName: string }) {
  const router = useRouter();
  const [editing, setEditing] = useState(false);
  const [rejecting, setRejecting] = useState(false);
  const [rejectReason, setRejectReason] = useState('');
  const [openError, setOpenError] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const signed = view.status === 'signed';

  useEffect(() => {
    void trpc.review.open.mutate({ caseId: view.caseId }).then(
      (r) => (r.created ? router.refresh() : undefined),
      (e: unknown) => setOpenError(errorMessage(e)),
    );
  }, [view.caseId, router]);

  const review = (outcome: 'accepted' | 'rejected', reason: string | null = null) =>
    run(
      async () => {
        setOpenError(null);
        await trpc.review.reviewSegmentation.mutate({ caseId: view.caseId, outcome, reason });
      },
      () => {
        setRejecting(false);
        setRejectReason('');
      },
    );

  async function saveEdit(bytes: Uint8Array) {
    const res = await fetch(`/api/review/cases/${view.caseId}/labels`, {
      method: 'POST',
      headers: { 'x-segtrial-request': '1', 'content-type': 'application/octet-stream' },
      body: new Uint8Array(bytes),
    });
    const body = (await res.json()) as { error?: { message: string } };
    if (!res.ok) throw new Error(body.error?.message ?? `Saving the edit failed (${res.status}).`);
    setEditing(false);
    router.refresh();
  }

  const edited = view.latestAiReview?.outcome === 'edited' ? (view.latestAiReview.editedVolumesMl as Record<string, number> | null) : null;
  return (
    <div style={{ display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) 360px', gap: 16, alignItems: 'start' }}>
      <section className="panel" aria-label="Images" style={{ padding: 12 }}>
        <MriViewer
          caseId={view.caseId}
          sequences={view.sequences}
          overlay={ai !== null}
          overlaySource={edited ? 'edited-labels' : 'ai-labels'}
          editing={editing}
          onSaveEdit={saveEdit}
          onCancelEdit={() => setEditing(false)}
        />
      </section>
      <div>
        <section className="panel" aria-label="Review status">
          <h2>Review</h2>
          <p style={{ margin: 0 }}>
            Status:{' '}
            <span className={signed ? 'badge ok' : 'badge warn'} data-testid="review-status">
              {signed ? 'Signed' : view.status === 'in_review' ? 'In review' : 'New'}
            </span>
          </p>
          <p className="muted" style={{ margin: '6px 0 0', fontSize: 13 }}>
            Grid {view.grid.dims.join('×')} at {view.grid.spacing.map((s) => s.toFixed(2)).join('×')} mm.{' '}
            {view.openedAt ? `Opened ${view.openedAt.toISOString().replace('T', ' ').slice(0, 19)} UTC.` : ''}
          </p>
        </section>
        {view.aiSuspended && (
          <section className="panel" aria-label="AI suspended" data-testid="ai-suspended">
            <h2>AI suspended</h2>
            <p className="muted">The trial&apos;s administrators have suspended the AI at this site. Review and sign this case from the images alone.</p>
          </section>
        )}
        {view.aiAssistance === 'pending' && (
          <section className="panel" aria-label="AI segmentation">
            <h2>AI segmentation</h2>
            <p className="muted">The AI segmentation of this study is still being computed. Reload the page in a moment.</p>
          </section>
        )}
        {ai && (
          <section className="panel" aria-label="AI segmentation" data-testid="ai-panel">
            <h2>AI segmentation</h2>
            <p style={{ margin: '0 0 8px', fontSize: 13 }}>
              Model{' '}
              <strong data-testid="model-version">
                {ai.model.name} {ai.model.version}
              </strong>{' '}
              <span className="muted">· weights {ai.model.sha256.slice(0, 12)}…</span>
            </p>
            <table data-testid="ai-volumes">
              <thead>
                <tr>
                  <th>Volume (mL)</th>
                  <th>AI</th>
                  {edited ? <th>Your edit</th> : null}
                </tr>
              </thead>
              <tbody>
                {LABEL_COLOURS.map((l) => (
                  <tr key={l.key} data-volume={l.key}>
                    <td>
                      <span style={{ display: 'inline-block', width: 10, height: 10, borderRadius: 2, marginRight: 6, background: `rgb(${l.rgb.join(',')})` }} />
                      {l.name}
                    </td>
                    <td>{ml(ai.volumesMl[l.key])}</td>
                    {edited ? <td>{ml(edited[l.key])}</td> : null}
                  </tr>
                ))}
                {REGIONS.map((r) => (
                  <tr key={r.key} data-volume={r.key}>
                    <td title={`labels ${r.labels}`}>{r.name}</td>
                    <td>{ml(ai.volumesMl[r.key])}</td>
                    {edited ? <td>{ml(edited[r.key])}</td> : null}
                  </tr>
                ))}
              </tbody>
            </table>
            {ai.riskHighGrade !== null && (
              <p style={{ fontSize: 13, margin: '8px 0 0' }}>
                Model&apos;s probability of a high-grade tumour: <strong>{Math.round(ai.riskHighGrade * 100)} %</strong>
              </p>
            )}
            <p style={{ fontSize: 13, margin: '10px 0 6px' }}>
              Your assessment of the segmentation:{' '}
              <strong data-testid="ai-outcome">{view.latestAiReview ? { accepted: 'accepted', edited: 'edited', rejected: 'rejected' }[view.latestAiReview.outcome] : 'not yet given'}</strong>
            </p>
            {!signed && (
              <div style={{ display: 'flex', gap: 8 }}>
                <button type="button" disabled={busy || editing} onClick={() => void review('accepted')}>
                  Accept
                </button>
                <button type="button" className="secondary" disabled={busy || editing} onClick={() => setEditing(true)}>
                  Edit
                </button>
                <button type="button" className="secondary" disabled={busy || editing || rejecting} onClick={() => setRejecting(true)}>
                  Reject…
                </button>
              </div>
            )}
            {!signed && rejecting && (
              <form
                aria-label="Reject the AI segmentation"
                onSubmit={(e) => {
                  e.preventDefault();
                  void review('rejected', rejectReason.trim());
                }}
                style={{ marginTop: 8 }}
              >
                <label>
                  Why is the segmentation rejected? (recorded with your review)
                  <textarea rows={2} maxLength={1000} value={rejectReason} onChange={(e) => setRejectReason(e.target.value)} />
                </label>
                <div style={{ display: 'flex', gap: 8 }}>
                  <button type="submit" disabled={busy || rejectReason.trim().length < 5}>
                    Reject with this reason
                  </button>
                  <button type="button" className="secondary" onClick={() => setRejecting(false)}>
                    Cancel
                  </button>
                </div>
              </form>
            )}
            {view.latestAiReview?.outcome === 'rejected' && view.latestAiReview.reason && (
              <p className="muted" style={{ fontSize: 13 }}>
                Reason: {view.latestAiReview.reason}
              </p>
            )}
            <FormError error={error ?? openError} />
          </section>
        )}
        <DecisionPanel view={view} signerName={signerName} needsAiOutcome={ai !== null && !view.latestAiReview} onSigned={() => router.refresh()} />
      </div>
    </div>
  );
}
