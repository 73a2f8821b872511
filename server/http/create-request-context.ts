import type { Database } from '../../db/client';
import { resolveSession } from '../domain/auth/resolve-session';
import { SESSION_COOKIE } from '../domain/auth/session-token';
import { env } from '../env';
import { isDatabaseUnavailable } from '../../db/database-errors';
import { CSRF_HEADER, databaseUnavailableError, type Context } from '../trpc';
import { AppError } from '../errors';
import { parseCookies, serializeSessionCookie } from './cookies';
import { rateLimiters } from './rate-limit';
import { isSameOrigin, requestFacts } from './request-facts';

/** Builds the tRPC context for one HTTP request (Fetch API), reading the session cookie. */
export async function createRequestContext({ db: dbOrOpen, req, resHeaders }: { db: Database | (() => Promise<Database>); req: Request; resHeaders: Headers }): Promise<Context> {
  const config = env();
  const unavailableAs503 = (error: unknown): never => {
    throw isDatabaseUnavailable(error) ? databaseUnavailableError(error) : error;
  };
  const db = typeof dbOrOpen === 'function' ? await dbOrOpen().catch(unavailableAs503) : dbOrOpen;
  const token = parseCookies(req.headers.get('cookie')).get(SESSION_COOKIE);
  // The session lookup is the first query of every request: an outage here is a 503 too.
  const session = await resolveSession({ db, token, idleMinutes: config.SEGTRIAL_SESSION_IDLE_MINUTES }).catch(unavailableAs503);
  const { host, secure, clientAddress, metadata } = requestFacts(req);
  resHeaders.set('x-request-id', metadata.requestId);
  return {
    db,
    session,
    request: metadata,
    crossSite: { customHeader: req.headers.get(CSRF_HEADER) === '1', sameOrigin: isSameOrigin(req, host) },
    setSessionCookie: (value, maxAgeSeconds) => {
      resHeaders.append('set-cookie', serializeSessionCookie(SESSION_COOKIE, value ?? '', { maxAgeSeconds: value ? maxAgeSeconds : 0, secure }));
    },
    sessionConfig: { maxMinutes: config.SEGTRIAL_SESSION_MAX_MINUTES, idleMinutes: config.SEGTRIAL_SESSION_IDLE_MINUTES },
    limitRate: (bucket) => {
      const decision = rateLimiters()[bucket].take(clientAddress ?? 'unknown');
      if (decision.ok) return;
      resHeaders.set('retry-after', String(decision.retryAfterSeconds));
      throw new AppError('RATE_LIMITED', `Too many attempts from this address; try again in ${decision.retryAfterSeconds} s.`, { retryAfterSeconds: decision.retryAfterSeconds });
    },
  };
}
