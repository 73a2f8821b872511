'use client';
import { TRPCClientError } from '@trpc/client';
import { useState, type FormEvent } from 'react';
import { checkDecision, DECISION_FIELD_LABELS, describeEditCheck, type DecisionField, type EditCheckFinding } from '@/server/domain/review/decision-edit-checks';
import { errorMessage, trpc } from '../../_lib/trpc-client';
import type { CaseViewData } from './CaseReview';

const PLANS = [
  { key: 'resection', name: 'Resection' },
  { key: 'biopsy', name: 'Biopsy' },
  { key: 'radiotherapy', name: 'Radiotherapy' },
  { key: 'chemoradiotherapy', name: 'Chemoradiotherapy' },
  { key: 'surveillance', name: 'Surveillance' },
  { key: 'other', name: 'Other' },
] as const;
type Plan = (typeof PLANS)[number]['key'];
const CONFIDENCE = ['1 · very unsure', '2 · unsure', '3 · moderately sure', '4 · sure', '5 · certain'];

interface Draft {
  tumourPresent: boolean | null;
  suspectedGrade: 'low' | 'high' | null;
  managementPlan: Plan | '';
  /** As typed: '' until the reader enters a value. */
  probabilityHighGrade: string;
  confidence: number | null;
  note: string;
}

const utc = (d: Date) => `${d.toISOString().replace('T', ' ').slice(0, 19)} UTC`;

/**
 * The decision form and its electronic signature (password re-entered, meaning stated above the
 * button), the signed records with their manifests, and corrections as new linked signed records.
 */
export function DecisionPanel({ view, signerName, needsAiOutcome, onSigned }: { view: CaseViewData; signerName: string; needsAiOutcome: boolean; onSigned: () => void }) {
  const current = view.decisions.find((d) => d.current) ?? null;
  const [correcting, setCorrecting] = useState(false);
  const signed = view.status === 'signed';
  return (
    <section className="panel" aria-label="Decision">
      <h2>Decision</h2>
      {view.decisions
        .slice()
        .reverse()
        .map((d) => (
          <div
            key={d.id}
            data-testid={d.current ? 'signed-decision' : 'superseded-decision'}
            style={{ border: '1px solid var(--line)', borderRadius: 6, padding: '8px 10px', marginBottom: 10, opacity: d.current ? 1 : 0.7, fontSize: 13 }}
          >
            <p style={{ margin: 0 }}>
              <span className={d.current ? 'badge ok' : 'badge'}>{d.current ? (d.supersedesId ? 'Signed correction' : 'Signed') : 'Superseded'}</span>
            </p>
            <p style={{ margin: '6px 0 0' }}>
              Tumour {d.tumourPresent ? `present, suspected ${d.suspectedGrade}-grade` : 'not present'} · plan: {d.managementPlan} · P(high grade){' '}
              {d.probabilityHighGrade === null ? 'not asked' : `${d.probabilityHighGrade} %`} · confidence {d.confidence}/5
              {d.aiOutcome ? ` · AI segmentation ${d.aiOutcome}` : ''}
            </p>
            {d.note ? <p style={{ margin: '4px 0 0' }}>Note: {d.note}</p> : null}
            {d.correctionReason ? <p style={{ margin: '4px 0 0' }}>Reason for correction: {d.correctionReason}</p> : null}
            <p style={{ margin: '6px 0 0' }} data-testid="signature-manifest">
              Signed by <strong>{d.signature.signerName}</strong> ({d.signature.signerUsername}) at <strong>{utc(d.signature.signedAt)}</strong>
              {d.timeOnTaskMs !== null ? ` · time on task ${formatDuration(d.timeOnTaskMs)}` : ''}
            </p>
            <p className="muted" style={{ margin: '4px 0 0' }}>
              Meaning: “{d.signature.meaning}”
            </p>
          </div>
        ))}
      {!signed && (
        <DecisionForm
          view={view}
          signerName={signerName}
          blocked={needsAiOutcome ? 'Accept, edit or reject the AI segmentation before signing.' : view.aiAssistance === 'pending' ? 'The AI segmentation is not ready yet.' : null}
          onSigned={onSigned}
        />
      )}
      {signed && current && !correcting && (
        <button type="button" className="secondary" onClick={() => setCorrecting(true)}>
          Correct this decision
        </button>
      )}
      {signed && current && correcting && <DecisionForm view={view} signerName={signerName} correcting={current} blocked={null} onSigned={() => (setCorrecting(false), onSigned())} />}
    </section>
  );
}

function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : s < 3600 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

