import { and, eq, inArray, isNotNull, min } from 'drizzle-orm';
import { buildAdsl } from '@/analysis/build-adsl';
import { buildAdtte } from '@/analysis/build-adtte';
import type { AdamDataset } from '@/analysis/adam-subject';
import type { DbOrTx } from '@/db/client';
import { caseReviews, EVENT_REASONS, participantEvents, participants } from '@/db/schema';
import type { AnalysisDataset } from '../analytics/analysis-dataset';
import { listSurvivalOutcomes } from '../outcomes/list-survival-outcomes';
import { loadTrial } from '../trials/load-trial';
import { parseTrialDesign, unmetCriteria } from '../trials/trial-design';
import { adamSubjectsOf, type AdamExtras } from './adam-subjects-of';

/**
 * CDISC ADaM ADSL and ADTTE of a trial's analysis dataset (the randomized participants the caller
 * may see): reads eligibility answers, the first signed read, withdrawal and loss-to-follow-up
 * events with their reasons, and the survival derivation, then builds both data sets with their
 * define-style variable metadata. Read-only.
 */
export async function loadAdamDatasets({ db, dataset }: { db: DbOrTx; dataset: AnalysisDataset }): Promise<{ adsl: AdamDataset; adtte: AdamDataset }> {
  const ids = dataset.rows.map((r) => r.participantId);
  const idList = ids.length ? ids : ['00000000-0000-0000-0000-000000000000'];
  const trial = await loadTrial(db, dataset.trial.id);
  const design = trial.design ? parseTrialDesign(trial.design) : null;
  const answers = new Map(
    (await db.select({ id: participants.id, eligibility: participants.eligibility }).from(participants).where(inArray(participants.id, idList))).map((p) => [p.id, p.eligibility]),
  );
  const reads = new Map(
    (
      await db
        .select({ id: caseReviews.participantId, first: min(caseReviews.signedAt) })
        .from(caseReviews)
        .where(and(inArray(caseReviews.participantId, idList), isNotNull(caseReviews.signedAt)))
        .groupBy(caseReviews.participantId)
    ).map((r) => [r.id, r.first]),
  );
  const events = await db
    .select({ id: participantEvents.participantId, kind: participantEvents.kind, reason: participantEvents.reason, on: participantEvents.occurredOn })
    .from(participantEvents)
    .where(and(eq(participantEvents.trialId, dataset.trial.id), inArray(participantEvents.participantId, idList)));
  const survival = await listSurvivalOutcomes({ db, trialId: dataset.trial.id, randomizedOn: new Map(dataset.rows.map((r) => [r.participantId, r.randomizedOn])) });
  const extras = new Map<string, AdamExtras>();
  for (const id of ids) {
    const a = answers.get(id);
    const first = reads.get(id);
    const ended = events
      .filter((e) => e.id === id && (e.kind === 'withdrawn' || e.kind === 'lost_to_follow_up'))
      .sort((x, y) => x.on.localeCompare(y.on))
      .at(0);
    const reasonLabel = ended ? ((EVENT_REASONS[ended.kind] as Record<string, string>)[ended.reason] ?? ended.reason) : '';
    extras.set(id, {
      eligible: design && a && Object.keys(a).length > 0 ? unmetCriteria(design, a).length === 0 : null,
      firstReadOn: first ? new Date(first).toISOString().slice(0, 10) : null,
      discontinuation: ended ? { on: ended.on, kind: ended.kind as 'withdrawn' | 'lost_to_follow_up', reason: reasonLabel.toUpperCase() } : null,
      survival: survival.get(id) ?? null,
    });
  }
  const { study, subjects } = adamSubjectsOf(dataset, extras);
  return { adsl: buildAdsl(study, subjects), adtte: buildAdtte(study, subjects) };
}
