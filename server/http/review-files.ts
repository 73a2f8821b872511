import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { and, desc, eq } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { caseReviews, segmentationReviews, SEQUENCE_ROLES, studyVolumes, type SequenceRole } from '../../db/schema';
import { createContentStore } from '../../imaging/storage/content-store';
import { isAiAssisted } from '../domain/review/is-ai-assisted';
import { AI_NOT_AVAILABLE, loadAiSegmentation } from '../domain/review/load-ai-segmentation';
import { CASE_NOT_FOUND, loadReviewCase } from '../domain/review/load-review-case';
import { recordSegmentationReview } from '../domain/review/record-segmentation-review';
import { env } from '../env';
import { defineRoute, refuse, runRoute } from './route';

/** What a viewer can fetch of a case: the four registered sequences, and (assisted arm) label maps. */
export const CASE_FILE_KINDS = [...SEQUENCE_ROLES, 'ai-labels', 'edited-labels'] as const;
export type CaseFileKind = (typeof CASE_FILE_KINDS)[number];

/** Largest edited label map accepted (a gzip'ed uint8 1 mm brain is well under 1 MB; raw about 9 MB). */
export const MAX_EDITED_LABELS_BYTES = 64 * 1024 * 1024;

/**
 * GET a case file for the viewer: the stored gzip NIfTI bytes, streamed from the content store.
 * Clinicians with access to the case's site only (another site's case: 404 CASE_NOT_FOUND). Label
 * maps only for the assisted arm: a control-arm case answers 404 AI_NOT_AVAILABLE for both label
 * kinds whether or not a shadow-mode result exists, and so does an assisted case without one.
 */
export const caseFileRoute = defineRoute<'caseId' | 'kind'>({
  name: 'review-files',
  roles: ['clinician'],
  ids: { caseId: CASE_NOT_FOUND },
  async handle({ db, user, params: { caseId, kind } }) {
    const reviewCase = await loadReviewCase({ db, user, caseId });
    if (!(CASE_FILE_KINDS as readonly string[]).includes(kind)) refuse('NOT_FOUND', `No case file '${kind}'; one of ${CASE_FILE_KINDS.join(', ')}.`);
    let sha256: string | undefined;
    if ((SEQUENCE_ROLES as readonly string[]).includes(kind)) {
      const [volume] = await db
        .select({ sha256: studyVolumes.sha256 })
        .from(studyVolumes)
        .where(and(eq(studyVolumes.studyId, caseId), eq(studyVolumes.role, kind as SequenceRole)));
      sha256 = volume?.sha256;
      if (!sha256) refuse('NOT_FOUND', `This case has no ${kind} sequence.`);
    } else {
      const { segmentation } = await loadAiSegmentation({ db, reviewCase });
      if (kind === 'ai-labels') sha256 = segmentation.labelsSha256;
      else {
        const [edited] = await db
          .select({ sha256: segmentationReviews.editedLabelsSha256 })
          .from(segmentationReviews)
          .innerJoin(caseReviews, eq(caseReviews.id, segmentationReviews.caseReviewId))
          .where(and(eq(caseReviews.studyId, caseId), eq(caseReviews.reviewerId, user.id), eq(segmentationReviews.outcome, 'edited')))
          .orderBy(desc(segmentationReviews.recordedAt), desc(segmentationReviews.id))
          .limit(1);
        sha256 = edited?.sha256 ?? undefined;
        if (!sha256) refuse('NOT_FOUND', 'You have not saved an edited label map for this case.');
      }
    }
    const file = createContentStore(env().SEGTRIAL_STORAGE_ROOT).pathOf(sha256);
    const { size } = await stat(file);
    const body = Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>;
    return new Response(body, {
      status: 200,
      headers: {
        'content-type': 'application/octet-stream',
        'content-length': String(size),
        'content-disposition': `inline; filename="${kind}.nii.gz"`,
        // Private patient data: never kept by a shared cache; the hash makes it safe to revalidate.
        'cache-control': 'private, no-store',
        etag: `"${sha256}"`,
      },
    });
  },
});

export const handleCaseFileRequest = ({ db, req, caseId, kind }: { db: Database; req: Request; caseId: string; kind: string }) => runRoute(caseFileRoute, { db, req, params: { caseId, kind } });

/**
 * POST the reviewer's edited label map (NIfTI bytes, .nii or .nii.gz, as the request body): stored
 * as a new version beside the AI's and recorded as the 'edited' outcome; the case and arm checks
 * of the GET.
 */
export const editedLabelsRoute = defineRoute<'caseId'>({
  name: 'review-labels',
  roles: ['clinician'],
  maxBytes: MAX_EDITED_LABELS_BYTES,
  ids: { caseId: CASE_NOT_FOUND },
  async handle({ db, user, actor, request, url, params: { caseId }, readBytes }) {
    const reviewCase = await loadReviewCase({ db, user, caseId });
    if (!isAiAssisted(reviewCase.arm)) refuse('NOT_FOUND', AI_NOT_AVAILABLE);
    const bytes = await readBytes();
    const reason = url.searchParams.get('reason');
    const { review, created } = await recordSegmentationReview({
      db,
      store: createContentStore(env().SEGTRIAL_STORAGE_ROOT),
      reviewCase,
      actor,
      outcome: 'edited',
      editedLabels: bytes,
      reason: reason?.slice(0, 1000) ?? null,
      request,
    });
    return Response.json({ id: review.id, outcome: review.outcome, editedLabelsSha256: review.editedLabelsSha256, editedVolumesMl: review.editedVolumesMl, created }, { status: created ? 201 : 200 });
  },
});

export const handleEditedLabelsUpload = ({ db, req, caseId }: { db: Database; req: Request; caseId: string }) => runRoute(editedLabelsRoute, { db, req, params: { caseId } });
