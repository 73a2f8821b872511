'use client';
import { useState } from 'react';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/routers/_app';
import { trpc } from '../../_lib/trpc-client';
import { FormError, useSubmit } from '../../_lib/use-submit';
import { ComparisonView } from './ComparisonView';
import { VolumeTimeline } from './VolumeTimeline';

export type FollowupViewData = inferRouterOutputs<AppRouter>['followup']['case'];
type Category = 'CR' | 'PR' | 'SD' | 'PD';
const CATEGORY_NAMES: Record<Category, string> = { CR: 'Complete response', PR: 'Partial response', SD: 'Stable disease', PD: 'Progressive disease' };
const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${v >= 0 ? '+' : ''}${v.toFixed(1)} %`);
const utc = (d: Date | string) => new Date(d).toISOString().replace('T', ' ').slice(0, 19) + ' UTC';

/**
 * The follow-up section of a case page: visits with their window flags, the comparison with
 * baseline or nadir, and the RANO 2.0 assessment. On the assisted arm it shows the suggestion from
 * the AI label maps (sums, changes, the rule that fired, the lesions) and the AI volumes over time;
 * the reader confirms or overrides it (a reason is required to override) and signs with their
 * password, as decisions are signed. On the control arm neither AI outlines nor AI measurements
 * exist here (`view.ai` is null from the server); the reader calls the category alone.
 */
export function RanoPanel({ view, signerName }: { view: FollowupViewData; signerName: string }) {
  const current = view.ai?.suggestion?.visits.at(-1) ?? null;
  const suggested: Category | null = current?.category ?? null;
  const signedNow = view.assessments.find((a) => a.current) ?? null;
  const [category, setCategory] = useState<Category>(suggested ?? 'SD');
  const [reason, setReason] = useState('');
  const [password, setPassword] = useState('');
  const [correcting, setCorrecting] = useState(false);
  const [correctionReason, setCorrectionReason] = useState('');
  const overriding = suggested !== null && category !== suggested;
  const canSign = password.length > 0 && (!overriding || reason.trim().length >= 5) && (!correcting || correctionReason.trim().length >= 5);
  const { busy, error, onSubmit } = useSubmit(
    async () => {
      await trpc.followup.signRano.mutate({
        caseId: view.caseId,
        category,
        overrideReason: overriding ? reason.trim() : null,
        password,
        correction: correcting && signedNow ? { supersedesId: signedNow.id, reason: correctionReason.trim() } : undefined,
      });
    },
    () => {
      setPassword('');
      setCorrecting(false);
    },
  );
  if (!view.isFollowUp) return null;

  const nadir = current?.nadirVisit ?? null;
  return (
    <div data-testid="followup-section">
      <ComparisonView caseId={view.caseId} visitCode={view.visitCode ?? ''} priors={view.priors} outlines={view.ai !== null} />
      <section className="panel" aria-label="Imaging visits">
        <h2>Visits</h2>
        <table data-testid="visit-table" style={{ fontSize: 13 }}>
          <thead>
            <tr>
              <th>Visit</th>
              <th>Due</th>
              <th>Scanned</th>
              <th>Window</th>
              <th>Registration</th>
            </tr>
          </thead>
          <tbody>
            {view.visits.map((v) => (
              <tr key={v.visitCode} data-visit={v.visitCode} style={v.visitCode === view.visitCode ? { fontWeight: 600 } : undefined}>
                <td title={v.label}>{v.visitCode}</td>
                <td>{v.dueOn ?? '—'}</td>
                <td>{v.scannedOn ?? '—'}</td>
                <td>
                  <span className={v.status === 'in_window' ? 'badge ok' : v.status === 'pending' ? 'badge' : 'badge warn'}>{v.status.replace('_', ' ')}</span>
                </td>
                <td>
                  {v.registration ? (
                    v.registration.ok ? (
                      `ok (${v.registration.centreShiftMm.toFixed(1)} mm)`
                    ) : (
                      <span className="badge warn" title={v.registration.problems.join('; ')}>
                        check
                      </span>
                    )
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="panel" aria-label="RANO assessment" data-testid="rano-panel">
        <h2>RANO 2.0 response</h2>
        {view.ai?.suggestionProblem && <p className="muted">{view.ai.suggestionProblem}</p>}
        {current && (
          <div data-testid="rano-suggestion" style={{ fontSize: 13 }}>
            <p style={{ margin: '0 0 6px' }}>
              Suggested from the AI segmentations: <strong data-testid="suggested-category">{suggested}</strong> ({CATEGORY_NAMES[suggested!]})
            </p>
            <p className="muted" style={{ margin: '0 0 6px' }} data-testid="suggested-rule">
              Rule: {current.rule}
              {current.needsConfirmation ? ' — within 12 weeks of radiotherapy: preliminary until a later scan confirms it.' : ''}
            </p>
            <table>
              <tbody>
                <tr>
                  <td>Sum of products</td>
                  <td data-testid="sum-products">{current.sumProductsMm2.toFixed(0)} mm²</td>
                  <td>{pct(current.productChangeFromBaselinePct)} vs baseline</td>
                  <td>
                    {pct(current.productChangeFromNadirPct)} vs nadir ({nadir})
                  </td>
                </tr>
                <tr>
                  <td>Sum of volumes</td>
                  <td>{current.sumVolumesMl.toFixed(2)} mL</td>
                  <td>{pct(current.volumeChangeFromBaselinePct)}</td>
                  <td>
                    {pct(current.volumeChangeFromNadirPct)} · volumetric: {current.volumetricCategory}
                  </td>
                </tr>
              </tbody>
            </table>
            <details>
              <summary>Enhancing lesions ({current.lesions.length})</summary>
              <table data-testid="lesion-table">
                <thead>
                  <tr>
                    <th>#</th>
                    <th>Diameters (mm)</th>
                    <th>Product</th>
                    <th>Volume</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {current.lesions.map((l) => (
                    <tr key={l.id}>
                      <td>{l.id}</td>
                      <td>
                        {l.longestDiameterMm.toFixed(1)} × {l.perpendicularDiameterMm.toFixed(1)}
                      </td>
                      <td>{l.productMm2.toFixed(0)}</td>
                      <td>{l.volumeMl.toFixed(2)} mL</td>
                      <td>{[l.target ? 'target' : null, l.measurable ? null : 'not measurable', current.newMeasurableLesionIds.includes(l.id) ? 'new' : null].filter(Boolean).join(', ')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
            {view.ai && <VolumeTimeline points={view.ai.volumes.map((v) => ({ visitCode: v.visitCode, volumesMl: v.volumesMl as Record<string, number> }))} nadirVisit={nadir} />}
          </div>
        )}
        {view.assessments.map((a) => (
          <div
            key={a.id}
            data-testid={a.current ? 'signed-rano' : 'superseded-rano'}
            style={{ border: '1px solid var(--line)', borderRadius: 6, padding: '6px 10px', margin: '8px 0', fontSize: 13, opacity: a.current ? 1 : 0.7 }}
          >
            <span className={a.current ? 'badge ok' : 'badge'}>{a.current ? (a.supersedesId ? 'Signed correction' : 'Signed') : 'Superseded'}</span>{' '}
            <strong data-testid="signed-category">{a.category}</strong>
            {a.suggestedCategory && a.suggestedCategory !== a.category ? ` (suggested ${a.suggestedCategory}; reason: ${a.overrideReason})` : ''}
            {a.correctionReason ? ` · correction: ${a.correctionReason}` : ''}
            <div className="muted">
              Signed by {a.signature.signerName} at {utc(a.signature.signedAt)}
            </div>
          </div>
        ))}
        {(!signedNow || correcting) && (
          <form aria-label="Sign the RANO assessment" onSubmit={onSubmit}>
            <label>
              Response category
              <select value={category} onChange={(e) => setCategory(e.target.value as Category)} data-testid="rano-category">
                {(Object.keys(CATEGORY_NAMES) as Category[]).map((c) => (
                  <option key={c} value={c}>
                    {c} — {CATEGORY_NAMES[c]}
                    {c === suggested ? ' (suggested)' : ''}
                  </option>
                ))}
              </select>
            </label>
            {overriding && (
              <label>
                Why do you override the suggested {suggested}? (recorded with your signature)
                <textarea rows={2} maxLength={1000} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="rano-override-reason" />
              </label>
            )}
            {correcting && (
              <label>
                Reason for the correction
                <textarea rows={2} maxLength={1000} value={correctionReason} onChange={(e) => setCorrectionReason(e.target.value)} />
              </label>
            )}
            <p className="muted" style={{ fontSize: 12 }}>
              {correcting ? view.signatureMeaning.correction : view.signatureMeaning.assessment}
            </p>
            <label>
              Password of {signerName}
              <input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} data-testid="rano-password" />
            </label>
            <button type="submit" disabled={busy || !canSign} data-testid="rano-sign">
              {correcting ? 'Sign the correction' : 'Sign the assessment'}
            </button>
          </form>
        )}
        {signedNow && !correcting && (
          <button type="button" className="secondary" onClick={() => setCorrecting(true)}>
            Correct…
          </button>
        )}
        <FormError error={error} />
      </section>
    </div>
  );
}
