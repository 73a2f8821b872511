import type { AdamStudy, AdamSubject } from '@/analysis/adam-subject';
import type { AnalysisDataset } from '../analytics/analysis-dataset';
import type { SurvivalOutcome } from '../outcomes/derive-time-to-event';

/** What ADaM needs beyond the analysis dataset, per participant id. */
export interface AdamExtras {
  readonly eligible: boolean | null;
  readonly firstReadOn: string | null;
  readonly discontinuation: AdamSubject['discontinuation'];
  readonly survival: SurvivalOutcome | null;
}

/**
 * The ADaM subjects of an analysis dataset: its rows (the randomized participants the reader may
 * see, with arm, stratum and covariates) joined to the facts only ADaM uses (eligibility, first
 * read, discontinuation reason, and the survival derivation with its event basis and last contact).
 */
export function adamSubjectsOf(dataset: AnalysisDataset, extras: ReadonlyMap<string, AdamExtras>): { study: AdamStudy; subjects: AdamSubject[] } {
  const study: AdamStudy = { studyId: dataset.trial.slug.toUpperCase(), arms: dataset.arms, factors: dataset.factors, status: dataset.trial.status };
  const subjects = dataset.rows.map((r): AdamSubject => {
    const x = extras.get(r.participantId);
    const s = x?.survival ?? null;
    return {
      subjectId: r.studyId,
      site: r.site,
      arm: r.arm,
      age: r.age,
      sex: r.sex,
      randomizedOn: r.randomizedOn,
      stratum: r.stratum,
      levels: r.levels,
      eligible: x?.eligible ?? null,
      firstReadOn: x?.firstReadOn ?? null,
      protocolDeviation: r.protocolDeviation,
      withdrawn: r.withdrawn,
      discontinuation: x?.discontinuation ?? null,
      survival: s ? { pfsDays: s.pfs.days, pfsEvent: s.pfs.event, pfsBasis: s.pfsEventBasis, osDays: s.os.days, osEvent: s.os.event, lastContact: s.lastContact } : null,
    };
  });
  return { study, subjects };
}
