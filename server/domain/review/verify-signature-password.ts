import { eq, sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { users } from '@/db/schema';
import { AppError } from '../../errors';
import { writeAuditEvent, type RequestMetadata } from '../audit/write-audit-event';
import { LOCKOUT_MINUTES, MAX_FAILED_LOGINS } from '../auth/login-user';
import { verifyPassword } from '../auth/password-hash';

export interface VerifySignaturePasswordOptions {
  readonly db: Database;
  readonly userId: string;
  readonly password: string;
  /** What was being signed, for the audit row of a failure. */
  readonly entityId: string;
  readonly trialId: string;
  readonly request: RequestMetadata;
  readonly now?: Date;
}

/**
 * The password re-entry of an electronic signature. A wrong password counts toward the same lockout
 * as failed logins (MAX_FAILED_LOGINS in a row lock the account for LOCKOUT_MINUTES), so a signing
 * form cannot be used to guess passwords; each failure is audited. Returns the signer's account.
 */
export async function verifySignaturePassword(options: VerifySignaturePasswordOptions) {
  const { db, request } = options;
  const now = options.now ?? new Date();
  const [user] = await db.select().from(users).where(eq(users.id, options.userId)).limit(1);
  if (!user || user.disabled) throw new AppError('SIGNATURE_REJECTED', 'The signature was not accepted: wrong password.');
  if (user.lockedUntil && user.lockedUntil > now) {
    await db.transaction((tx) =>
      writeAuditEvent({
        tx,
        actor: { userId: user.id, role: user.role },
        action: 'review.signature_failed',
        entityType: 'case',
        entityId: options.entityId,
        trialId: options.trialId,
        after: { reason: 'locked' },
        request,
      }),
    );
    throw new AppError('ACCOUNT_LOCKED', `This account is locked after repeated failed password entries until ${user.lockedUntil.toISOString()}.`, { lockedUntil: user.lockedUntil.toISOString() });
  }
  if (await verifyPassword(options.password, user.passwordHash)) {
    if (user.failedLoginCount > 0) await db.update(users).set({ failedLoginCount: 0 }).where(eq(users.id, user.id));
    return user;
  }
  const actor = { userId: user.id, role: user.role };
  const locked = await db.transaction(async (tx) => {
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
        actor,
        action: 'user.locked',
        entityType: 'user',
        entityId: user.id,
        after: { lockedUntil: lockedUntil.toISOString(), failedAttempts: failed, during: 'signature' },
        request,
      });
      return lockedUntil;
    }
    await writeAuditEvent({ tx, actor, action: 'review.signature_failed', entityType: 'case', entityId: options.entityId, trialId: options.trialId, after: { failedAttempts: failed }, request });
    return null;
  });
  if (locked) throw new AppError('ACCOUNT_LOCKED', `Too many wrong passwords: this account is locked until ${locked.toISOString()}.`, { lockedUntil: locked.toISOString() });
  throw new AppError('SIGNATURE_REJECTED', 'The signature was not accepted: wrong password.');
}
