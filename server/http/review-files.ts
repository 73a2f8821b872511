import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { and, desc, eq } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { caseReviews, segmentationReviews, SEQUENCE_ROLES, studyVolumes, type SequenceRole } from '../../db/schema';
import { createContentStore } from '../../imaging/storage/content-store';
import { resolveSession, type SessionUser } from '../domain/auth/resolve-session';
import { SESSION_COOKIE } from '../domain/auth/session-token';
import { isAiAssisted } from '../domain/review/is-ai-assisted';
import { AI_NOT_AVAILABLE, loadAiSegmentation } from '../domain/review/load-ai-segmentation';
import { CASE_NOT_FOUND, loadReviewCase } from '../domain/review/load-review-case';
import { recordSegmentationReview } from '../domain/review/record-segmentation-review';
import { env } from '../env';
import { AppError, type AppErrorCode } from '../errors';
import { errorResponse, internalErrorResponse } from './error-response';
import { CSRF_HEADER } from '../trpc';
import { parseCookies } from './cookies';

/** What a viewer can fetch of a case: the four registered sequences, and (assisted arm) label maps. */
export const CASE_FILE_KINDS = [...SEQUENCE_ROLES, 'ai-labels', 'edited-labels'] as const;
export type CaseFileKind = (typeof CASE_FILE_KINDS)[number];

/** Largest edited label map accepted (a gzip'ed uint8 1 mm brain is well under 1 MB; raw about 9 MB). */
export const MAX_EDITED_LABELS_BYTES = 64 * 1024 * 1024;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function fail(code: AppErrorCode, message: string, details?: Record<string, unknown>): Response {
  return errorResponse(code, message, details, { 'cache-control': 'no-store' });
}

async function clinicianOf(db: Database, req: Request): Promise<SessionUser | Response> {
  const session = await resolveSession({ db, token: parseCookies(req.headers.get('cookie')).get(SESSION_COOKIE), idleMinutes: env().SEGTRIAL_SESSION_IDLE_MINUTES });
  if (!session) return fail('UNAUTHENTICATED', 'Please log in.');
  if (session.user.role !== 'clinician') return fail('FORBIDDEN_ROLE', 'Only clinicians open review cases.');
  return session.user;
}

function asResponse(error: unknown, what: string): Response {
  if (error instanceof AppError) return fail(error.code, error.message, error.details);
  return internalErrorResponse(error, `[review-files] ${what} failed`);
}

/**
 * GET a case file for the viewer: the stored gzip NIfTI bytes, streamed from the content store.
 * Clinicians with access to the case's site only (another site's case: 404 CASE_NOT_FOUND). Label
 * maps only for the assisted arm: a control-arm case answers 404 AI_NOT_AVAILABLE for both label
 * kinds whether or not a shadow-mode result exists, and so does an assisted case without one.
 */
export async function handleCaseFileRequest({ db, req, caseId, kind }: { db: Database; req: Request; caseId: string; kind: string }): Promise<Response> {
  const user = await clinicianOf(db, req);
  if (user instanceof Response) return user;
  if (!UUID.test(caseId)) return fail('NOT_FOUND', CASE_NOT_FOUND);
  try {
    const reviewCase = await loadReviewCase({ db, user, caseId });
    if (!(CASE_FILE_KINDS as readonly string[]).includes(kind)) return fail('NOT_FOUND', `No case file '${kind}'; one of ${CASE_FILE_KINDS.join(', ')}.`);
    let sha256: string | undefined;
    if ((SEQUENCE_ROLES as readonly string[]).includes(kind)) {
      const [volume] = await db.select({ sha256: studyVolumes.sha256 }).from(studyVolumes).where(and(eq(studyVolumes.studyId, caseId), eq(studyVolumes.role, kind as SequenceRole)));
      sha256 = volume?.sha256;
      if (!sha256) return fail('NOT_FOUND', `This case has no ${kind} sequence.`);
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
        if (!sha256) return fail('NOT_FOUND', 'You have not saved an edited label map for this case.');
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
  } catch (error) {
    return asResponse(error, 'GET');
  }
}

/**
 * POST the reviewer's edited label map (NIfTI bytes, .nii or .nii.gz, as the request body): stored
 * as a new version beside the AI's and recorded as the 'edited' outcome. Same checks as tRPC
 * mutations (custom header, same origin) plus the case and arm checks of the GET.
 */
export async function handleEditedLabelsUpload({ db, req, caseId }: { db: Database; req: Request; caseId: string }): Promise<Response> {
  if (req.headers.get(CSRF_HEADER) !== '1') return fail('CROSS_SITE_REQUEST', 'Cross-site request refused.');
  const origin = req.headers.get('origin');
  if (origin !== null && (!URL.canParse(origin) || new URL(origin).host !== (req.headers.get('host') ?? new URL(req.url).host))) return fail('CROSS_SITE_REQUEST', 'Cross-site request refused.');
  const user = await clinicianOf(db, req);
  if (user instanceof Response) return user;
  if (!UUID.test(caseId)) return fail('NOT_FOUND', CASE_NOT_FOUND);
  const length = Number(req.headers.get('content-length') ?? '0');
  if (length > MAX_EDITED_LABELS_BYTES) return fail('INVALID_INPUT', `A label map of ${length} bytes exceeds the limit of ${MAX_EDITED_LABELS_BYTES} bytes.`);
  try {
    const reviewCase = await loadReviewCase({ db, user, caseId });
    if (!isAiAssisted(reviewCase.arm)) return fail('NOT_FOUND', AI_NOT_AVAILABLE);
    const bytes = new Uint8Array(await req.arrayBuffer());
    if (bytes.length > MAX_EDITED_LABELS_BYTES) return fail('INVALID_INPUT', `A label map of ${bytes.length} bytes exceeds the limit of ${MAX_EDITED_LABELS_BYTES} bytes.`);
    const reason = new URL(req.url).searchParams.get('reason');
    const { review, created } = await recordSegmentationReview({
      db,
      store: createContentStore(env().SEGTRIAL_STORAGE_ROOT),
      reviewCase,
      actor: { userId: user.id, role: user.role },
      outcome: 'edited',
      editedLabels: bytes,
      reason: reason?.slice(0, 1000) ?? null,
      request: { via: 'web', ip: req.headers.get('x-forwarded-for'), userAgent: req.headers.get('user-agent') },
    });
    return Response.json({ id: review.id, outcome: review.outcome, editedLabelsSha256: review.editedLabelsSha256, editedVolumesMl: review.editedVolumesMl, created }, { status: created ? 201 : 200 });
  } catch (error) {
    return asResponse(error, 'POST');
  }
}
