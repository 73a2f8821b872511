import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { sessions, users, type Role } from '@/db/schema';
import { hashSessionToken } from './session-token';

export interface SessionUser {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
}

export interface ResolvedSession {
  readonly tokenHash: string;
  readonly user: SessionUser;
  readonly expiresAt: Date;
}

/**
 * Looks up a live session by its cookie token: not revoked, not past its absolute expiry, not idle
 * longer than `idleMinutes`, and its user not disabled. Touches `last_seen_at` at most once a minute.
 */
export async function resolveSession({ db, token, idleMinutes, now = new Date() }: { db: Database; token: string | undefined; idleMinutes: number; now?: Date }): Promise<ResolvedSession | null> {
  if (!token || token.length > 100) return null;
  const tokenHash = hashSessionToken(token);
  const [row] = await db
    .select({
      tokenHash: sessions.tokenHash,
      expiresAt: sessions.expiresAt,
      lastSeenAt: sessions.lastSeenAt,
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      role: users.role,
      disabled: users.disabled,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, tokenHash), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)))
    .limit(1);
  if (!row || row.disabled) return null;
  if (now.getTime() - row.lastSeenAt.getTime() > idleMinutes * 60_000) return null;
  if (now.getTime() - row.lastSeenAt.getTime() > 60_000) {
    await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.tokenHash, tokenHash));
  }
  return {
    tokenHash,
    expiresAt: row.expiresAt,
    user: { id: row.id, username: row.username, displayName: row.displayName, role: row.role },
  };
}
