import { and, eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { allocations, models, segmentations, studies, studyVolumes } from '@/db/schema';
import type { ContentStore } from '@/imaging/storage/content-store';
import { runSegmentationProcess } from '../../jobs/run-segmentation-process';
import { writeAuditEvent } from '../audit/write-audit-event';

export const SEGMENT_STUDY_JOB = 'segment-study';

export interface SegmentStudyPayload {
  readonly studyId: string;
  readonly modelId: string;
}

/** The idempotency key: one inference per study and model version. */
export function segmentStudyJobKey(payload: SegmentStudyPayload): string {
  return `${SEGMENT_STUDY_JOB}:${payload.studyId}:${payload.modelId}`;
}

export interface InferenceSettings {
  readonly providers: readonly string[];
  readonly threads: number;
  readonly tta: boolean;
}

/**
 * The job: segment a stored study with a registered model in a child process (which stores the label
 * map in the content store) and record one segmentation row (a retry after a crash finds the row and
 * stops: exactly one result). The result is marked blinded unless the participant is in the
 * AI-assisted arm; serving code re-checks the arm on every read anyway.
 */
export async function segmentStudyJob({
  db,
  store,
  payload,
  settings,
  onProgress,
}: {
  db: Database;
  store: ContentStore;
  payload: SegmentStudyPayload;
  settings: InferenceSettings;
  onProgress: (done: number, total: number) => Promise<void>;
}) {
  const sameResult = and(eq(segmentations.studyId, payload.studyId), eq(segmentations.modelId, payload.modelId));
  const [existing] = await db.select({ id: segmentations.id }).from(segmentations).where(sameResult);
  const [study] = await db.select().from(studies).where(eq(studies.id, payload.studyId));
  const [model] = await db.select().from(models).where(eq(models.id, payload.modelId));
  if (!study || !model) throw new Error(`study ${payload.studyId} or model ${payload.modelId} not found`);
  if (existing) return { segmentationId: existing.id, reused: true };

  const volumes = await db.select().from(studyVolumes).where(eq(studyVolumes.studyId, study.id));
  const byRole = Object.fromEntries(volumes.map((v) => [v.role, v]));
  const inputs = { flair: byRole.flair, t1: byRole.t1, t1gd: byRole.t1gd, t2: byRole.t2 };
  for (const [role, v] of Object.entries(inputs)) if (!v) throw new Error(`study ${study.id} has no ${role} volume`);
  const [allocation] = await db.select({ arm: allocations.arm }).from(allocations).where(eq(allocations.participantId, study.participantId));

  let lastReport = 0;
  const result = await runSegmentationProcess(
    {
      modelPath: store.pathOf(model.sha256),
      card: model.card,
      inputs: {
        flair: store.pathOf(inputs.flair!.sha256),
        t1: store.pathOf(inputs.t1!.sha256),
        t1gd: store.pathOf(inputs.t1gd!.sha256),
        t2: store.pathOf(inputs.t2!.sha256),
        ...studyBrainMask(study.preprocessing, store),
      },
      inputHashes: Object.fromEntries(Object.entries(inputs).map(([role, v]) => [role, v!.originalSha256])),
      storageRoot: store.root,
      tta: settings.tta,
      providers: settings.providers,
      threads: settings.threads,
    },
    {
      onProgress: (done, total) => {
        // At most a few progress writes per second: they also extend the job's lease.
        if (done === total || Date.now() - lastReport > 500) {
          lastReport = Date.now();
          void onProgress(done, total);
        }
      },
    },
  );
  const blinded = allocation?.arm !== 'ai_assisted';
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(segmentations)
      .values({
        studyId: study.id,
        modelId: model.id,
        labelsSha256: result.labelsSha256,
        volumesMl: result.volumesMl,
        riskHighGrade: result.riskHighGrade,
        provenance: result.provenance,
        blinded,
        tiles: result.provenance.tiles,
      })
      .onConflictDoNothing()
      .returning({ id: segmentations.id });
    if (!row) {
      const [again] = await tx.select({ id: segmentations.id }).from(segmentations).where(sameResult);
      return { segmentationId: again!.id, reused: true };
    }
    await writeAuditEvent({
      tx,
      actor: { userId: null, role: null },
      action: 'segmentation.created',
      entityType: 'segmentation',
      entityId: row.id,
      trialId: study.trialId,
      after: { studyId: study.id, model: `${model.name}@${model.version}`, labelsSha256: result.labelsSha256, blinded, executionProvider: result.provenance.runtime.executionProvider },
      request: { via: 'worker' },
    });
    return { segmentationId: row.id, reused: false };
  });
}

/** The brain mask ingest stored (crop and z-score use it); none for studies ingested before brain extraction. */
function studyBrainMask(preprocessing: unknown, store: ContentStore): { mask?: string } {
  const sha = (preprocessing as { brainExtraction?: { mask?: { sha256?: string } } } | null)?.brainExtraction?.mask?.sha256;
  return sha ? { mask: store.pathOf(sha) } : {};
}
