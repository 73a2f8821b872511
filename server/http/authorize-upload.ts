import type { Database } from '../../db/client';
import { isDatabaseUnavailable } from '../../db/database-errors';
import type { Role } from '../../db/schema';
import { resolveSession, type ResolvedSession } from '../domain/auth/resolve-session';
import { SESSION_COOKIE } from '../domain/auth/session-token';
import { env } from '../env';
import { CSRF_HEADER } from '../trpc';
import { parseCookies } from './cookies';
import { databaseUnavailableResponse, errorResponse } from './error-response';
import type { RateLimiter } from './rate-limit';

/**
 * The checks every multipart upload route makes before reading the body, as tRPC mutations do:
 * the custom header and a same-origin Origin (no cross-site form posts), a live session (503 while
 * the database is unreachable), one of `roles`, the user's upload allowance when `rateLimit` is
 * given, and a declared length within `maxBytes` (413). Returns the session, or the refusal to send.
 */
export async function authorizeUpload({ db, req, roles, maxBytes, rateLimit }: { db: Database; req: Request; roles: readonly Role[]; maxBytes: number; rateLimit?: RateLimiter }): Promise<ResolvedSession | Response> {
  if (req.headers.get(CSRF_HEADER) !== '1') return errorResponse('CROSS_SITE_REQUEST', 'Cross-site request refused.');
  const origin = req.headers.get('origin');
  if (origin !== null && (!URL.canParse(origin) || new URL(origin).host !== (req.headers.get('host') ?? new URL(req.url).host))) return errorResponse('CROSS_SITE_REQUEST', 'Cross-site request refused.');
  const session = await resolveSession({ db, token: parseCookies(req.headers.get('cookie')).get(SESSION_COOKIE), idleMinutes: env().SEGTRIAL_SESSION_IDLE_MINUTES }).catch((error: unknown) => {
    if (isDatabaseUnavailable(error)) return 'unavailable' as const;
    throw error;
  });
  if (session === 'unavailable') return databaseUnavailableResponse();
  if (!session) return errorResponse('UNAUTHENTICATED', 'Please log in.');
  if (!roles.includes(session.user.role)) return errorResponse('FORBIDDEN_ROLE', `This upload needs the role ${roles.join(' or ')}; you are ${session.user.role}.`);
  const rate = rateLimit?.take(session.user.id) ?? { ok: true };
  if (!rate.ok) return errorResponse('RATE_LIMITED', `Too many uploads; try again in ${rate.retryAfterSeconds} s.`, { retryAfterSeconds: rate.retryAfterSeconds }, { 'retry-after': String(rate.retryAfterSeconds) });
  const length = Number(req.headers.get('content-length') ?? '0');
  if (length > maxBytes) return errorResponse('PAYLOAD_TOO_LARGE', `Upload of ${length} bytes exceeds the limit of ${maxBytes} bytes.`);
  return session;
}

class PayloadTooLargeError extends Error {}

/** How much of an oversized body is read and dropped after the refusal before the socket is cut. */
const DRAIN_MAX_BYTES = 64 * 1024 * 1024;

/**
 * `body` passed through until more than `maxBytes` have come; then the copy fails (the form parser
 * stops) while the rest of the original is read and dropped in the background, up to
 * DRAIN_MAX_BYTES. Cancelling the original instead would destroy the socket under a keep-alive
 * connection: the client then meets ECONNRESET on its next request, or EPIPE before it reads the 413.
 */
function limitedBody(body: ReadableStream<Uint8Array>, maxBytes: number): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let seen = 0;
  const drain = async () => {
    let dropped = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      dropped += value.byteLength;
      if (dropped > DRAIN_MAX_BYTES) return reader.cancel('upload over its limit');
    }
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) return controller.close();
      seen += value.byteLength;
      if (seen <= maxBytes) return controller.enqueue(value);
      controller.error(new PayloadTooLargeError(`more than ${maxBytes} bytes`));
      drain().catch(() => {});
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

/**
 * The multipart body, counted while it streams in: a chunked body (no Content-Length) or a lying
 * header is cut off at `maxBytes` (413) instead of being buffered whole. `invalid` is the message
 * for a body that is not the expected form.
 */
export async function readUploadForm(req: Request, maxBytes: number, invalid: string): Promise<FormData | Response> {
  try {
    return await new Request(req.url, { method: 'POST', headers: req.headers, body: req.body && limitedBody(req.body, maxBytes), duplex: 'half' } as RequestInit).formData();
  } catch (error) {
    if (error instanceof PayloadTooLargeError || (error instanceof Error && error.cause instanceof PayloadTooLargeError)) return errorResponse('PAYLOAD_TOO_LARGE', `Upload exceeds the limit of ${maxBytes} bytes.`);
    return errorResponse('INVALID_INPUT', invalid);
  }
}
