/** One data point of a participant's record that a monitor verifies against source documents. */
export interface SourceDataPoint {
  /** The record it belongs to ('participant' or 'outcome') and that record's id. */
  readonly entityType: 'participant' | 'outcome';
  readonly entityId: string;
  /** Stable field name, e.g. 'consentDate', 'eligibility.adult', 'covariates.age', 'progressionFree6m'. */
  readonly field: string;
  readonly label: string;
  /** The value as recorded, in words ('—' when not recorded). */
  readonly value: string;
}

interface ParticipantRecord {
  readonly id: string;
  readonly consentDate: string | null;
  readonly eligibility: Readonly<Record<string, boolean>>;
  readonly covariates: Readonly<Record<string, string | number>>;
}
interface OutcomeRecord {
  readonly id: string;
  readonly assessedOn: string;
  readonly progressionFree6m: boolean | null;
  readonly referenceHighGrade: boolean | null;
  readonly whoGrade: number | null;
}

const yesNo = (v: boolean | null | undefined) => (v === null || v === undefined ? '—' : v ? 'yes' : 'no');

/**
 * The data points of one participant that source data verification covers: consent date, each
 * eligibility answer of the design's checklist, each baseline covariate, and the fields of the
 * current outcome record. A correction of an outcome is a new record with a new id, so its points
 * are unverified again: verification belongs to the value that was checked. No allocation is a
 * data point: a blinded monitor verifies without learning the arm.
 */
export function sourceDataPoints({
  participant,
  criteria,
  outcome,
}: {
  participant: ParticipantRecord;
  criteria: readonly { readonly id: string; readonly text: string }[];
  outcome: OutcomeRecord | null;
}): SourceDataPoint[] {
  const p = (field: string, label: string, value: string): SourceDataPoint => ({ entityType: 'participant', entityId: participant.id, field, label, value });
  const points: SourceDataPoint[] = [p('consentDate', 'Consent date', participant.consentDate ?? '—')];
  for (const c of criteria) points.push(p(`eligibility.${c.id}`, `Eligibility: ${c.text}`, yesNo(participant.eligibility[c.id])));
  for (const [name, value] of Object.entries(participant.covariates).sort(([a], [b]) => a.localeCompare(b))) points.push(p(`covariates.${name}`, `Baseline: ${name}`, String(value)));
  if (outcome) {
    const o = (field: string, label: string, value: string): SourceDataPoint => ({ entityType: 'outcome', entityId: outcome.id, field, label, value });
    points.push(
      o('assessedOn', 'Outcome: assessed on', outcome.assessedOn),
      o('progressionFree6m', 'Outcome: progression-free at 6 months', yesNo(outcome.progressionFree6m)),
      o('referenceHighGrade', 'Outcome: histopathology high grade', yesNo(outcome.referenceHighGrade)),
      o('whoGrade', 'Outcome: WHO grade', outcome.whoGrade === null ? '—' : String(outcome.whoGrade)),
    );
  }
  return points;
}
