import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { sessions, users, type Role } from '@/db/schema';
import { AppError } from '../../errors';
import { writeAuditEvent, type AuditActor, type RequestMetadata } from '../audit/write-audit-event';

export interface UserChanges {
  readonly displayName?: string;
  readonly role?: Role;
  /** true deactivates (and ends the user's sessions), false reactivates. */
  readonly disabled?: boolean;
  /** Clears a lockout after failed logins or signatures. */
  readonly unlock?: boolean;
}

/**
 * An admin's change to an account, audited with the values before and after. Deactivating ends the
 * user's open sessions in the same transaction; an admin cannot deactivate or demote themselves
 * (the installation would lose its last way in).
 */
export async function updateUser({ db, userId, changes, actor, request }: { db: Database; userId: string; changes: UserChanges; actor: AuditActor; request: RequestMetadata }) {
  if (actor.userId === userId && (changes.disabled === true || (changes.role !== undefined && changes.role !== 'admin'))) {
    throw new AppError('INVALID_STATE', 'You cannot deactivate your own account or take away your own admin role.');
  }
  return db.transaction(async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.id, userId)).for('update');
    if (!user) throw new AppError('NOT_FOUND', 'User not found.');
    const set: Partial<typeof users.$inferInsert> = {};
    if (changes.displayName !== undefined && changes.displayName.trim() !== user.displayName) set.displayName = changes.displayName.trim();
    if (changes.role !== undefined && changes.role !== user.role) set.role = changes.role;
    if (changes.disabled !== undefined && changes.disabled !== user.disabled) set.disabled = changes.disabled;
    if (changes.unlock && (user.lockedUntil !== null || user.failedLoginCount > 0)) Object.assign(set, { lockedUntil: null, failedLoginCount: 0 });
    if (Object.keys(set).length === 0) return { id: user.id, changed: false };
    await tx.update(users).set(set).where(eq(users.id, user.id));
    if (set.disabled === true)
      await tx
        .update(sessions)
        .set({ revokedAt: new Date() })
        .where(and(eq(sessions.userId, user.id), isNull(sessions.revokedAt)));
    const before = Object.fromEntries(Object.keys(set).map((k) => [k, (user as Record<string, unknown>)[k] ?? null]));
    await writeAuditEvent({ tx, actor, action: 'user.updated', entityType: 'user', entityId: user.id, before, after: { ...set, username: user.username }, request });
    return { id: user.id, changed: true };
  });
}
