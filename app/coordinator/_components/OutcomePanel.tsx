'use client';
import { useCallback, useEffect, useState } from 'react';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/routers/_app';
import { trpc } from '../../_lib/trpc-client';
import { FormError, FormNotice, useSubmit } from '../../_lib/use-submit';
import { describeError, today } from './describe-error';

type OutcomeRow = inferRouterOutputs<AppRouter>['outcomes']['history'][number];

const yesNo = (v: boolean | null) => (v === null ? 'unknown' : v ? 'yes' : 'no');
const parseYesNo = (v: FormDataEntryValue | null): boolean | null => (v === 'yes' ? true : v === 'no' ? false : null);

/** Uploads an expert reference segmentation (NIfTI labels 0..3 on the study's T1gd grid); returns its hash. */
async function uploadReference(trialId: string, studyId: string, file: File): Promise<{ labelsSha256: string; voxelsPerLabel: number[] }> {
  const form = new FormData();
  form.set('trialId', trialId);
  form.set('file', file);
  const res = await fetch(`/api/studies/${studyId}/reference`, { method: 'POST', body: form, headers: { 'x-segtrial-request': '1' } });
  const body = (await res.json().catch(() => null)) as {
    labelsSha256?: string;
    voxelsPerLabel?: number[];
    error?: { message: string; file?: string; field?: string; found?: string; expected?: string };
  } | null;
  if (res.status !== 201 || !body?.labelsSha256) {
    const e = body?.error;
    throw new Error(e ? (e.field ? `${e.file}: ${e.field} is ${e.found}, expected ${e.expected}. ${e.message}` : e.message) : `Upload refused (${res.status}).`);
  }
  return { labelsSha256: body.labelsSha256, voxelsPerLabel: body.voxelsPerLabel ?? [] };
}

/**
 * Follow-up outcome (the reference standard): histopathology high grade and WHO grade, 6-month
 * progression-free status, date, note, and optionally an expert reference segmentation. Records are
 * never edited: a correction is a new record linked to the one it replaces, and the history stays.
 */
