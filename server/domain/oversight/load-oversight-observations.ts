import { and, asc, eq, inArray, isNotNull } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import type { ContentStore } from '@/imaging/storage/content-store';
import { sequenceRoles, type SequenceRole } from '@/imaging/ingest/ingest';
import { segmentationMetricsFor } from '../analytics/segmentation-metrics-cache';
import { caseReviews, segmentationReviews, segmentations, sites, studies, studyVolumes, trials } from '@/db/schema';
import type { TrialAccess } from '../trials/trial-access';
import type { OversightObservation } from './build-oversight-dashboard';
import type { OversightMetric } from './oversight-metrics';

interface RegistrationFigures {
  readonly nmiAfter?: number;
}

interface StudyPreprocessing {
  readonly brainExtraction?: { readonly volumeMl?: number };
  readonly normalization?: { readonly stats?: Partial<Record<SequenceRole, { readonly mean: number; readonly sd: number }>> };
}

/** SD/mean of each sequence's intensities inside the brain (studies ingested before these were kept have none). */
function intensityCv(preprocessing: unknown, role: SequenceRole): number | null {
  const stats = (preprocessing as StudyPreprocessing | null)?.normalization?.stats?.[role];
  return stats && stats.mean > 0 ? stats.sd / stats.mean : null;
}

function meanNmi(registration: unknown): number | null {
  const values = Object.values((registration ?? {}) as Record<string, RegistrationFigures>)
    .map((r) => r?.nmiAfter)
    .filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return values.length ? values.reduce((s, v) => s + v, 0) / values.length : null;
}

/**
 * Every figure the oversight dashboard charts, for the sites the caller may see. Input figures come
 * from each ingested study; output figures from the AI segmentation of the trial's pinned model (any
 * model before go-live), whatever the arm; interaction figures from each signed case review whose
 * reader was shown the AI's proposal (their current segmentation review), with time on task from
 * opening to signing. No arm is read here: the figures describe the AI and its use, pooled.
 */
