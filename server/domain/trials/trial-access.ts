import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../../db/client';
import { memberships, trials } from '../../../db/schema';
import { AppError } from '../../errors';
import type { SessionUser } from '../auth/resolve-session';

export interface TrialAccess {
  readonly trialId: string;
  /** null: every site of the trial; otherwise the sites this user may see. */
  readonly siteIds: readonly string[] | null;
}

/**
 * What part of a trial a user may see. Admins see everything; others need a membership. A trial the
 * user has no membership in answers NOT_FOUND (not FORBIDDEN), so its existence is not revealed.
 */
export async function resolveTrialAccess({ db, user, trialId }: { db: DbOrTx; user: SessionUser; trialId: string }): Promise<TrialAccess> {
  const [trial] = await db.select({ id: trials.id }).from(trials).where(eq(trials.id, trialId)).limit(1);
  if (!trial) throw new AppError('NOT_FOUND', 'Trial not found.');
  if (user.role === 'admin') return { trialId, siteIds: null };
  const rows = await db
    .select({ siteId: memberships.siteId })
    .from(memberships)
    .where(and(eq(memberships.userId, user.id), eq(memberships.trialId, trialId)));
  if (rows.length === 0) throw new AppError('NOT_FOUND', 'Trial not found.');
  if (rows.some((r) => r.siteId === null)) return { trialId, siteIds: null };
  return { trialId, siteIds: rows.map((r) => r.siteId).filter((s): s is string => s !== null) };
}

/** Throws NOT_FOUND when a record's site lies outside the caller's access. */
export function assertSiteVisible(access: TrialAccess, siteId: string, what = 'Record'): void {
  if (access.siteIds !== null && !access.siteIds.includes(siteId)) {
    throw new AppError('NOT_FOUND', `${what} not found.`);
  }
}
