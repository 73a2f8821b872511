import { resolveSession, type SessionUser } from '../domain/auth/resolve-session';
import { env } from '../env';
import { getRuntime } from '../runtime';
import { appRouter, createCaller } from '../routers/_app';
import type { Context } from '../trpc';

/** The user behind a session cookie value, for server-rendered pages; null when not logged in. */
export async function sessionUserFromToken(token: string | undefined): Promise<SessionUser | null> {
  const { db } = await getRuntime();
  const session = await resolveSession({ db, token, idleMinutes: env().SEGTRIAL_SESSION_IDLE_MINUTES });
  return session?.user ?? null;
}

/** A server-side tRPC caller acting as the cookie's user: pages get the same checks as the API. */
export async function serverCaller(token: string | undefined) {
  const { db } = await getRuntime();
  const config = env();
  const session = await resolveSession({ db, token, idleMinutes: config.SEGTRIAL_SESSION_IDLE_MINUTES });
  const ctx: Context = {
    db,
    session,
    request: { via: 'web' },
    crossSite: { customHeader: true, sameOrigin: true },
    setSessionCookie: () => {},
    sessionConfig: { maxMinutes: config.SEGTRIAL_SESSION_MAX_MINUTES, idleMinutes: config.SEGTRIAL_SESSION_IDLE_MINUTES },
  };
  return createCaller(ctx);
}

export { appRouter };
