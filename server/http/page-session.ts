import { TRPCError } from '@trpc/server';
import { isDatabaseUnavailable } from '../../db/database-errors';
import { resolveSession, type SessionUser } from '../domain/auth/resolve-session';
import { env } from '../env';
import { getRuntime } from '../runtime';
import { appRouter, createCaller } from '../routers/_app';
import type { Context } from '../trpc';
import { DATABASE_UNAVAILABLE_DIGEST } from './outage-digest';

/** Marks a database outage met while rendering a page, for the error page (app/error.tsx). */
function markOutage(error: unknown): void {
  if (isDatabaseUnavailable(error) || (error instanceof TRPCError && error.code === 'SERVICE_UNAVAILABLE')) {
    (error as { digest?: string }).digest = DATABASE_UNAVAILABLE_DIGEST;
  }
}

function rethrowMarked(error: unknown): never {
  markOutage(error);
  throw error;
}

/** The user behind a session cookie value, for server-rendered pages; null when not logged in. */
export async function sessionUserFromToken(token: string | undefined): Promise<SessionUser | null> {
  const { db } = await getRuntime().catch(rethrowMarked);
  const session = await resolveSession({ db, token, idleMinutes: env().SEGTRIAL_SESSION_IDLE_MINUTES }).catch(rethrowMarked);
  return session?.user ?? null;
}

/** A server-side tRPC caller acting as the cookie's user: pages get the same checks as the API. */
export async function serverCaller(token: string | undefined) {
  const { db } = await getRuntime().catch(rethrowMarked);
  const config = env();
  const session = await resolveSession({ db, token, idleMinutes: config.SEGTRIAL_SESSION_IDLE_MINUTES }).catch(rethrowMarked);
  const ctx: Context = {
    db,
    session,
    request: { via: 'web' },
    crossSite: { customHeader: true, sameOrigin: true },
    setSessionCookie: () => {},
    sessionConfig: { maxMinutes: config.SEGTRIAL_SESSION_MAX_MINUTES, idleMinutes: config.SEGTRIAL_SESSION_IDLE_MINUTES },
  };
  // A procedure that meets an outage answers SERVICE_UNAVAILABLE: the page's error says so.
  return createCaller(ctx, { onError: ({ error }) => markOutage(error) });
}

export { appRouter };
