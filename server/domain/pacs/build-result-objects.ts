import { eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { allocations, caseReviews, models, pacsStudySources, segmentationReviews, segmentations, studies, trials, users } from '@/db/schema';
import { readSeriesMetadata } from '@/imaging/dicom/read-series';
import { writeSegmentation, type SegmentationAuthor } from '@/imaging/dicom/write-segmentation';
import { writeVolumeReport } from '@/imaging/dicom/write-volume-report';
import { decodeNifti } from '@/imaging/nifti/read-nifti';
import type { ContentStore } from '@/imaging/storage/content-store';
import { AppError } from '../../errors';
import { isAiAssisted } from '../review/is-ai-assisted';
import type { DicomWebClient } from './dicomweb-client';
import { asPacsAppError } from './pacs-errors';

/** Which label map: the AI's (a segmentations row) or a clinician's edit of it (a segmentation_reviews row, outcome 'edited'). */
export type ResultSource = { readonly kind: 'ai'; readonly segmentationId: string } | { readonly kind: 'clinician'; readonly segmentationReviewId: string };

export interface ResultObjects {
  readonly studyId: string;
  readonly trialId: string;
  readonly seg: { readonly bytes: Uint8Array; readonly sopInstanceUid: string };
  readonly sr: { readonly bytes: Uint8Array; readonly sopInstanceUid: string; readonly volumesMl: Record<number, number> };
  readonly author: SegmentationAuthor;
}

/** One message for every result that may not leave: it says nothing about the arm. */
export const RESULT_WITHHELD = 'This AI result stays on the platform while the trial is blinded.';

/**
 * Whether an AI result of this participant may leave the platform. While the trial is blinded (any
 * status before 'closed') only results of AI-assisted cases may: a control-arm case's AI result
 * (shadow mode) never leaves, whatever the configuration, and neither does the result of a case not
 * yet randomized. Clinicians' own segmentations are theirs to send in either arm.
 */
export async function aiResultMayLeave(db: DbOrTx, participantId: string, trialId: string): Promise<boolean> {
  const [trial] = await db.select({ status: trials.status }).from(trials).where(eq(trials.id, trialId));
  if (trial?.status === 'closed') return true;
  const [allocation] = await db.select({ arm: allocations.arm }).from(allocations).where(eq(allocations.participantId, participantId));
  return allocation !== undefined && isAiAssisted(allocation.arm);
}

/**
 * The DICOM SEG and TID 1500 SR of one label map, referencing the study's T1gd series in the PACS
 * (its geometry read from WADO-RS metadata; the label map is on that grid, as ingest keeps the T1gd
 * grid). Refuses a study that did not come from the PACS (no source series to reference) and an AI
 * result that may not leave (RESULT_WITHHELD). Writes nothing: callers audit what they send.
 */
export async function buildResultObjects({ db, store, client, source }: { db: DbOrTx; store: ContentStore; client: DicomWebClient; source: ResultSource }): Promise<ResultObjects> {
  let labelsSha256: string;
  let studyId: string;
  let author: SegmentationAuthor;
  if (source.kind === 'ai') {
    const [row] = await db
      .select({ labels: segmentations.labelsSha256, studyId: segmentations.studyId, name: models.name, version: models.version, sha256: models.sha256 })
      .from(segmentations)
      .innerJoin(models, eq(models.id, segmentations.modelId))
      .where(eq(segmentations.id, source.segmentationId));
    if (!row) throw new AppError('NOT_FOUND', 'Segmentation not found.');
    labelsSha256 = row.labels;
    studyId = row.studyId;
    author = { kind: 'algorithm', name: row.name, version: row.version, weightsSha256: row.sha256 };
  } else {
    const [row] = await db
      .select({ labels: segmentationReviews.editedLabelsSha256, studyId: caseReviews.studyId, creator: users.displayName })
      .from(segmentationReviews)
      .innerJoin(caseReviews, eq(caseReviews.id, segmentationReviews.caseReviewId))
      .innerJoin(users, eq(users.id, segmentationReviews.recordedBy))
      .where(eq(segmentationReviews.id, source.segmentationReviewId));
    if (!row?.labels) throw new AppError('NOT_FOUND', 'Clinician segmentation not found.');
    labelsSha256 = row.labels;
    studyId = row.studyId;
    author = { kind: 'manual', creatorName: row.creator.replace(/\s+/g, '^') };
  }
  const [study] = await db.select({ trialId: studies.trialId, participantId: studies.participantId }).from(studies).where(eq(studies.id, studyId));
  if (!study) throw new AppError('NOT_FOUND', 'Study not found.');
  if (source.kind === 'ai' && !(await aiResultMayLeave(db, study.participantId, study.trialId))) throw new AppError('INVALID_STATE', RESULT_WITHHELD);
  const [link] = await db.select().from(pacsStudySources).where(eq(pacsStudySources.studyId, studyId));
  if (!link) throw new AppError('INVALID_STATE', 'This study was uploaded as files, not retrieved from the PACS: there is no DICOM series to reference.');

  try {
    const metadata = await client.seriesMetadata(link.studyInstanceUid, link.series.t1gd);
    const header = readSeriesMetadata(metadata, `T1gd series (${link.series.t1gd})`);
    const labels = await decodeNifti(await store.get(labelsSha256), `labels ${labelsSha256.slice(0, 12)}`);
    const seg = writeSegmentation({ labels, source: header, author });
    const sr = writeVolumeReport({ source: header, segmentation: seg, author });
    return {
      studyId,
      trialId: study.trialId,
      seg: { bytes: seg.bytes, sopInstanceUid: seg.sopInstanceUid },
      sr: { bytes: sr.bytes, sopInstanceUid: sr.sopInstanceUid, volumesMl: sr.volumesMl },
      author,
    };
  } catch (e) {
    throw asPacsAppError(e);
  }
}
