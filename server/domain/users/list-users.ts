import { asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { memberships, sites, trials, users } from '@/db/schema';

/** Every account with its trial access, for the admin's user list: no password hashes. */
export async function listUsers({ db }: { db: DbOrTx }) {
  const [rows, grants] = await Promise.all([
    db
      .select({
        id: users.id,
        username: users.username,
        displayName: users.displayName,
        role: users.role,
        disabled: users.disabled,
        lockedUntil: users.lockedUntil,
        failedLoginCount: users.failedLoginCount,
        createdAt: users.createdAt,
      })
      .from(users)
      .orderBy(asc(users.username)),
    db
      .select({
        id: memberships.id,
        userId: memberships.userId,
        trialId: memberships.trialId,
        trialName: trials.name,
        siteId: memberships.siteId,
        siteCode: sites.code,
        armAccess: memberships.armAccess,
        mayRandomize: memberships.mayRandomize,
      })
      .from(memberships)
      .innerJoin(trials, eq(trials.id, memberships.trialId))
      .leftJoin(sites, eq(sites.id, memberships.siteId)),
  ]);
  return rows.map((u) => ({ ...u, memberships: grants.filter((g) => g.userId === u.id) }));
}
