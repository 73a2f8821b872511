import type { Database } from '@/db/client';
import type { Role } from '@/db/schema';
import type { SessionUser } from '@/server/domain/auth/resolve-session';
import { createCaller } from '@/server/routers/_app';
import type { Context } from '@/server/trpc';

/** A server-side caller as `user` (or anonymous), with the cross-site checks satisfied. */
export function callerFor(db: Database, user: SessionUser | null) {
  const ctx: Context = {
    db,
    session: user ? { tokenHash: 'test', user, expiresAt: new Date(Date.now() + 3_600_000) } : null,
    request: { via: 'system', requestId: 'test' },
    crossSite: { customHeader: true, sameOrigin: true },
    setSessionCookie: () => {},
    sessionConfig: { maxMinutes: 60, idleMinutes: 30 },
  };
  return createCaller(ctx);
}

export type DemoUsers = Record<'admin' | 'coordinator' | 'clinician' | 'clinicianB' | 'statistician' | 'monitor' | 'dsmb', SessionUser>;

export function sessionUser(row: { id: string; username: string; displayName: string; role: Role }): SessionUser {
  return { id: row.id, username: row.username, displayName: row.displayName, role: row.role };
}
