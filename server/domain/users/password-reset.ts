import { randomBytes } from 'node:crypto';
import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { passwordResetTokens, sessions, users } from '@/db/schema';
import { AppError } from '../../errors';
import { writeAuditEvent, type AuditActor, type RequestMetadata } from '../audit/write-audit-event';
import { hashPassword, passwordPolicyViolation } from '../auth/password-hash';
import { hashSessionToken } from '../auth/session-token';

/** How long a reset link works. */
export const PASSWORD_RESET_HOURS = 24;

/**
 * Issues a one-time password-reset link for a user (admin only, audited). The token is returned
 * once, for the admin to hand over; only its SHA-256 is stored. Issuing a new link voids older ones.
 */
export async function issuePasswordReset({ db, userId, actor, request, now = new Date() }: { db: Database; userId: string; actor: AuditActor; request: RequestMetadata; now?: Date }) {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + PASSWORD_RESET_HOURS * 3_600_000);
  await db.transaction(async (tx) => {
    const [user] = await tx.select({ id: users.id, username: users.username }).from(users).where(eq(users.id, userId));
    if (!user) throw new AppError('NOT_FOUND', 'User not found.');
    await tx
      .update(passwordResetTokens)
      .set({ usedAt: now })
      .where(and(eq(passwordResetTokens.userId, userId), isNull(passwordResetTokens.usedAt)));
    await tx.insert(passwordResetTokens).values({ tokenHash: hashSessionToken(token), userId, createdBy: actor.userId, expiresAt });
    await writeAuditEvent({ tx, actor, action: 'user.password_reset_issued', entityType: 'user', entityId: userId, after: { username: user.username, expiresAt: expiresAt.toISOString() }, request });
  });
  return { token, path: `/login/reset?token=${token}`, expiresAt };
}

/**
 * Sets a new password through a reset link: the token must exist, be unused and unexpired; it is
 * used up, the account unlocked and its open sessions ended, in one audited transaction. Every
 * refusal has the same message, so a guessed token learns nothing.
 */
export async function resetPasswordWithToken({ db, token, newPassword, request, now = new Date() }: { db: Database; token: string; newPassword: string; request: RequestMetadata; now?: Date }) {
  const violation = passwordPolicyViolation(newPassword);
  if (violation) throw new AppError('INVALID_INPUT', `Password ${violation}.`);
  const passwordHash = await hashPassword(newPassword);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(passwordResetTokens)
      .where(and(eq(passwordResetTokens.tokenHash, hashSessionToken(token)), isNull(passwordResetTokens.usedAt), gt(passwordResetTokens.expiresAt, now)))
      .for('update');
    if (!row) throw new AppError('INVALID_STATE', 'This reset link is not valid: it was used already, has expired or was replaced. Ask your administrator for a new one.');
    const [user] = await tx.select({ id: users.id, username: users.username, role: users.role, disabled: users.disabled }).from(users).where(eq(users.id, row.userId));
    if (!user || user.disabled) throw new AppError('INVALID_STATE', 'This reset link is not valid: it was used already, has expired or was replaced. Ask your administrator for a new one.');
    await tx.update(passwordResetTokens).set({ usedAt: now }).where(eq(passwordResetTokens.tokenHash, row.tokenHash));
    await tx.update(users).set({ passwordHash, failedLoginCount: 0, lockedUntil: null }).where(eq(users.id, user.id));
    await tx
      .update(sessions)
      .set({ revokedAt: now })
      .where(and(eq(sessions.userId, user.id), isNull(sessions.revokedAt)));
    await writeAuditEvent({ tx, actor: { userId: user.id, role: user.role }, action: 'user.password_reset', entityType: 'user', entityId: user.id, after: { username: user.username }, request });
    return { username: user.username };
  });
}
