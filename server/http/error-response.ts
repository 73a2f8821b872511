import { APP_ERROR_STATUS, type AppErrorCode } from '../errors';

/** The HTTP status of each tRPC code, as tRPC answers the same AppErrors on /api/trpc. */
const HTTP_STATUS: Record<string, number> = { UNAUTHORIZED: 401, FORBIDDEN: 403, NOT_FOUND: 404, BAD_REQUEST: 400, CONFLICT: 409, PRECONDITION_FAILED: 412, PAYLOAD_TOO_LARGE: 413, TOO_MANY_REQUESTS: 429, SERVICE_UNAVAILABLE: 503 };

/** A typed JSON error answer for the routes outside tRPC (uploads, downloads, exports). */
export function errorResponse(code: AppErrorCode, message: string, details?: Record<string, unknown>, headers?: Record<string, string>): Response {
  return Response.json({ error: { code, message, ...details } }, { status: HTTP_STATUS[APP_ERROR_STATUS[code]] ?? 400, headers });
}