export async function loadOversightObservations({
  db,
  store,
  access,
  fastSignSeconds,
}: {
  db: DbOrTx;
  store: ContentStore;
  access: TrialAccess;
  fastSignSeconds: number;
}): Promise<OversightObservation[]> {
  const [trial] = await db.select({ pinnedModelId: trials.pinnedModelId }).from(trials).where(eq(trials.id, access.trialId));
  const siteFilter = access.siteIds === null ? undefined : inArray(studies.siteId, access.siteIds.length ? [...access.siteIds] : ['00000000-0000-0000-0000-000000000000']);
  const studyRows = await db
    .select({ id: studies.id, siteId: studies.siteId, siteCode: sites.code, ingestedAt: studies.ingestedAt, registration: studies.registration, preprocessing: studies.preprocessing })
    .from(studies)
    .innerJoin(sites, eq(sites.id, studies.siteId))
    .where(and(eq(studies.trialId, access.trialId), siteFilter))
    .orderBy(asc(studies.ingestedAt));
  if (studyRows.length === 0) return [];
  const studyIds = studyRows.map((s) => s.id);
  const byStudy = new Map(studyRows.map((s) => [s.id, s]));
  const observations: OversightObservation[] = [];
  const add = (metric: OversightMetric, studyId: string, observedAt: Date, value: number | null) => {
    const study = byStudy.get(studyId);
    if (study && value !== null && Number.isFinite(value)) observations.push({ metric, siteId: study.siteId, siteCode: study.siteCode, studyId, observedAt, value });
  };

  for (const study of studyRows) {
    add('registration_nmi', study.id, study.ingestedAt, meanNmi(study.registration));
    add('brain_volume_ml', study.id, study.ingestedAt, (study.preprocessing as StudyPreprocessing | null)?.brainExtraction?.volumeMl ?? null);
    for (const role of sequenceRoles) add(`intensity_cv_${role}`, study.id, study.ingestedAt, intensityCv(study.preprocessing, role));
  }
  const volumeRows = await db.select({ studyId: studyVolumes.studyId, header: studyVolumes.header }).from(studyVolumes).where(inArray(studyVolumes.studyId, studyIds));
  const thickest = new Map<string, number>();
  for (const v of volumeRows) {
    const spacing = (v.header as { spacing?: number[] }).spacing ?? [];
    thickest.set(v.studyId, Math.max(thickest.get(v.studyId) ?? 0, ...spacing.filter((s) => Number.isFinite(s))));
  }
  for (const [studyId, mm] of thickest) add('slice_thickness_mm', studyId, byStudy.get(studyId)!.ingestedAt, mm);

  const segRows = await db
    .select({ studyId: segmentations.studyId, modelId: segmentations.modelId, volumesMl: segmentations.volumesMl, risk: segmentations.riskHighGrade, createdAt: segmentations.createdAt })
    .from(segmentations)
    .where(and(inArray(segmentations.studyId, studyIds), trial?.pinnedModelId ? eq(segmentations.modelId, trial.pinnedModelId) : undefined))
    .orderBy(asc(segmentations.createdAt));
  const latestSegmentation = new Map<string, (typeof segRows)[number]>();
  for (const row of segRows) latestSegmentation.set(row.studyId, row);
  for (const [studyId, seg] of latestSegmentation) {
    const at = byStudy.get(studyId)!.ingestedAt;
    const volumes = seg.volumesMl as { WT?: number; ET?: number };
    add('volume_wt_ml', studyId, at, volumes.WT ?? null);
    add('volume_et_ml', studyId, at, volumes.ET ?? null);
    if (typeof volumes.WT === 'number') add('empty_mask', studyId, at, volumes.WT === 0 ? 1 : 0);
    add('risk_high_grade', studyId, at, seg.risk);
  }

  const reviewRows = await db
    .select({
      caseReviewId: caseReviews.id,
      studyId: caseReviews.studyId,
      openedAt: caseReviews.openedAt,
      signedAt: caseReviews.signedAt,
      outcome: segmentationReviews.outcome,
      recordedAt: segmentationReviews.recordedAt,
      aiLabels: segmentationReviews.originalLabelsSha256,
      editedLabels: segmentationReviews.editedLabelsSha256,
    })
    .from(segmentationReviews)
    .innerJoin(caseReviews, eq(caseReviews.id, segmentationReviews.caseReviewId))
    .where(and(inArray(caseReviews.studyId, studyIds), isNotNull(caseReviews.signedAt)))
    .orderBy(asc(segmentationReviews.recordedAt));
  const currentReview = new Map<string, (typeof reviewRows)[number]>();
  for (const row of reviewRows) currentReview.set(row.caseReviewId, row);
  for (const review of currentReview.values()) {
    const signedAt = review.signedAt as Date;
    const seconds = (signedAt.getTime() - review.openedAt.getTime()) / 1000;
    add('ai_rejected', review.studyId, signedAt, review.outcome === 'rejected' ? 1 : 0);
    add('ai_edited', review.studyId, signedAt, review.outcome === 'edited' ? 1 : 0);
    add('time_on_task_s', review.studyId, signedAt, seconds);
    add('fast_sign', review.studyId, signedAt, seconds < fastSignSeconds ? 1 : 0);
    if (review.outcome === 'accepted') {
      add('agreement_dice_wt', review.studyId, signedAt, 1);
      add('agreement_hd95_wt', review.studyId, signedAt, 0);
    } else if (review.outcome === 'edited' && review.editedLabels) {
      // Content-addressed pairs: computed once per process (the analytics cache), not per page load.
      const metrics = await segmentationMetricsFor({ store, predictedSha256: review.aiLabels, referenceSha256: review.editedLabels });
      add('agreement_dice_wt', review.studyId, signedAt, metrics?.WT.dice ?? null);
      add('agreement_hd95_wt', review.studyId, signedAt, metrics?.WT.hd95 ?? null);
    }
  }
  return observations;
}
