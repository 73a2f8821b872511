/** Socket-level failures of postgres.js and Node (the server is down, restarting or unreachable). */
const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
]);

/**
 * SQLSTATEs that mean "the database cannot serve now", not "this statement is wrong": class 08
 * (connection exception), 57P01–57P03 (shut down by an administrator, after a crash, or still
 * starting: e.g. `pg_ctl stop -m immediate` and the recovery after it), 53300 (too many connections).
 */
function isUnavailableSqlState(code: string): boolean {
  return code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || code === '53300';
}

/**
 * True when `error` (or an error it wraps: drizzle wraps driver errors in `cause`, Node wraps
 * per-address connection failures in an AggregateError) says the database is unreachable, so the
 * caller may answer 503 and the client may retry. Statement errors (constraints, syntax) are false.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (depth > 6 || typeof error !== 'object' || error === null) return false;
  const { code, name, cause, errors } = error as { code?: unknown; name?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string' && (CONNECTION_ERROR_CODES.has(code) || (/^[0-9A-Z]{5}$/.test(code) && isUnavailableSqlState(code)))) return true;
  if (name === 'DataDirLockedError') return true;
  if (Array.isArray(errors) && errors.some((e) => isDatabaseUnavailable(e, depth + 1))) return true;
  return isDatabaseUnavailable(cause, depth + 1);
}
