import { eq } from 'drizzle-orm';
import type { Database, Tx } from '@/db/client';
import { models, studies, studyVolumes, trials } from '@/db/schema';
import { IngestError } from '@/imaging/ingest/errors';
import { ingestStudy, sequenceRoles, type IngestResult, type SequenceInput, type SequenceRole } from '@/imaging/ingest/ingest';
import type { ContentStore } from '@/imaging/storage/content-store';
import { AppError } from '../../errors';
import { enqueueJob } from '../../jobs/queue';
import { writeAuditEvent, type AuditActor, type RequestMetadata } from '../audit/write-audit-event';
import { SEGMENT_STUDY_JOB, segmentStudyJobKey } from '../segmentation/segment-study-job';
import type { TrialAccess } from '../trials/trial-access';
import { loadVisibleParticipant } from '../trials/load-visible-participant';

export interface AttachStudyOptions {
  readonly db: Database;
  readonly store: ContentStore;
  readonly access: TrialAccess;
  readonly participantId: string;
  /** The uploaded sequences, ingested here (unless `ingested` is given). */
  readonly files?: Readonly<Record<SequenceRole, SequenceInput>>;
  /**
   * The result of ingestStudy run elsewhere into the same store: the demo seed runs it in a child
   * process so that the web server's event loop stays free.
   */
  readonly ingested?: IngestResult;
  readonly actor: AuditActor;
  readonly request: RequestMetadata;
}

/**
 * Attaches a participant's MRI study: the imaging pipeline validates, de-identifies, co-registers
 * and stores the four sequences (or refuses them with a typed reason and stores nothing); the
 * database records the study and its volumes, and the AI segmentation is queued with the trial's
 * pinned (or the default) model for every arm: the control arm's result is kept blinded for
 * evaluation ("shadow mode") and never served to its clinicians.
 */
export async function attachStudy(options: AttachStudyOptions) {
  const { db, store, access } = options;
  const participant = await loadVisibleParticipant({ db, access, participantId: options.participantId });

  let result;
  try {
    if (!options.ingested && !options.files) throw new Error('attachStudy needs the files or an ingest result');
    result = options.ingested ?? (await ingestStudy({ files: options.files!, storage: store }));
  } catch (error) {
    if (!(error instanceof IngestError)) throw error;
    await db.transaction((tx) =>
      writeAuditEvent({
        tx,
        actor: options.actor,
        action: 'study.rejected',
        entityType: 'participant',
        entityId: participant.id,
        trialId: participant.trialId,
        after: { code: error.code, file: error.file, field: error.field, found: String(error.found), expected: error.expected },
        request: options.request,
      }),
    );
    throw new AppError('INVALID_INPUT', error.message, { ingestCode: error.code, file: error.file, field: error.field, found: String(error.found), expected: error.expected });
  }

  return db.transaction((tx) => recordIngestedStudy({ tx, participant, ingested: result, actor: options.actor, request: options.request }));
}

/**
 * Records an ingested study in `tx`: the study and its volumes, the segmentation job with the
 * trial's pinned (or the default) model for every arm (the control arm's result is kept blinded for
 * evaluation, "shadow mode", and never served to its clinicians), and the audit row.
 */
export async function recordIngestedStudy({
  tx,
  participant,
  ingested: result,
  actor,
  request,
}: {
  tx: Tx;
  participant: { id: string; trialId: string; siteId: string };
  ingested: IngestResult;
  actor: AuditActor;
  request: RequestMetadata;
}) {
  // The study keeps the model version pinned now, whatever later amendments switch to.
  const [trial] = await tx.select({ pinnedModelId: trials.pinnedModelId }).from(trials).where(eq(trials.id, participant.trialId));
  const [model] = trial?.pinnedModelId
    ? await tx.select({ id: models.id }).from(models).where(eq(models.id, trial.pinnedModelId))
    : await tx.select({ id: models.id }).from(models).where(eq(models.isDefault, true));
  const [study] = await tx
    .insert(studies)
    .values({
      trialId: participant.trialId,
      siteId: participant.siteId,
      participantId: participant.id,
      grid: result.grid,
      registration: result.registration,
      deidentification: result.deidentification,
      // The normalisation's per-sequence intensity statistics inside the brain are kept for the AI's oversight (input drift).
      preprocessing: { brainExtraction: result.brainExtraction, normalization: { maskVoxels: result.normalization.maskVoxels, stats: result.normalization.stats } },
      ingestedBy: actor.userId,
      modelId: model?.id ?? null,
    })
    .returning();
  if (!study) throw new Error('study insert returned no row');
  for (const role of sequenceRoles) {
    const v = result.volumes[role];
    await tx.insert(studyVolumes).values({
      studyId: study.id,
      role,
      sha256: v.registered.sha256,
      originalSha256: v.original.sha256,
      originalName: v.file,
      header: { format: v.format, storedDatatype: v.storedDatatype, dims: v.dims, spacing: v.spacing, affine: v.affine, orientation: v.orientation },
    });
  }
  const job = model ? await enqueueJob(tx, { kind: SEGMENT_STUDY_JOB, key: segmentStudyJobKey({ studyId: study.id, modelId: model.id }), payload: { studyId: study.id, modelId: model.id } }) : null;
  await writeAuditEvent({
    tx,
    actor,
    action: 'study.ingested',
    entityType: 'study',
    entityId: study.id,
    trialId: participant.trialId,
    after: {
      participantId: participant.id,
      inputs: result.hashes.inputs,
      registration: Object.fromEntries(Object.entries(result.registration).map(([r, rec]) => [r, { ok: rec.ok, problems: rec.problems }])),
      warnings: result.warnings,
      segmentationJob: job?.id ?? null,
    },
    request,
  });
  return { studyId: study.id, jobId: job?.id ?? null, warnings: result.warnings, registration: result.registration, timings: result.timings };
}
