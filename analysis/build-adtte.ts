import type { AdamDataset, AdamStudy, AdamSubject, AdamVariable } from './adam-subject';
import { armCode } from './build-adsl';
import { AnalysisInputError } from './errors';

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const PFS_EVENT: Record<'rano' | 'clinical' | 'death', string> = {
  rano: 'DISEASE PROGRESSION (RANO)',
  clinical: 'CLINICAL PROGRESSION',
  death: 'DEATH',
};
export const ADTTE_PARAMETERS = [
  { code: 'PFS', n: 1, label: 'Progression-Free Survival (days)' },
  { code: 'OS', n: 2, label: 'Overall Survival (days)' },
] as const;

/**
 * CDISC ADaM ADTTE (time-to-event, ADaM BDS for TTE 1.0): one row per randomized participant and
 * parameter (PFS, OS) from the platform's own derivation (deriveTimeToEvent): AVAL the days from
 * randomization (STARTDT) to the event or censoring date ADT (ADT − STARTDT, no +1, so AVAL is
 * the time every survival figure of the report uses), CNSR 0 for an event and 1 for a censoring
 * (ADaM's convention, the reverse of an event indicator), EVNTDESC / CNSDTDSC saying which. A
 * participant without any follow-up contact is censored at randomization (AVAL 0, CNSR 1): they
 * are at risk at no event time after day 0, so Kaplan–Meier estimates and the log-rank test
 * equal the report's, which leaves them out. Throws `INVALID_ARGUMENT` for an unknown arm.
 *
 * @example
 * buildAdtte(study, subjects).rows.filter((r) => r[r.length - 6] === 'PFS'); // the PFS rows
 */
export function buildAdtte(study: AdamStudy, subjects: readonly AdamSubject[]): AdamDataset {
  const labelOf = new Map(study.arms.map((a) => [a.key, a.label]));
  const strata = study.factors.map((f, i) => ({ factor: f, name: `STRAT${i + 1}` }));
  const variables: AdamVariable[] = [
    v('STUDYID', 'Study Identifier', 'Char', null, 'ADSL.STUDYID.'),
    v('USUBJID', 'Unique Subject Identifier', 'Char', null, 'ADSL.USUBJID.'),
    v('SUBJID', 'Subject Identifier for the Study', 'Char', null, 'ADSL.SUBJID.'),
    v('SITEID', 'Study Site Identifier', 'Char', null, 'ADSL.SITEID.'),
    v('ARM', 'Description of Planned Arm', 'Char', null, 'ADSL.ARM.'),
    v('ARMCD', 'Planned Arm Code', 'Char', null, 'ADSL.ARMCD.'),
    v('TRTP', 'Planned Treatment', 'Char', null, 'ADSL.TRT01P.'),
    v('STRATUM', 'Randomization Stratum', 'Char', null, 'ADSL.STRATUM (the strata of the stratified log-rank test and Cox model).'),
    ...strata.map((s) => v(s.name, `Stratification factor: ${s.factor}`.slice(0, 40), 'Char', null, `ADSL.${s.name}.`)),
    v('ITTFL', 'Intent-To-Treat Population Flag', 'Char', null, 'ADSL.ITTFL.'),
    v('PARAMCD', 'Parameter Code', 'Char', null, "'PFS' or 'OS'."),
    v('PARAM', 'Parameter', 'Char', null, 'PFS: progression (signed RANO progression or clinical progression) or death, whichever first; OS: death from any cause.'),
    v('PARAMN', 'Parameter (N)', 'Num', null, 'PFS 1, OS 2.'),
    v('AVAL', 'Analysis Value', 'Num', null, 'ADT − STARTDT in days (no +1): the time of the platform report and its R reproduction.'),
    v('AVALU', 'Analysis Value Unit', 'Char', null, "'DAYS'."),
    v('STARTDT', 'Time-to-Event Origin Date for Subject', 'Char', 'ISO 8601', 'ADSL.RANDDT.'),
    v(
      'ADT',
      'Analysis Date',
      'Char',
      'ISO 8601',
      'Event date (earliest qualifying event on or after randomization), or the censoring date: the last contact alive (and, for PFS, progression-free); STARTDT when there was no follow-up contact.',
    ),
    v('CNSR', 'Censor', 'Num', null, '0 event, 1 censored (ADaM convention). In R: Surv(AVAL, 1 - CNSR).'),
    v('EVNTDESC', 'Event or Censoring Description', 'Char', null, "For events: 'DISEASE PROGRESSION (RANO)', 'CLINICAL PROGRESSION' or 'DEATH'; '' when censored."),
    v(
      'CNSDTDSC',
      'Censor Date Description',
      'Char',
      null,
      "For censorings: 'LAST CONTACT ALIVE AND PROGRESSION-FREE' (PFS), 'LAST CONTACT ALIVE' (OS), or 'NO POST-RANDOMIZATION CONTACT' (censored at STARTDT); '' for events.",
    ),
  ];
  const rows: (string | number | null)[][] = [];
  for (const s of subjects) {
    const label = labelOf.get(s.arm);
    if (label === undefined) throw new AnalysisInputError('INVALID_ARGUMENT', `subject ${s.subjectId} has arm '${s.arm}', not one of ${study.arms.map((a) => a.key).join(', ')}`);
    const common = [study.studyId, `${study.studyId}-${s.subjectId}`, s.subjectId, s.site, label, armCode(s.arm), label, s.stratum, ...strata.map((f) => s.levels[f.factor] ?? ''), 'Y'];
    for (const p of ADTTE_PARAMETERS) {
      const surv = s.survival;
      let aval = 0;
      let cnsr = 1;
      let eventDesc = '';
      let censorDesc = 'NO POST-RANDOMIZATION CONTACT';
      if (surv) {
        aval = p.code === 'PFS' ? surv.pfsDays : surv.osDays;
        const event = p.code === 'PFS' ? surv.pfsEvent : surv.osEvent;
        cnsr = 1 - event;
        eventDesc = event === 1 ? (p.code === 'PFS' ? PFS_EVENT[surv.pfsBasis ?? 'death'] : 'DEATH') : '';
        censorDesc = event === 1 ? '' : p.code === 'PFS' ? 'LAST CONTACT ALIVE AND PROGRESSION-FREE' : 'LAST CONTACT ALIVE';
      }
      rows.push([...common, p.code, p.label, p.n, aval, 'DAYS', s.randomizedOn, addDays(s.randomizedOn, aval), cnsr, eventDesc, censorDesc]);
    }
  }
  return { name: 'ADTTE', columns: variables.map((x) => x.name), rows, variables };
}

function v(name: string, label: string, type: 'Char' | 'Num', format: string | null, derivation: string): AdamVariable {
  return { dataset: 'ADTTE', name, label, type, format, derivation };
}