function DecisionForm({
  view,
  signerName,
  correcting,
  blocked,
  onSigned,
}: {
  view: CaseViewData;
  signerName: string;
  correcting?: CaseViewData['decisions'][number];
  blocked: string | null;
  onSigned: () => void;
}) {
  // Nothing is pre-filled on a new decision: every value is the reader's own. A correction starts
  // from the reader's signed values, which they then change.
  const [draft, setDraft] = useState<Draft>(
    correcting
      ? {
          tumourPresent: correcting.tumourPresent,
          suspectedGrade: correcting.suspectedGrade,
          managementPlan: correcting.managementPlan,
          probabilityHighGrade: correcting.probabilityHighGrade === null ? '' : String(correcting.probabilityHighGrade),
          confidence: correcting.confidence,
          note: correcting.note ?? '',
        }
      : { tumourPresent: null, suspectedGrade: null, managementPlan: '', probabilityHighGrade: '', confidence: null, note: '' },
  );
  const [password, setPassword] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [serverFindings, setServerFindings] = useState<EditCheckFinding[]>([]);
  const meaning = correcting ? view.signatureMeaning.correction : view.signatureMeaning.decision;
  const decision = toDecision(draft);
  const findings = checkDecision(view.editChecks, decision);
  const findingsOf = (field: DecisionField) => [...findings, ...serverFindings].filter((f) => f.field === field);
  const rulesOf = (field: DecisionField) => view.editChecks.filter((c) => c.field === field).map(describeEditCheck);
  const probabilityInvalid = draft.probabilityHighGrade.trim() !== '' && !Number.isInteger(Number(draft.probabilityHighGrade));
  const complete = findings.length === 0 && !probabilityInvalid && password.length > 0 && (!correcting || reason.trim().length >= 5);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!complete || decision.tumourPresent === null || decision.managementPlan === null || decision.confidence === null) return;
    setBusy(true);
    setError(null);
    setServerFindings([]);
    const signed = {
      tumourPresent: decision.tumourPresent,
      suspectedGrade: decision.suspectedGrade,
      managementPlan: decision.managementPlan,
      probabilityHighGrade: decision.probabilityHighGrade,
      confidence: decision.confidence,
      note: decision.note,
    };
    try {
      if (correcting) await trpc.review.correct.mutate({ caseId: view.caseId, supersedesId: correcting.id, decision: signed, reason, password });
      else await trpc.review.sign.mutate({ caseId: view.caseId, decision: signed, password });
      setPassword('');
      onSigned();
    } catch (err) {
      const details = err instanceof TRPCClientError ? (err.data as { details?: { findings?: EditCheckFinding[] } } | undefined)?.details : undefined;
      setServerFindings(details?.findings ?? []);
      setError(errorMessage(err));
      setPassword('');
    } finally {
      setBusy(false);
    }
  }

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const hint = (field: DecisionField) => <FieldHint field={field} rules={rulesOf(field)} findings={findingsOf(field)} />;
  return (
    <form onSubmit={(e) => void submit(e)} aria-label={correcting ? 'Correction' : 'Decision form'}>
      <fieldset style={{ border: 0, padding: 0, margin: '0 0 10px' }}>
        <legend style={{ fontSize: 14, marginBottom: 4 }}>Tumour present</legend>
        <label style={{ display: 'inline-flex', gap: 4, marginRight: 16 }}>
          <input type="radio" name="tumour" checked={draft.tumourPresent === true} onChange={() => set('tumourPresent', true)} style={{ width: 'auto', margin: 0 }} /> Yes
        </label>
        <label style={{ display: 'inline-flex', gap: 4 }}>
          <input
            type="radio"
            name="tumour"
            checked={draft.tumourPresent === false}
            onChange={() => setDraft((d) => ({ ...d, tumourPresent: false, suspectedGrade: null, probabilityHighGrade: '' }))}
            style={{ width: 'auto', margin: 0 }}
          />{' '}
          No
        </label>
        {hint('tumourPresent')}
      </fieldset>
      {draft.tumourPresent && (
        <fieldset style={{ border: 0, padding: 0, margin: '0 0 10px' }}>
          <legend style={{ fontSize: 14, marginBottom: 4 }}>Suspected grade</legend>
          <label style={{ display: 'inline-flex', gap: 4, marginRight: 16 }}>
            <input type="radio" name="grade" checked={draft.suspectedGrade === 'low'} onChange={() => set('suspectedGrade', 'low')} style={{ width: 'auto', margin: 0 }} /> Low grade
          </label>
          <label style={{ display: 'inline-flex', gap: 4 }}>
            <input type="radio" name="grade" checked={draft.suspectedGrade === 'high'} onChange={() => set('suspectedGrade', 'high')} style={{ width: 'auto', margin: 0 }} /> High grade
          </label>
          {hint('suspectedGrade')}
        </fieldset>
      )}
      <label>
        Management plan
        <select value={draft.managementPlan} onChange={(e) => set('managementPlan', e.target.value as Plan)}>
          <option value="" disabled>
            Choose…
          </option>
          {PLANS.map((p) => (
            <option key={p.key} value={p.key}>
              {p.name}
            </option>
          ))}
        </select>
        {hint('managementPlan')}
      </label>
      {(draft.tumourPresent !== false || draft.probabilityHighGrade !== '') && (
        <label>
          Probability of a high-grade tumour (%)
          <input
            type="number"
            min={0}
            max={100}
            step={1}
            inputMode="numeric"
            placeholder="not entered"
            value={draft.probabilityHighGrade}
            disabled={draft.tumourPresent === null}
            onChange={(e) => set('probabilityHighGrade', e.target.value)}
            aria-label="Probability of a high-grade tumour (%)"
          />
          {probabilityInvalid && (
            <span className="error" style={{ display: 'block', fontSize: 12 }}>
              a whole number of percent
            </span>
          )}
          {hint('probabilityHighGrade')}
        </label>
      )}
      <label>
        Confidence
        <select value={draft.confidence ?? ''} onChange={(e) => set('confidence', e.target.value === '' ? null : Number(e.target.value))} aria-label="Confidence">
          <option value="" disabled>
            Choose…
          </option>
          {CONFIDENCE.map((c, i) => (
            <option key={c} value={i + 1}>
              {c}
            </option>
          ))}
        </select>
        {hint('confidence')}
      </label>
      <label>
        Note
        <textarea rows={2} maxLength={2000} value={draft.note} onChange={(e) => set('note', e.target.value)} />
      </label>
      {correcting && (
        <label>
          Reason for the correction
          <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={1000} />
        </label>
      )}
      <div style={{ background: '#f3f6fa', border: '1px solid var(--line)', borderRadius: 6, padding: '8px 10px', marginBottom: 10 }} data-testid="signature-meaning">
        <p style={{ margin: '0 0 6px', fontSize: 13 }}>
          <strong>Electronic signature</strong> as {signerName}. Meaning of this signature:
        </p>
        <p style={{ margin: 0, fontSize: 13 }}>“{meaning}”</p>
      </div>
      <label>
        Password (re-enter to sign)
        <input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
      </label>
      {blocked && (
        <p className="muted" style={{ fontSize: 13 }}>
          {blocked}
        </p>
      )}
      {findings.length > 0 && (
        <p className="muted" style={{ fontSize: 13 }} data-testid="still-to-enter">
          Still to enter before signing: {[...new Set(findings.map((f) => DECISION_FIELD_LABELS[f.field].toLowerCase()))].join(', ')}.
        </p>
      )}
      <button type="submit" disabled={!complete || busy || blocked !== null}>
        {busy ? 'Signing…' : correcting ? 'Sign correction' : 'Sign decision'}
      </button>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

/** What the reader has entered, as the decision the server checks (blank fields are null). */
function toDecision(draft: Draft) {
  const p = draft.probabilityHighGrade.trim();
  return {
    tumourPresent: draft.tumourPresent,
    suspectedGrade: draft.tumourPresent ? draft.suspectedGrade : null,
    managementPlan: draft.managementPlan === '' ? null : draft.managementPlan,
    probabilityHighGrade: p === '' ? null : Number(p),
    confidence: draft.confidence,
    note: draft.note.trim() || null,
  };
}

/** The field's declared edit checks in words, and in red those the current entry fails. */
function FieldHint({ field, rules, findings }: { field: DecisionField; rules: string[]; findings: EditCheckFinding[] }) {
  if (rules.length === 0 && findings.length === 0) return null;
  const failed = new Set(findings.map((f) => f.message));
  return (
    <span style={{ display: 'block', fontSize: 12, fontWeight: 400 }} data-testid={`edit-check-${field}`} data-failed={findings.length > 0 ? 'true' : 'false'}>
      {rules.map((r, i) => {
        const bad = failed.has(`${DECISION_FIELD_LABELS[field]}: ${r}`);
        return (
          <span key={i} className={bad ? 'error' : 'muted'} style={{ marginRight: 8 }}>
            {bad ? '✗ ' : ''}
            {r}
          </span>
        );
      })}
    </span>
  );
}