export function OutcomePanel({
  trialId,
  participantId,
  studies,
  initial,
  canRecord,
}: {
  trialId: string;
  participantId: string;
  studies: { id: string; ingestedAt: Date }[];
  initial: OutcomeRow[];
  canRecord: boolean;
}) {
  const [history, setHistory] = useState(initial);
  const [editing, setEditing] = useState(false);
  const superseded = new Set(history.map((h) => h.supersedesId));
  const current = history.find((h) => !superseded.has(h.id)) ?? null;

  const { busy, error, notice, onSubmit } = useSubmit(
    async (formEl) => {
      const form = new FormData(formEl);
      const grade = String(form.get('whoGrade') ?? '');
      const file = form.get('reference');
      const studyId = String(form.get('referenceStudyId') ?? '');
      let reference: { studyId: string; labelsSha256: string } | null =
        current?.referenceStudyId && current.referenceLabelsSha256 && form.get('keepReference') === 'on' ? { studyId: current.referenceStudyId, labelsSha256: current.referenceLabelsSha256 } : null;
      let referenceNote = '';
      if (file instanceof File && file.size > 0) {
        if (!studyId) throw new Error('Choose the study the reference segmentation was drawn on.');
        const stored = await uploadReference(trialId, studyId, file);
        reference = { studyId, labelsSha256: stored.labelsSha256 };
        referenceNote = ` Reference segmentation stored (${stored.voxelsPerLabel.slice(1).join(' / ')} voxels of labels 1 / 2 / 3).`;
      }
      const row = await trpc.outcomes.record.mutate({
        trialId,
        participantId,
        referenceHighGrade: parseYesNo(form.get('referenceHighGrade')),
        whoGrade: grade ? Number(grade) : null,
        progressionFree6m: parseYesNo(form.get('progressionFree6m')),
        reference,
        assessedOn: String(form.get('assessedOn')),
        note: String(form.get('note') ?? '') || null,
        supersedesId: current?.id ?? null,
      });
      setHistory(await trpc.outcomes.history.query({ trialId, participantId }));
      return `${row.supersedesId ? 'Correction' : 'Outcome'} recorded.${referenceNote}`;
    },
    () => setEditing(false),
    { describe: describeError },
  );

  return (
    <section className="panel" aria-label="Follow-up outcome">
      <h2>Follow-up outcome (reference standard)</h2>
      {current ? (
        <dl className="facts" data-testid="current-outcome">
          <dt>High grade (WHO 3–4)</dt>
          <dd>{yesNo(current.referenceHighGrade)}</dd>
          <dt>WHO grade</dt>
          <dd>{current.whoGrade ?? 'unknown'}</dd>
          <dt>Progression-free at 6 months</dt>
          <dd>{yesNo(current.progressionFree6m)}</dd>
          <dt>Reference segmentation</dt>
          <dd>{current.referenceLabelsSha256 ? <code title={current.referenceLabelsSha256}>{current.referenceLabelsSha256.slice(0, 12)}…</code> : 'none'}</dd>
          <dt>Assessed</dt>
          <dd>{current.assessedOn}</dd>
          <dt>Note</dt>
          <dd>{current.note ?? '—'}</dd>
        </dl>
      ) : (
        <p className="muted">No outcome recorded yet.</p>
      )}
      {history.length > 1 && (
        <details>
          <summary>History ({history.length} records; corrections supersede earlier ones)</summary>
          <table>
            <thead>
              <tr>
                <th>Recorded</th>
                <th>High grade</th>
                <th>WHO</th>
                <th>PFS 6 m</th>
                <th>Assessed</th>
                <th>Note</th>
              </tr>
            </thead>
            <tbody>
              {history.map((h) => (
                <tr key={h.id} className={superseded.has(h.id) ? 'superseded' : undefined}>
                  <td>{h.recordedAt.toISOString().replace('T', ' ').slice(0, 16)}</td>
                  <td>{yesNo(h.referenceHighGrade)}</td>
                  <td>{h.whoGrade ?? '—'}</td>
                  <td>{yesNo(h.progressionFree6m)}</td>
                  <td>{h.assessedOn}</td>
                  <td>{h.note ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
      <FormNotice notice={notice} className="notice" />
      {canRecord && !editing && (
        <button type="button" className={current ? 'secondary' : undefined} onClick={() => setEditing(true)}>
          {current ? 'Correct this outcome…' : 'Record outcome…'}
        </button>
      )}
      {canRecord && editing && (
        <form onSubmit={onSubmit} aria-label="Record outcome" className="subform">
          <div className="grid">
            <label>
              Histopathology: high grade (WHO 3–4)
              <select name="referenceHighGrade" defaultValue={current ? yesNo(current.referenceHighGrade) : 'unknown'}>
                <option value="unknown">unknown</option>
                <option value="yes">yes</option>
                <option value="no">no</option>
              </select>
            </label>
            <label>
              WHO grade
              <select name="whoGrade" defaultValue={current?.whoGrade ? String(current.whoGrade) : ''}>
                <option value="">unknown</option>
                {[1, 2, 3, 4].map((g) => (
                  <option key={g} value={g}>
                    {g}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Progression-free at 6 months
              <select name="progressionFree6m" defaultValue={current ? yesNo(current.progressionFree6m) : 'unknown'}>
                <option value="unknown">unknown</option>
                <option value="yes">yes</option>
                <option value="no">no</option>
              </select>
            </label>
            <label>
              Assessed on
              <input type="date" name="assessedOn" required max={today()} defaultValue={current?.assessedOn ?? today()} />
            </label>
          </div>
          <label>
            Note
            <textarea name="note" rows={2} maxLength={2000} defaultValue={current?.note ?? ''} />
          </label>
          <fieldset>
            <legend>Expert reference segmentation (optional)</legend>
            <p className="muted">A NIfTI label map (0 background, 1 edema, 2 non-enhancing, 3 enhancing) on the study&apos;s registered T1gd grid.</p>
            {current?.referenceLabelsSha256 && (
              <label className="inline">
                <input type="checkbox" name="keepReference" defaultChecked /> keep the current reference segmentation
              </label>
            )}
            <div className="grid">
              <label>
                Study
                <select name="referenceStudyId" defaultValue={studies[0]?.id ?? ''}>
                  {studies.length === 0 && <option value="">no study attached</option>}
                  {studies.map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.ingestedAt.toISOString().replace('T', ' ').slice(0, 16)} UTC
                    </option>
                  ))}
                </select>
              </label>
              <label>
                Label map
                <input type="file" name="reference" accept=".nii,.gz,.nii.gz" disabled={studies.length === 0} />
              </label>
            </div>
          </fieldset>
          <FormError error={error} />
          <button type="submit" disabled={busy}>
            {current ? 'Record correction' : 'Record outcome'}
          </button>{' '}
          <button type="button" className="secondary" onClick={() => setEditing(false)}>
            Cancel
          </button>
        </form>
      )}
      <FollowUpVisits trialId={trialId} participantId={participantId} canRecord={canRecord} />
    </section>
  );
}

type VisitRow = inferRouterOutputs<AppRouter>['outcomes']['visits'][number];

/**
 * Follow-up contacts for progression-free and overall survival: date of contact, alive or dead (with
 * the death date), progression with its date and basis. Nothing is pre-filled but the contact date;
 * every contact is a new record, and a correction supersedes one (the old stays in the history).
 */
function FollowUpVisits({ trialId, participantId, canRecord }: { trialId: string; participantId: string; canRecord: boolean }) {
  const [visits, setVisits] = useState<VisitRow[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const [correcting, setCorrecting] = useState<string | null>(null);
  const load = useCallback(
    () =>
      trpc.outcomes.visits
        .query({ trialId, participantId })
        .then(setVisits)
        .catch((e: unknown) => setLoadError(describeError(e))),
    [trialId, participantId],
  );
  useEffect(() => {
    void load();
  }, [load]);

  const { busy, error, onSubmit } = useSubmit(
    async (formEl) => {
      const form = new FormData(formEl);
      const vital = String(form.get('vitalStatus') ?? '');
      const progressed = String(form.get('progression') ?? '');
      if (vital !== 'alive' && vital !== 'dead') throw new Error('Say whether the participant was alive at this contact.');
      if (progressed !== 'yes' && progressed !== 'no') throw new Error('Say whether progression has been established.');
      const basis = String(form.get('progressionBasis') ?? '');
      await trpc.outcomes.recordVisit.mutate({
        trialId,
        participantId,
        visitDate: String(form.get('visitDate')),
        vitalStatus: vital,
        deathDate: vital === 'dead' ? String(form.get('deathDate') ?? '') || null : null,
        progression: progressed === 'yes',
        progressionDate: progressed === 'yes' ? String(form.get('progressionDate') ?? '') || null : null,
        progressionBasis: progressed === 'yes' && (basis === 'rano' || basis === 'clinical') ? basis : null,
        note: String(form.get('note') ?? '') || null,
        supersedesId: correcting,
      });
      setOpen(false);
      setCorrecting(null);
      await load();
    },
    undefined,
    { describe: describeError },
  );

  return (
    <div className="followup-visits" aria-label="Follow-up visits">
      <h3>Follow-up contacts (time to event)</h3>
      {visits && visits.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th>Contact</th>
              <th>Vital status</th>
              <th>Progression</th>
              <th>Note</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {visits.map((v) => (
              <tr key={v.id} className={v.current ? undefined : 'superseded'}>
                <td>{v.visitDate}</td>
                <td>{v.vitalStatus === 'dead' ? `died ${v.deathDate}` : 'alive'}</td>
                <td>{v.progression ? `${v.progressionDate} (${v.progressionBasis === 'rano' ? 'RANO' : 'clinical'})` : 'none'}</td>
                <td>{v.note ?? ''}</td>
                <td>
                  {canRecord && v.current && (
                    <button
                      type="button"
                      className="secondary"
                      onClick={() => {
                        setCorrecting(v.id);
                        setOpen(true);
                      }}
                    >
                      Correct…
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">{visits === null ? 'Loading…' : 'No follow-up contact recorded: the participant counts as missing in the survival analyses.'}</p>
      )}
      {canRecord && !open && (
        <button type="button" className="secondary" onClick={() => setOpen(true)}>
          Record follow-up contact…
        </button>
      )}
      {canRecord && open && (
        <form onSubmit={onSubmit} aria-label="Record follow-up contact" className="subform">
          {correcting && <p className="muted">Correcting the contact of {visits?.find((v) => v.id === correcting)?.visitDate}; the old record stays in the history.</p>}
          <div className="grid">
            <label>
              Contact date
              <input type="date" name="visitDate" required max={today()} defaultValue={today()} />
            </label>
            <label>
              Vital status
              <select name="vitalStatus" defaultValue="" required>
                <option value="" disabled>
                  choose…
                </option>
                <option value="alive">alive</option>
                <option value="dead">dead</option>
              </select>
            </label>
            <label>
              Death date (if dead)
              <input type="date" name="deathDate" max={today()} />
            </label>
            <label>
              Progression established
              <select name="progression" defaultValue="" required>
                <option value="" disabled>
                  choose…
                </option>
                <option value="no">no</option>
                <option value="yes">yes</option>
              </select>
            </label>
            <label>
              Progression date (if yes)
              <input type="date" name="progressionDate" max={today()} />
            </label>
            <label>
              Basis (if yes)
              <select name="progressionBasis" defaultValue="">
                <option value="">—</option>
                <option value="rano">RANO (imaging)</option>
                <option value="clinical">clinical</option>
              </select>
            </label>
          </div>
          <label>
            Note
            <textarea name="note" rows={2} maxLength={2000} />
          </label>
          <FormError error={error ?? loadError} />
          <button type="submit" disabled={busy}>
            {correcting ? 'Record correction' : 'Record contact'}
          </button>{' '}
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setOpen(false);
              setCorrecting(null);
            }}
          >
            Cancel
          </button>
        </form>
      )}
    </div>
  );
}
