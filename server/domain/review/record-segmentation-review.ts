import { gzipSync } from 'node:zlib';
import { and, desc, eq } from 'drizzle-orm';
import type { Database, DbOrTx } from '@/db/client';
import { caseReviews, segmentationReviews, type AiReviewOutcome } from '@/db/schema';
import { VolumeFormatError } from '@/imaging/errors';
import { decodeNifti } from '@/imaging/nifti/read-nifti';
import { encodeNifti } from '@/imaging/nifti/write-nifti';
import type { ContentStore } from '@/imaging/storage/content-store';
import type { Vec3 } from '@/imaging/volume';
import { labelVolumesMl } from '@/models/runtime/label-volumes';
import { AppError } from '../../errors';
import { writeAuditEvent, type AuditActor, type RequestMetadata } from '../audit/write-audit-event';
import { loadAiSegmentation } from './load-ai-segmentation';
import type { ReviewCase } from './load-review-case';

export interface RecordSegmentationReviewOptions {
  readonly db: Database;
  readonly store: ContentStore;
  readonly reviewCase: ReviewCase;
  readonly actor: AuditActor & { userId: string };
  readonly outcome: AiReviewOutcome;
  /** The edited label map (NIfTI, .nii or .nii.gz bytes) for outcome 'edited'; absent otherwise. */
  readonly editedLabels?: Uint8Array;
  readonly reason?: string | null;
  readonly request: RequestMetadata;
}

/** Most affine elements are mm; a saved drawing's float32 header may round them by this much. */
const AFFINE_TOLERANCE = 1e-2;

/**
 * Records what the reviewer did with the AI segmentation, before signing. An edit is validated
 * against the study grid (same dims and voxel-to-world affine, only labels 0..3), re-encoded as a
 * canonical uint8 NIfTI and stored as a new object beside the AI's (which is never replaced), with
 * its volumes in mL. Rows are never changed: a changed mind is a new row. Repeating the latest
 * outcome (same edited bytes) returns that row instead of writing another. A rejection needs a reason.
 */
export async function recordSegmentationReview(options: RecordSegmentationReviewOptions) {
  const { db, store, reviewCase, actor } = options;
  const { segmentation } = await loadAiSegmentation({ db, reviewCase });
  if (options.outcome === 'edited' && !options.editedLabels) throw new AppError('INVALID_INPUT', 'An edit needs the edited label map.');
  if (options.outcome !== 'edited' && options.editedLabels) throw new AppError('INVALID_INPUT', `A label map is only sent with an edit, not with '${options.outcome}'.`);

  // Checked before anything is stored (and again under the row lock below).
  await assertReviewOpen(db, reviewCase, actor.userId);
  // A rejection is a clinical judgement about the model's output: the record says why.
  if (options.outcome === 'rejected' && (options.reason?.trim().length ?? 0) < 5)
    throw new AppError('INVALID_INPUT', 'State why the AI segmentation is rejected (at least 5 characters).', { field: 'reason' });
  let edited: { sha256: string; volumesMl: ReturnType<typeof labelVolumesMl> } | null = null;
  if (options.editedLabels) {
    const labels = await validateEditedLabels(options.editedLabels, reviewCase);
    const bytes = new Uint8Array(
      gzipSync(encodeNifti({ dims: labels.dims, spacing: labels.spacing, affine: labels.affine, data: labels.data }, { datatype: 'uint8', description: 'segtrial reviewer edit' }), { level: 6 }),
    );
    const stored = await store.put(bytes);
    edited = { sha256: stored.sha256, volumesMl: labelVolumesMl(labels.data, labels.spacing) };
  }

  return db.transaction(async (tx) => {
    const review = await assertReviewOpen(tx, reviewCase, actor.userId, true);
    const [latest] = await tx
      .select()
      .from(segmentationReviews)
      .where(eq(segmentationReviews.caseReviewId, review.id))
      .orderBy(desc(segmentationReviews.recordedAt), desc(segmentationReviews.id))
      .limit(1);
    if (latest && latest.outcome === options.outcome && latest.segmentationId === segmentation.id && latest.editedLabelsSha256 === (edited?.sha256 ?? null)) return { review: latest, created: false };
    const [row] = await tx
      .insert(segmentationReviews)
      .values({
        caseReviewId: review.id,
        segmentationId: segmentation.id,
        outcome: options.outcome,
        originalLabelsSha256: segmentation.labelsSha256,
        editedLabelsSha256: edited?.sha256 ?? null,
        editedVolumesMl: edited?.volumesMl ?? null,
        reason: options.reason?.trim() || null,
        recordedBy: actor.userId,
      })
      .returning();
    await writeAuditEvent({
      tx,
      actor,
      action: 'review.segmentation_reviewed',
      entityType: 'case',
      entityId: reviewCase.caseId,
      trialId: reviewCase.trialId,
      before: latest ? { outcome: latest.outcome, editedLabelsSha256: latest.editedLabelsSha256 } : null,
      after: {
        segmentationReviewId: row!.id,
        segmentationId: segmentation.id,
        outcome: options.outcome,
        reason: row!.reason,
        originalLabelsSha256: segmentation.labelsSha256,
        editedLabelsSha256: edited?.sha256 ?? null,
        editedVolumesMl: edited?.volumesMl ?? null,
      },
      request: options.request,
    });
    return { review: row!, created: true };
  });
}

