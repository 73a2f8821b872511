import type { Database } from '../../db/client';
import { isDatabaseUnavailable } from '../../db/database-errors';
import { sequenceRoles, type SequenceInput, type SequenceRole } from '../../imaging/ingest/ingest';
import { createContentStore } from '../../imaging/storage/content-store';
import { attachStudy } from '../domain/imaging/attach-study';
import { resolveTrialAccess } from '../domain/trials/trial-access';
import { env } from '../env';
import { AppError } from '../errors';
import { authorizeUpload, readUploadForm } from './authorize-upload';
import { databaseUnavailableResponse, errorResponse, internalErrorResponse } from './error-response';
import { rateLimiters } from './rate-limit';

/** Whole request and per-file limits (a 1 mm float32 study is ≈ 4 × 36 MB; DICOM zips are larger). */
export const UPLOAD_LIMITS = { maxRequestBytes: 1024 * 1024 * 1024, maxFileBytes: 400 * 1024 * 1024, maxFilesPerSequence: 2000 } as const;

/**
 * POST multipart/form-data: trialId, participantId, and the files of each sequence under the field
 * names flair, t1, t1gd, t2 (one NIfTI or zip, or several DICOM files). Coordinators only; same
 * cross-site checks as tRPC mutations. Answers 201 with the study id, or the typed ingest error.
 */
export async function handleStudyUpload({ db, req }: { db: Database; req: Request }): Promise<Response> {
  const config = env();
  const maxBytes = Math.min(UPLOAD_LIMITS.maxRequestBytes, config.SEGTRIAL_UPLOAD_MAX_MB * 1024 * 1024);
  const session = await authorizeUpload({ db, req, roles: ['coordinator'], maxBytes, rateLimit: rateLimiters().upload });
  if (session instanceof Response) return session;
  const form = await readUploadForm(req, maxBytes, 'Expected multipart/form-data with trialId, participantId and the files flair, t1, t1gd, t2.');
  if (form instanceof Response) return form;
  const trialId = String(form.get('trialId') ?? '');
  const participantId = String(form.get('participantId') ?? '');
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  if (!uuid.test(trialId) || !uuid.test(participantId)) return errorResponse('INVALID_INPUT', 'trialId and participantId must be ids.');

  const files = {} as Record<SequenceRole, SequenceInput>;
  for (const role of sequenceRoles) {
    const entries = form.getAll(role).filter((v): v is File => typeof v !== 'string');
    if (entries.length > UPLOAD_LIMITS.maxFilesPerSequence) return errorResponse('INVALID_INPUT', `${role}: ${entries.length} files exceed the limit of ${UPLOAD_LIMITS.maxFilesPerSequence}.`);
    const read = [];
    for (const file of entries) {
      if (file.size > UPLOAD_LIMITS.maxFileBytes) return errorResponse('INVALID_INPUT', `${file.name}: ${file.size} bytes exceed the per-file limit of ${UPLOAD_LIMITS.maxFileBytes}.`);
      read.push({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) });
    }
    files[role] = read.length === 1 ? read[0]! : read;
  }
  try {
    const access = await resolveTrialAccess({ db, user: session.user, trialId });
    const result = await attachStudy({
      db,
      store: createContentStore(config.SEGTRIAL_STORAGE_ROOT),
      access,
      participantId,
      files,
      actor: { userId: session.user.id, role: session.user.role },
      request: { via: 'web', ip: req.headers.get('x-forwarded-for'), userAgent: req.headers.get('user-agent') },
    });
    return Response.json({ studyId: result.studyId, jobId: result.jobId, warnings: result.warnings }, { status: 201 });
  } catch (error) {
    if (error instanceof AppError) return errorResponse(error.code, error.message, error.details);
    if (isDatabaseUnavailable(error)) return databaseUnavailableResponse();
    return internalErrorResponse(error, '[upload] internal error');
  }
}
