import { and, eq, inArray } from 'drizzle-orm';
import type { Database, DbOrTx } from '@/db/client';
import { models, segmentations, studies, trials } from '@/db/schema';
import type { TumorRegion } from '@/imaging/metrics/region-masks';
import type { ContentStore } from '@/imaging/storage/content-store';
import { AppError } from '../../errors';
import { enqueueJob } from '../../jobs/queue';
import { segmentationMetricsFor } from '../analytics/segmentation-metrics-cache';
import { writeAuditEvent, type AuditActor, type RequestMetadata } from '../audit/write-audit-event';
import { SEGMENT_STUDY_JOB, segmentStudyJobKey } from '../segmentation/segment-study-job';

async function pinnedModelOf(db: DbOrTx, trialId: string): Promise<string> {
  const [trial] = await db.select({ pinnedModelId: trials.pinnedModelId }).from(trials).where(eq(trials.id, trialId));
  if (!trial) throw new AppError('NOT_FOUND', 'Trial not found.');
  if (!trial.pinnedModelId) throw new AppError('INVALID_STATE', 'This trial has not pinned a model yet (it does at go-live): there is nothing to compare a candidate with.');
  return trial.pinnedModelId;
}

/**
 * Controlled model change, step one: an admin runs a candidate model version in shadow on every
 * study of a live trial. One `segment-study` job per study (idempotent: a study already segmented by
 * the candidate is not run again). The results are stored beside the pinned model's and never shown:
 * review serves the pinned model's result only. Audited. Returns the number of jobs queued.
 */
export async function startShadowEvaluation({ db, trialId, modelId, actor, request }: { db: Database; trialId: string; modelId: string; actor: AuditActor; request: RequestMetadata }) {
  const pinnedModelId = await pinnedModelOf(db, trialId);
  const [candidate] = await db.select({ id: models.id, name: models.name, version: models.version, sha256: models.sha256 }).from(models).where(eq(models.id, modelId));
  if (!candidate) throw new AppError('NOT_FOUND', 'Model not found.');
  if (candidate.id === pinnedModelId) throw new AppError('INVALID_STATE', `${candidate.name} ${candidate.version} is the trial's pinned model: choose another version to compare.`);
  return db.transaction(async (tx) => {
    const rows = await tx.select({ id: studies.id }).from(studies).where(eq(studies.trialId, trialId));
    let queued = 0;
    for (const study of rows) {
      const payload = { studyId: study.id, modelId: candidate.id };
      const job = await enqueueJob(tx, { kind: SEGMENT_STUDY_JOB, key: segmentStudyJobKey(payload), payload });
      if (job.created) queued += 1;
    }
    await writeAuditEvent({
      tx,
      actor,
      action: 'model.shadow_evaluation_started',
      entityType: 'model',
      entityId: candidate.id,
      trialId,
      after: { candidate, pinnedModelId, studies: rows.length, jobsQueued: queued },
      request,
    });
    return { studies: rows.length, queued };
  });
}

export interface ShadowComparison {
  readonly candidate: { readonly id: string; readonly name: string; readonly version: string; readonly sha256: string };
  readonly studies: number;
  /** Studies with both results so far (the rest are still running, or failed). */
  readonly compared: number;
  /** Dice of the candidate's label map against the pinned model's, per region: mean and minimum over the compared studies. */
  readonly agreement: Readonly<Record<TumorRegion, { readonly meanDice: number | null; readonly minDice: number | null; readonly n: number }>>;
  /** The candidate's own card figures (internal, external and stress rows), as its card states them. */
  readonly cardMetrics: unknown;
}

/**
 * Controlled model change, step two: how far a candidate version's results on this trial's studies
 * agree with the pinned model's (Dice per region of the two label maps, both from the content store,
 * computed once per pair), beside the candidate card's own validation figures. Pooled over arms, so
 * it reveals none. Candidates are the other registered versions with at least one result here.
 */
export async function compareShadowModels({ db, store, trialId }: { db: DbOrTx; store: ContentStore; trialId: string }): Promise<ShadowComparison[]> {
  const pinnedModelId = await pinnedModelOf(db, trialId).catch(() => null);
  if (!pinnedModelId) return [];
  const studyRows = await db.select({ id: studies.id }).from(studies).where(eq(studies.trialId, trialId));
  if (studyRows.length === 0) return [];
  const rows = await db
    .select({ studyId: segmentations.studyId, modelId: segmentations.modelId, labels: segmentations.labelsSha256 })
    .from(segmentations)
    .where(
      inArray(
        segmentations.studyId,
        studyRows.map((s) => s.id),
      ),
    );
  const pinned = new Map(rows.filter((r) => r.modelId === pinnedModelId).map((r) => [r.studyId, r.labels]));
  const candidateIds = [...new Set(rows.map((r) => r.modelId).filter((id) => id !== pinnedModelId))];
  if (candidateIds.length === 0) return [];
  const candidates = await db
    .select()
    .from(models)
    .where(and(inArray(models.id, candidateIds)));
  const comparisons: ShadowComparison[] = [];
  for (const model of candidates) {
    const dice: Record<TumorRegion, number[]> = { WT: [], TC: [], ET: [] };
    let compared = 0;
    for (const row of rows.filter((r) => r.modelId === model.id)) {
      const reference = pinned.get(row.studyId);
      if (!reference) continue;
      const metrics = await segmentationMetricsFor({ store, predictedSha256: row.labels, referenceSha256: reference });
      if (!metrics) continue;
      compared += 1;
      for (const region of ['WT', 'TC', 'ET'] as const) if (Number.isFinite(metrics[region].dice)) dice[region].push(metrics[region].dice);
    }
    const summary = (values: number[]) => ({
      meanDice: values.length ? values.reduce((s, v) => s + v, 0) / values.length : null,
      minDice: values.length ? Math.min(...values) : null,
      n: values.length,
    });
    const card = model.card as { metrics?: unknown };
    comparisons.push({
      candidate: { id: model.id, name: model.name, version: model.version, sha256: model.sha256 },
      studies: studyRows.length,
      compared,
      agreement: { WT: summary(dice.WT), TC: summary(dice.TC), ET: summary(dice.ET) },
      cardMetrics: card.metrics ?? null,
    });
  }
  return comparisons;
}
