import { APP_ERROR_STATUS, INTERNAL_ERROR_MESSAGE, type AppErrorCode } from '../errors';

/** The HTTP status of each tRPC code, as tRPC answers the same AppErrors on /api/trpc. */
const HTTP_STATUS: Record<string, number> = {
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  BAD_REQUEST: 400,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  TOO_MANY_REQUESTS: 429,
  SERVICE_UNAVAILABLE: 503,
};

/** A typed JSON error answer for the routes outside tRPC (uploads, downloads, exports). */
export function errorResponse(code: AppErrorCode, message: string, details?: Record<string, unknown>, headers?: Record<string, string>): Response {
  return Response.json({ error: { code, message, ...details } }, { status: HTTP_STATUS[APP_ERROR_STATUS[code]] ?? 400, headers });
}

/**
 * The answer for an unexpected error in those routes: logged with `logLine` for the operators, a 500
 * that reveals nothing of it (no SQL, stack or other records' data) to the client.
 */
export function internalErrorResponse(error: unknown, logLine: string): Response {
  console.error(logLine, error);
  return Response.json({ error: { code: 'INTERNAL', message: INTERNAL_ERROR_MESSAGE } }, { status: 500 });
}

/** The 503 of a route outside tRPC when the database cannot be reached: nothing was stored; retry. */
export function databaseUnavailableResponse(): Response {
  return errorResponse('DATABASE_UNAVAILABLE', 'The database is unavailable at the moment; nothing was stored. Try again shortly.');
}
