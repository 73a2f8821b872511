import type { Database } from '../../db/client';
import type { Role } from '../../db/schema';
import { resolveSession, type ResolvedSession } from '../domain/auth/resolve-session';
import { SESSION_COOKIE } from '../domain/auth/session-token';
import { env } from '../env';
import { APP_ERROR_STATUS } from '../errors';
import { CSRF_HEADER } from '../trpc';
import { parseCookies } from './cookies';

const HTTP_STATUS: Record<string, number> = { UNAUTHORIZED: 401, FORBIDDEN: 403, NOT_FOUND: 404, BAD_REQUEST: 400, CONFLICT: 409, PRECONDITION_FAILED: 412 };

/** A JSON error answer with the HTTP status the code maps to (the same table tRPC uses). */
export function failUpload(code: keyof typeof APP_ERROR_STATUS, message: string, details?: Record<string, unknown>): Response {
  return Response.json({ error: { code, message, ...details } }, { status: HTTP_STATUS[APP_ERROR_STATUS[code]] ?? 400 });
}

/**
 * The checks every multipart upload route makes before reading the body, as tRPC mutations do:
 * the custom header and a same-origin Origin (no cross-site form posts), a live session, one of
 * `roles`, and a declared length within `maxBytes`. Returns the session, or the refusal to send.
 */
export async function authorizeUpload({ db, req, roles, maxBytes }: { db: Database; req: Request; roles: readonly Role[]; maxBytes: number }): Promise<ResolvedSession | Response> {
  if (req.headers.get(CSRF_HEADER) !== '1') return failUpload('CROSS_SITE_REQUEST', 'Cross-site request refused.');
  const origin = req.headers.get('origin');
  if (origin !== null && (!URL.canParse(origin) || new URL(origin).host !== (req.headers.get('host') ?? new URL(req.url).host))) return failUpload('CROSS_SITE_REQUEST', 'Cross-site request refused.');
  const session = await resolveSession({ db, token: parseCookies(req.headers.get('cookie')).get(SESSION_COOKIE), idleMinutes: env().SEGTRIAL_SESSION_IDLE_MINUTES });
  if (!session) return failUpload('UNAUTHENTICATED', 'Please log in.');
  if (!roles.includes(session.user.role)) return failUpload('FORBIDDEN_ROLE', `This upload needs the role ${roles.join(' or ')}; you are ${session.user.role}.`);
  const length = Number(req.headers.get('content-length') ?? '0');
  if (length > maxBytes) return failUpload('INVALID_INPUT', `Upload of ${length} bytes exceeds the limit of ${maxBytes} bytes.`);
  return session;
}
