/**
 * Application errors with a documented code. Domain functions throw AppError; the tRPC error
 * formatter maps each code to one HTTP/tRPC status (APP_ERROR_STATUS) and exposes `appCode` to clients.
 */
export const APP_ERROR_STATUS = {
  /** Not logged in, or the session expired. */
  UNAUTHENTICATED: 'UNAUTHORIZED',
  /** Wrong username or password (deliberately not saying which). */
  INVALID_CREDENTIALS: 'UNAUTHORIZED',
  /** Too many failed logins: the account is locked until a given time. */
  ACCOUNT_LOCKED: 'FORBIDDEN',
  /** Logged in, but the role may not do this. */
  FORBIDDEN_ROLE: 'FORBIDDEN',
  /** A mutation without the custom header or from another origin. */
  CROSS_SITE_REQUEST: 'FORBIDDEN',
  /** The record does not exist, or belongs to a trial/site the caller may not see. */
  NOT_FOUND: 'NOT_FOUND',
  /** A unique value (username, study ID, …) is already taken. */
  ALREADY_EXISTS: 'CONFLICT',
  /** The request is well-formed but violates a domain rule. */
  INVALID_STATE: 'PRECONDITION_FAILED',
  /** Input failed validation beyond the schema. */
  INVALID_INPUT: 'BAD_REQUEST',
  /** Arms would be compared before the statistical analysis plan was locked and signed. */
  ANALYSIS_PLAN_NOT_LOCKED: 'PRECONDITION_FAILED',
  /** The signature's password check failed. */
  SIGNATURE_REJECTED: 'FORBIDDEN',
  /** The database cannot be reached (down, restarting): nothing was changed; retry shortly. */
  DATABASE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  /** The hospital PACS (DICOMweb) cannot be reached or did not answer in time: nothing was ingested or sent; retry. */
  PACS_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  /** Too many requests of this kind from this client (login, upload): retry after `retryAfterSeconds`. */
  RATE_LIMITED: 'TOO_MANY_REQUESTS',
  /** The request body is larger than the limit for it. */
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
} as const;

/** What a client is told of an unexpected error (tRPC and the other routes alike); the details are logged. */
export const INTERNAL_ERROR_MESSAGE = 'Internal error. It has been logged.';

export type AppErrorCode = keyof typeof APP_ERROR_STATUS;

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}
