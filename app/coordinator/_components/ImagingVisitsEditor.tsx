'use client';
import { DEFAULT_IMAGING_VISITS, imagingVisitScheduleSchema, type ImagingVisit } from '@/server/domain/followup/imaging-visit-schedule';

/** One editable visit: numbers kept as typed until the design is saved. */
export interface ImagingVisitRow {
  code: string;
  label: string;
  offsetDays: string;
  windowDays: string;
}

export const imagingVisitRows = (visits: readonly ImagingVisit[] | undefined): ImagingVisitRow[] =>
  (visits ?? DEFAULT_IMAGING_VISITS).map((v) => ({ code: v.code, label: v.label, offsetDays: String(v.offsetDays), windowDays: String(v.windowDays) }));

/** The rows as the design's `imagingVisits` (numbers as typed: the server validates them again). */
export const imagingVisitsFromRows = (rows: readonly ImagingVisitRow[]): ImagingVisit[] =>
  rows.map((r) => ({ code: r.code.trim(), label: r.label.trim(), offsetDays: Number(r.offsetDays), windowDays: Number(r.windowDays) }));

/**
 * The rows as the design's `imagingVisits`, checked with the same schema the server applies
 * (baseline first at day 0, offsets increasing, codes unique): `{ visits }` or `{ error }` naming the
 * visit and the field, so the coordinator sees the problem before saving.
 */
export function parseImagingVisitRows(rows: readonly ImagingVisitRow[]): { visits: ImagingVisit[] } | { error: string } {
  const parsed = imagingVisitScheduleSchema.safeParse(imagingVisitsFromRows(rows));
  if (parsed.success) return { visits: parsed.data };
  const issue = parsed.error.issues[0]!;
  const [index, field] = issue.path;
  const where = typeof index === 'number' ? `Imaging visit ${index + 1}${field ? ` (${String(field)})` : ''}` : 'Imaging visits';
  return { error: `${where}: ${issue.message}` };
}

/**
 * The trial's imaging schedule (issue 18) as part of the design form: the baseline (day 0, the scan
 * that dates the others) and follow-ups due a number of days after it, each with a window either
 * side; a scan outside its window is flagged early or late, and a visit whose window closed without
 * a scan is flagged missed. Controlled: the parent keeps the rows and saves them with the design.
 */
export function ImagingVisitsEditor({ rows, onChange }: { rows: ImagingVisitRow[]; onChange: (rows: ImagingVisitRow[]) => void }) {
  const set = (i: number, patch: Partial<ImagingVisitRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const check = parseImagingVisitRows(rows);
  return (
    <section className="panel" aria-label="Imaging visits" data-testid="imaging-visits-editor">
      <h2>Imaging visits</h2>
      <p className="muted" style={{ marginTop: 0 }}>
        Baseline first (day 0: the post-radiotherapy scan that dates the schedule), then follow-ups due a number of days after it (RANO: every 8–12 weeks). A scan outside its window is flagged early
        or late; a visit whose window has closed without a scan is flagged missed.
      </p>
      {rows.map((r, i) => (
        <div className="row" key={i} data-testid={`imaging-visit-${i}`}>
          <label className="narrow">
            Code
            <input aria-label={`Visit ${i + 1} code`} value={r.code} onChange={(e) => set(i, { code: e.target.value })} required />
          </label>
          <label className="wide">
            Label
            <input aria-label={`Visit ${i + 1} label`} value={r.label} onChange={(e) => set(i, { label: e.target.value })} required />
          </label>
          <label className="narrow">
            Due (days after baseline)
            <input aria-label={`Visit ${i + 1} due day`} type="number" min={0} value={r.offsetDays} onChange={(e) => set(i, { offsetDays: e.target.value })} readOnly={i === 0} required />
          </label>
          <label className="narrow">
            Window ± days
            <input aria-label={`Visit ${i + 1} window`} type="number" min={0} value={r.windowDays} onChange={(e) => set(i, { windowDays: e.target.value })} required />
          </label>
          {i > 0 && (
            <button type="button" className="secondary small" onClick={() => onChange(rows.filter((_, j) => j !== i))}>
              Remove
            </button>
          )}
        </div>
      ))}
      <div className="row">
        <button
          type="button"
          className="secondary small"
          onClick={() => {
            const last = Number(rows.at(-1)?.offsetDays ?? 0);
            onChange([...rows, { code: `fu${rows.length}`, label: `Follow-up ${rows.length} (week ${Math.round((last + 56) / 7)})`, offsetDays: String(last + 56), windowDays: '7' }]);
          }}
        >
          Add a follow-up visit
        </button>
        <button type="button" className="secondary small" onClick={() => onChange(imagingVisitRows(undefined))}>
          Default schedule
        </button>
      </div>
      {'error' in check && (
        <p className="error" role="alert" data-testid="imaging-visits-error">
          {check.error}
        </p>
      )}
    </section>
  );
}
