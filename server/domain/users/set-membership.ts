import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { memberships, sites, trials, users } from '@/db/schema';
import { AppError } from '../../errors';
import { writeAuditEvent, type AuditActor, type RequestMetadata } from '../audit/write-audit-event';

export interface MembershipSettings {
  readonly userId: string;
  readonly trialId: string;
  /** null: every site of the trial. */
  readonly siteId: string | null;
  /** The blinding variant of the user's role in this trial; null keeps the role's default. */
  readonly armAccess: 'blinded' | 'unblinded' | null;
  readonly mayRandomize: boolean;
}

/**
 * Grants access to a trial (one site or all) or changes an existing grant's blinding variant and
 * right to randomize; audited with the values before and after.
 */
export async function setMembership({ db, settings, actor, request }: { db: Database; settings: MembershipSettings; actor: AuditActor; request: RequestMetadata }) {
  return db.transaction(async (tx) => {
    const [trial] = await tx.select({ id: trials.id }).from(trials).where(eq(trials.id, settings.trialId));
    if (!trial) throw new AppError('NOT_FOUND', 'Trial not found.');
    // Checked here, not left to the foreign key: an unknown account is a typed 404, not a 500.
    const [user] = await tx.select({ id: users.id }).from(users).where(eq(users.id, settings.userId));
    if (!user) throw new AppError('NOT_FOUND', 'User not found.');
    if (settings.siteId) {
      const [site] = await tx
        .select({ id: sites.id })
        .from(sites)
        .where(and(eq(sites.id, settings.siteId), eq(sites.trialId, settings.trialId)));
      if (!site) throw new AppError('NOT_FOUND', 'Site not found in this trial.');
    }
    const where = and(eq(memberships.userId, settings.userId), eq(memberships.trialId, settings.trialId), settings.siteId ? eq(memberships.siteId, settings.siteId) : isNull(memberships.siteId));
    const [existing] = await tx.select().from(memberships).where(where).for('update');
    const values = { armAccess: settings.armAccess, mayRandomize: settings.mayRandomize };
    if (existing) {
      if (existing.armAccess === values.armAccess && existing.mayRandomize === values.mayRandomize) return { id: existing.id, created: false };
      await tx.update(memberships).set(values).where(eq(memberships.id, existing.id));
      await writeAuditEvent({
        tx,
        actor,
        action: 'membership.updated',
        entityType: 'membership',
        entityId: existing.id,
        trialId: settings.trialId,
        before: { armAccess: existing.armAccess, mayRandomize: existing.mayRandomize },
        after: { userId: settings.userId, siteId: settings.siteId, ...values },
        request,
      });
      return { id: existing.id, created: false };
    }
    const [row] = await tx
      .insert(memberships)
      .values({ userId: settings.userId, trialId: settings.trialId, siteId: settings.siteId, ...values })
      .returning();
    await writeAuditEvent({
      tx,
      actor,
      action: 'membership.granted',
      entityType: 'membership',
      entityId: row!.id,
      trialId: settings.trialId,
      after: { userId: settings.userId, siteId: settings.siteId, ...values },
      request,
    });
    return { id: row!.id, created: true };
  });
}

/** Removes one trial access grant (audited). */
export async function revokeMembership({ db, membershipId, actor, request }: { db: Database; membershipId: string; actor: AuditActor; request: RequestMetadata }) {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(memberships).where(eq(memberships.id, membershipId)).for('update');
    if (!row) throw new AppError('NOT_FOUND', 'Access grant not found.');
    await tx.delete(memberships).where(eq(memberships.id, row.id));
    await writeAuditEvent({
      tx,
      actor,
      action: 'membership.revoked',
      entityType: 'membership',
      entityId: row.id,
      trialId: row.trialId,
      before: { userId: row.userId, siteId: row.siteId, armAccess: row.armAccess, mayRandomize: row.mayRandomize },
      request,
    });
    return { id: row.id };
  });
}
