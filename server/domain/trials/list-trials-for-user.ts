import { asc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { memberships, sites, trials } from '@/db/schema';
import type { SessionUser } from '../auth/resolve-session';

/** The trials a user may see, each with the sites visible to them. */
export async function listTrialsForUser({ db, user }: { db: DbOrTx; user: SessionUser }) {
  const visible =
    user.role === 'admin'
      ? await db.select({ trialId: trials.id, siteId: memberships.siteId }).from(trials).leftJoin(memberships, eq(memberships.trialId, trials.id))
      : await db.select({ trialId: memberships.trialId, siteId: memberships.siteId }).from(memberships).where(eq(memberships.userId, user.id));
  const trialIds = [...new Set(visible.map((v) => v.trialId))];
  if (trialIds.length === 0) return [];
  const trialRows = await db.select().from(trials).where(inArray(trials.id, trialIds)).orderBy(asc(trials.createdAt));
  const siteRows = await db.select().from(sites).where(inArray(sites.trialId, trialIds)).orderBy(asc(sites.code));
  return trialRows.map((t) => {
    const fullAccess = user.role === 'admin' || visible.some((v) => v.trialId === t.id && v.siteId === null);
    const siteIds = new Set(visible.filter((v) => v.trialId === t.id).map((v) => v.siteId));
    return {
      id: t.id,
      slug: t.slug,
      name: t.name,
      status: t.status,
      /** Access to every site of the trial (a membership without a site, or admin), e.g. to amend its protocol. */
      fullAccess,
      sites: siteRows.filter((s) => s.trialId === t.id && (fullAccess || siteIds.has(s.id))).map((s) => ({ id: s.id, code: s.code, name: s.name, isExternal: s.isExternal })),
    };
  });
}
