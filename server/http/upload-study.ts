import type { Database } from '../../db/client';
import { isDatabaseUnavailable } from '../../db/is-database-unavailable';
import { sequenceRoles, type SequenceInput, type SequenceRole } from '../../imaging/ingest/ingest';
import { createContentStore } from '../../imaging/storage/content-store';
import { attachStudy } from '../domain/imaging/attach-study';
import { resolveSession } from '../domain/auth/resolve-session';
import { SESSION_COOKIE } from '../domain/auth/session-token';
import { resolveTrialAccess } from '../domain/trials/trial-access';
import { env } from '../env';
import { AppError, APP_ERROR_STATUS } from '../errors';
import { CSRF_HEADER } from '../trpc';
import { parseCookies } from './cookies';
import { rateLimiters } from './rate-limit';

/** Whole request and per-file limits (a 1 mm float32 study is ≈ 4 × 36 MB; DICOM zips are larger). */
export const UPLOAD_LIMITS = { maxRequestBytes: 1024 * 1024 * 1024, maxFileBytes: 400 * 1024 * 1024, maxFilesPerSequence: 2000 } as const;

const HTTP_STATUS: Record<string, number> = { UNAUTHORIZED: 401, FORBIDDEN: 403, NOT_FOUND: 404, BAD_REQUEST: 400, CONFLICT: 409, PRECONDITION_FAILED: 412, PAYLOAD_TOO_LARGE: 413, TOO_MANY_REQUESTS: 429, SERVICE_UNAVAILABLE: 503 };

function fail(code: keyof typeof APP_ERROR_STATUS, message: string, details?: Record<string, unknown>, headers?: Record<string, string>): Response {
  return Response.json({ error: { code, message, ...details } }, { status: HTTP_STATUS[APP_ERROR_STATUS[code]] ?? 400, headers });
}

class PayloadTooLargeError extends Error {}

/** Passes bytes through until more than `maxBytes` have come, then fails the stream. */
function byteLimit(maxBytes: number): TransformStream<Uint8Array, Uint8Array> {
  let seen = 0;
  return new TransformStream({
    transform(chunk, controller) {
      seen += chunk.byteLength;
      if (seen > maxBytes) controller.error(new PayloadTooLargeError(`more than ${maxBytes} bytes`));
      else controller.enqueue(chunk);
    },
  });
}

/**
 * POST multipart/form-data: trialId, participantId, and the files of each sequence under the field
 * names flair, t1, t1gd, t2 (one NIfTI or zip, or several DICOM files). Coordinators only; same
 * cross-site checks as tRPC mutations. Answers 201 with the study id, or the typed ingest error.
 */
export async function handleStudyUpload({ db, req }: { db: Database; req: Request }): Promise<Response> {
  const config = env();
  if (req.headers.get(CSRF_HEADER) !== '1') return fail('CROSS_SITE_REQUEST', 'Cross-site request refused.');
  const origin = req.headers.get('origin');
  if (origin !== null && URL.canParse(origin) && new URL(origin).host !== (req.headers.get('host') ?? new URL(req.url).host)) return fail('CROSS_SITE_REQUEST', 'Cross-site request refused.');
  if (origin !== null && !URL.canParse(origin)) return fail('CROSS_SITE_REQUEST', 'Cross-site request refused.');
  const session = await resolveSession({ db, token: parseCookies(req.headers.get('cookie')).get(SESSION_COOKIE), idleMinutes: config.SEGTRIAL_SESSION_IDLE_MINUTES }).catch((error: unknown) => {
    if (isDatabaseUnavailable(error)) return 'unavailable' as const;
    throw error;
  });
  if (session === 'unavailable') return fail('DATABASE_UNAVAILABLE', 'The database is unavailable at the moment; nothing was stored. Try again shortly.');
  if (!session) return fail('UNAUTHENTICATED', 'Please log in.');
  if (session.user.role !== 'coordinator') return fail('FORBIDDEN_ROLE', 'Only coordinators attach studies.');
  const rate = rateLimiters().upload.take(session.user.id);
  if (!rate.ok) return fail('RATE_LIMITED', `Too many uploads; try again in ${rate.retryAfterSeconds} s.`, { retryAfterSeconds: rate.retryAfterSeconds }, { 'retry-after': String(rate.retryAfterSeconds) });
  const maxBytes = Math.min(UPLOAD_LIMITS.maxRequestBytes, config.SEGTRIAL_UPLOAD_MAX_MB * 1024 * 1024);
  const length = Number(req.headers.get('content-length') ?? '0');
  if (length > maxBytes) return fail('PAYLOAD_TOO_LARGE', `Upload of ${length} bytes exceeds the limit of ${maxBytes} bytes.`);

  let form: FormData;
  try {
    // Counted while it streams in: a chunked body (no Content-Length) or a lying header is cut off
    // at the limit instead of being buffered whole.
    form = await new Request(req.url, { method: 'POST', headers: req.headers, body: req.body?.pipeThrough(byteLimit(maxBytes)), duplex: 'half' } as RequestInit).formData();
  } catch (error) {
    if (error instanceof PayloadTooLargeError || (error instanceof Error && error.cause instanceof PayloadTooLargeError)) return fail('PAYLOAD_TOO_LARGE', `Upload exceeds the limit of ${maxBytes} bytes.`);
    return fail('INVALID_INPUT', 'Expected multipart/form-data with trialId, participantId and the files flair, t1, t1gd, t2.');
  }
  const trialId = String(form.get('trialId') ?? '');
  const participantId = String(form.get('participantId') ?? '');
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  if (!uuid.test(trialId) || !uuid.test(participantId)) return fail('INVALID_INPUT', 'trialId and participantId must be ids.');

  const files = {} as Record<SequenceRole, SequenceInput>;
  for (const role of sequenceRoles) {
    const entries = form.getAll(role).filter((v): v is File => typeof v !== 'string');
    if (entries.length > UPLOAD_LIMITS.maxFilesPerSequence) return fail('INVALID_INPUT', `${role}: ${entries.length} files exceed the limit of ${UPLOAD_LIMITS.maxFilesPerSequence}.`);
    const read = [];
    for (const file of entries) {
      if (file.size > UPLOAD_LIMITS.maxFileBytes) return fail('INVALID_INPUT', `${file.name}: ${file.size} bytes exceed the per-file limit of ${UPLOAD_LIMITS.maxFileBytes}.`);
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
    if (error instanceof AppError) return fail(error.code, error.message, error.details);
    if (isDatabaseUnavailable(error)) return fail('DATABASE_UNAVAILABLE', 'The database is unavailable at the moment; nothing was stored. Try again shortly.');
    console.error('[upload] internal error', error);
    return Response.json({ error: { code: 'INTERNAL', message: 'Internal error. It has been logged.' } }, { status: 500 });
  }
}
