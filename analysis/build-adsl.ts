import type { AdamDataset, AdamStudy, AdamSubject, AdamVariable } from './adam-subject';
import { AnalysisInputError } from './errors';

const yn = (v: boolean) => (v ? 'Y' : 'N');
/** ARMCD: the arm key in upper case, at most 20 characters (SDTM's limit). */
export const armCode = (key: string) => key.toUpperCase().slice(0, 20);
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * CDISC ADaM ADSL (subject-level analysis data set, ADaM IG 1.3 §3.2): one row per randomized
 * participant with the identifiers, planned and actual arm, randomization date and strata, the
 * population flags (ITT, randomized, safety, per protocol), eligibility, end-of-study status and
 * reason, death and last-alive dates. Missing text is '' and missing numbers null, as SAS writes
 * missing character and numeric values. `variables` is the define-style metadata of every column.
 * Throws `INVALID_ARGUMENT` when a subject's arm is not one of the study's arms.
 *
 * @example
 * buildAdsl(study, subjects).rows[0]; // → ['GLIOMA-AI', 'GLIOMA-AI-S001', 'S001', 'site-a', 54, 'YEARS', 'F', …]
 */
export function buildAdsl(study: AdamStudy, subjects: readonly AdamSubject[]): AdamDataset {
  const labelOf = new Map(study.arms.map((a) => [a.key, a.label]));
  const strata = study.factors.map((f, i) => ({ factor: f, name: `STRAT${i + 1}` }));
  const variables: AdamVariable[] = [
    v('STUDYID', 'Study Identifier', 'Char', null, "The trial's slug."),
    v('USUBJID', 'Unique Subject Identifier', 'Char', null, 'STUDYID-SUBJID.'),
    v('SUBJID', 'Subject Identifier for the Study', 'Char', null, 'The pseudonymous study ID assigned at enrolment.'),
    v('SITEID', 'Study Site Identifier', 'Char', null, 'The site code.'),
    v('AGE', 'Age', 'Num', null, 'Baseline covariate age (years) as recorded at enrolment.'),
    v('AGEU', 'Age Units', 'Char', null, "'YEARS' when AGE is present."),
    v('SEX', 'Sex', 'Char', null, 'Baseline covariate sex as recorded at enrolment.'),
    v('ARM', 'Description of Planned Arm', 'Char', null, "The randomized arm's label (allocations.arm)."),
    v('ARMCD', 'Planned Arm Code', 'Char', null, 'The randomized arm key in upper case.'),
    v('ACTARM', 'Description of Actual Arm', 'Char', null, 'As ARM: the review arm is delivered by the platform as allocated (a wrong-arm review is a protocol deviation, see PPROTFL).'),
    v('ACTARMCD', 'Actual Arm Code', 'Char', null, 'As ARMCD.'),
    v('TRT01P', 'Planned Treatment for Period 01', 'Char', null, 'As ARM.'),
    v('TRT01A', 'Actual Treatment for Period 01', 'Char', null, 'As ACTARM.'),
    v('RANDDT', 'Date of Randomization', 'Char', 'ISO 8601', 'allocations.allocated_at (UTC date).'),
    v(
      'TRTSDT',
      'Date of First Exposure to Treatment',
      'Char',
      'ISO 8601',
      'Date (UTC) of the first signed read of the participant: the intervention is the (AI-assisted or usual) review. Empty when not yet read.',
    ),
    v('STRATUM', 'Randomization Stratum', 'Char', null, 'allocations.stratum_key: the site and the factor levels the allocation was made in.'),
    ...strata.map((s) => v(s.name, `Stratification factor: ${s.factor}`.slice(0, 40), 'Char', null, `Level of the stratification factor '${s.factor}' at randomization (participants.covariates).`)),
    v(
      'ELIGFL',
      'Eligibility Criteria Met Flag',
      'Char',
      null,
      "'Y' when every eligibility criterion of the design was answered met, 'N' when any was not (randomized under a signed waiver), '' when no answers were recorded.",
    ),
    v('RANDFL', 'Randomized Population Flag', 'Char', null, "'Y' for every row: ADSL holds randomized participants only."),
    v('ITTFL', 'Intent-To-Treat Population Flag', 'Char', null, "'Y' for every randomized participant (analysed as randomized)."),
    v('SAFFL', 'Safety Population Flag', 'Char', null, "'Y' when TRTSDT is present (the participant's baseline study was read)."),
    v('PPROTFL', 'Per-Protocol Population Flag', 'Char', null, "'Y' unless withdrawn or with a recorded protocol deviation (the report's per-protocol population)."),
    v('EOSSTT', 'End of Study Status', 'Char', null, "'DISCONTINUED' when withdrawn or lost to follow-up; else 'COMPLETED' once the trial is closed, 'ONGOING' before."),
    v('EOSDT', 'End of Study Date', 'Char', 'ISO 8601', 'Date of the withdrawal or loss to follow-up event (the earliest).'),
    v('DCSREAS', 'Reason for Discontinuation from Study', 'Char', null, "'WITHDRAWAL BY SUBJECT' or 'LOST TO FOLLOW-UP', then ': ' and the recorded reason category."),
    v('DTHFL', 'Subject Death Flag', 'Char', null, "'Y' when a follow-up contact recorded a death on or after randomization."),
    v('DTHDT', 'Date of Death', 'Char', 'ISO 8601', 'RANDDT + OS days when the OS event occurred.'),
    v('LSTALVDT', 'Date Last Known Alive', 'Char', 'ISO 8601', 'The latest follow-up contact (or signed RANO scan) date; the death date for those who died.'),
  ];
  const rows = subjects.map((s) => {
    const label = labelOf.get(s.arm);
    if (label === undefined) throw new AnalysisInputError('INVALID_ARGUMENT', `subject ${s.subjectId} has arm '${s.arm}', not one of ${study.arms.map((a) => a.key).join(', ')}`);
    const died = s.survival?.osEvent === 1;
    const eos = s.discontinuation ? 'DISCONTINUED' : study.status === 'closed' ? 'COMPLETED' : 'ONGOING';
    const reason = s.discontinuation ? `${s.discontinuation.kind === 'withdrawn' ? 'WITHDRAWAL BY SUBJECT' : 'LOST TO FOLLOW-UP'}: ${s.discontinuation.reason}` : '';
    return [
      study.studyId,
      `${study.studyId}-${s.subjectId}`,
      s.subjectId,
      s.site,
      s.age,
      s.age === null ? '' : 'YEARS',
      s.sex ?? '',
      label,
      armCode(s.arm),
      label,
      armCode(s.arm),
      label,
      label,
      s.randomizedOn,
      s.firstReadOn ?? '',
      s.stratum,
      ...strata.map((f) => s.levels[f.factor] ?? ''),
      s.eligible === null ? '' : yn(s.eligible),
      'Y',
      'Y',
      yn(s.firstReadOn !== null),
      yn(!s.withdrawn && !s.protocolDeviation),
      eos,
      s.discontinuation?.on ?? '',
      reason,
      yn(died),
      died && s.survival ? addDays(s.randomizedOn, s.survival.osDays) : '',
      s.survival ? (died ? addDays(s.randomizedOn, s.survival.osDays) : s.survival.lastContact) : '',
    ];
  });
  return { name: 'ADSL', columns: variables.map((x) => x.name), rows, variables };
}

function v(name: string, label: string, type: 'Char' | 'Num', format: string | null, derivation: string): AdamVariable {
  return { dataset: 'ADSL', name, label, type, format, derivation };
}
