import { eq, sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { sessions, users, type Role } from '@/db/schema';
import { AppError } from '../../errors';
import { writeAuditEvent, type RequestMetadata } from '../audit/write-audit-event';
import { decoyPasswordHash, verifyPassword } from './password-hash';
import { hashSessionToken, newSessionToken } from './session-token';

export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MINUTES = 15;

export interface LoginUserOptions {
  readonly db: Database;
  readonly username: string;
  readonly password: string;
  readonly sessionMaxMinutes: number;
  readonly request: RequestMetadata;
  readonly now?: Date;
}

export interface LoginResult {
  readonly token: string;
  readonly expiresAt: Date;
  readonly user: { id: string; username: string; displayName: string; role: Role };
}

/**
 * Checks a username and password and opens a session. After MAX_FAILED_LOGINS consecutive failures
 * the account is locked for LOCKOUT_MINUTES; the failure reason shown to the caller never says
 * whether the username exists. Every attempt is audited.
 */
export async function loginUser(options: LoginUserOptions): Promise<LoginResult> {
  const { db, request } = options;
  const now = options.now ?? new Date();
  const username = options.username.trim().toLowerCase();
  const [user] = await db.select().from(users).where(eq(users.username, username)).limit(1);

  if (!user) {
    await verifyPassword(options.password, await decoyPasswordHash()); // same time as a real check
    await db.transaction((tx) =>
      writeAuditEvent({ tx, actor: { userId: null, role: null }, action: 'user.login_failed', entityType: 'user', entityId: null, after: { username, reason: 'unknown_user' }, request }),
    );
    throw new AppError('INVALID_CREDENTIALS', 'Wrong username or password.');
  }

  if (user.lockedUntil && user.lockedUntil > now) {
    await db.transaction((tx) =>
      writeAuditEvent({ tx, actor: { userId: user.id, role: user.role }, action: 'user.login_failed', entityType: 'user', entityId: user.id, after: { reason: 'locked' }, request }),
    );
    throw new AppError('ACCOUNT_LOCKED', `This account is locked after repeated failed logins until ${user.lockedUntil.toISOString()}.`, {
      lockedUntil: user.lockedUntil.toISOString(),
    });
  }

  const passwordOk = !user.disabled && (await verifyPassword(options.password, user.passwordHash));
  if (!passwordOk) {
    await db.transaction(async (tx) => {
      // Increment atomically so concurrent failures all count.
      const [updated] = await tx
        .update(users)
        .set({ failedLoginCount: sql`${users.failedLoginCount} + 1` })
        .where(eq(users.id, user.id))
        .returning({ failed: users.failedLoginCount });
      const failed = updated?.failed ?? MAX_FAILED_LOGINS;
      if (failed >= MAX_FAILED_LOGINS) {
        const lockedUntil = new Date(now.getTime() + LOCKOUT_MINUTES * 60_000);
        await tx.update(users).set({ lockedUntil, failedLoginCount: 0 }).where(eq(users.id, user.id));
        await writeAuditEvent({
          tx,
          actor: { userId: user.id, role: user.role },
          action: 'user.locked',
          entityType: 'user',
          entityId: user.id,
          after: { lockedUntil: lockedUntil.toISOString(), failedLogins: failed },
          request,
        });
      } else {
        await writeAuditEvent({
          tx,
          actor: { userId: user.id, role: user.role },
          action: 'user.login_failed',
          entityType: 'user',
          entityId: user.id,
          after: { reason: user.disabled ? 'disabled' : 'wrong_password', failedLogins: failed },
          request,
        });
      }
    });
    throw new AppError('INVALID_CREDENTIALS', 'Wrong username or password.');
  }

  const token = newSessionToken();
  const expiresAt = new Date(now.getTime() + options.sessionMaxMinutes * 60_000);
  await db.transaction(async (tx) => {
    await tx.update(users).set({ failedLoginCount: 0, lockedUntil: null }).where(eq(users.id, user.id));
    await tx.insert(sessions).values({
      tokenHash: hashSessionToken(token),
      userId: user.id,
      createdAt: now,
      lastSeenAt: now,
      expiresAt,
      ip: request.ip ?? null,
      userAgent: request.userAgent ?? null,
    });
    await writeAuditEvent({ tx, actor: { userId: user.id, role: user.role }, action: 'user.login', entityType: 'user', entityId: user.id, request });
  });
  return { token, expiresAt, user: { id: user.id, username: user.username, displayName: user.displayName, role: user.role } };
}