async function assertReviewOpen(db: DbOrTx, reviewCase: ReviewCase, reviewerId: string, forUpdate = false) {
  const query = db
    .select()
    .from(caseReviews)
    .where(and(eq(caseReviews.studyId, reviewCase.caseId), eq(caseReviews.reviewerId, reviewerId)));
  const [review] = forUpdate ? await query.for('update') : await query;
  if (!review) throw new AppError('INVALID_STATE', 'Open the case before reviewing its AI segmentation.');
  if (review.status === 'signed') throw new AppError('INVALID_STATE', 'This case is signed: the AI segmentation review is part of the signed record and cannot change.');
  return review;
}

async function validateEditedLabels(bytes: Uint8Array, reviewCase: ReviewCase) {
  const [nx = 0, ny = 0, nz = 0] = reviewCase.grid.dims;
  let volume;
  try {
    volume = await decodeNifti(bytes, 'edited label map', { maxVoxels: nx * ny * nz });
  } catch (error) {
    if (error instanceof VolumeFormatError) throw new AppError('INVALID_INPUT', error.message, { field: error.field, found: String(error.found), expected: error.expected });
    throw error;
  }
  if (volume.dims.join('×') !== reviewCase.grid.dims.join('×')) {
    throw new AppError('INVALID_INPUT', `edited label map: dims are ${volume.dims.join('×')}, expected the study grid ${reviewCase.grid.dims.join('×')}.`, { field: 'dims' });
  }
  const worst = volume.affine.reduce((m, a, i) => Math.max(m, Math.abs(a - (reviewCase.grid.affine[i] ?? Number.NaN))), 0);
  if (!(worst <= AFFINE_TOLERANCE)) {
    throw new AppError('INVALID_INPUT', `edited label map: voxel-to-world affine differs from the study grid's by ${worst.toPrecision(3)} (tolerance ${AFFINE_TOLERANCE}).`, { field: 'affine' });
  }
  const data = new Uint8Array(volume.data.length);
  for (let i = 0; i < volume.data.length; i++) {
    const v = volume.data[i]!;
    if (v !== 0 && v !== 1 && v !== 2 && v !== 3) {
      throw new AppError('INVALID_INPUT', `edited label map: voxel ${i} is ${v}, expected a label 0 (background), 1 (edema), 2 (non-enhancing) or 3 (enhancing).`, { field: 'labels' });
    }
    data[i] = v;
  }
  return { dims: volume.dims, spacing: reviewCase.grid.spacing as unknown as Vec3, affine: reviewCase.grid.affine, data };
}
