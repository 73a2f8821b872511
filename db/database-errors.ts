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

/** Walks `error` and the errors it wraps (drizzle wraps driver errors in `cause`, Node wraps
 * per-address connection failures in an AggregateError's `errors`) until `test` holds for one. */
function someInChain(error: unknown, test: (e: { code?: unknown; name?: unknown }) => boolean, depth = 0): boolean {
  if (depth > 6 || typeof error !== 'object' || error === null) return false;
  if (test(error)) return true;
  const { cause, errors } = error as { cause?: unknown; errors?: unknown };
  if (Array.isArray(errors) && errors.some((e) => someInChain(e, test, depth + 1))) return true;
  return someInChain(cause, test, depth + 1);
}

/**
 * True when `error` (or an error it wraps) says the database is unreachable, so the caller may
 * answer 503 and the client may retry. Statement errors (constraints, syntax) are false.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  return someInChain(
    error,
    ({ code, name }) => (typeof code === 'string' && (CONNECTION_ERROR_CODES.has(code) || (/^[0-9A-Z]{5}$/.test(code) && isUnavailableSqlState(code)))) || name === 'DataDirLockedError',
  );
}

/**
 * True when `error` (or an error it wraps) is a unique-constraint violation (SQLSTATE 23505, on both
 * drivers): a value someone else took between the caller's check and its insert. It is the client's
 * conflict (409), not a bug of the server.
 */
export function isUniqueViolation(error: unknown): boolean {
  return someInChain(error, ({ code }) => code === '23505');
}
