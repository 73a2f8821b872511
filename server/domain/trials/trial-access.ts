import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { memberships, trials } from '@/db/schema';
import { AppError } from '../../errors';
import type { SessionUser } from '../auth/resolve-session';

export interface TrialAccess {
  readonly trialId: string;
  /** null: every site of the trial; otherwise the sites this user may see. */
  readonly siteIds: readonly string[] | null;
  /**
   * The per-trial blinding variant of the caller's role: 'blinded' (sees no arm anywhere),
   * 'unblinded', or null for the role's default (arm-visibility.ts). Absent for system callers.
   */
  readonly armAccess?: 'blinded' | 'unblinded' | null;
  /** The right to randomize in this trial (separate from seeing allocations). Absent: allowed. */
  readonly mayRandomize?: boolean;
}

/**
 * What part of a trial a user may see. Admins see everything; others need a membership. A trial the
 * user has no membership in answers NOT_FOUND (not FORBIDDEN), so its existence is not revealed.
 */
export async function resolveTrialAccess({ db, user, trialId }: { db: DbOrTx; user: SessionUser; trialId: string }): Promise<TrialAccess> {
  const [trial] = await db.select({ id: trials.id }).from(trials).where(eq(trials.id, trialId)).limit(1);
  if (!trial) throw new AppError('NOT_FOUND', 'Trial not found.');
  if (user.role === 'admin') return { trialId, siteIds: null, armAccess: null };
  const rows = await db
    .select({ siteId: memberships.siteId, armAccess: memberships.armAccess, mayRandomize: memberships.mayRandomize })
    .from(memberships)
    .where(and(eq(memberships.userId, user.id), eq(memberships.trialId, trialId)));
  if (rows.length === 0) throw new AppError('NOT_FOUND', 'Trial not found.');
  // Several memberships (one per site): the most restrictive setting wins.
  const armAccess = rows.some((r) => r.armAccess === 'blinded') ? 'blinded' : rows.some((r) => r.armAccess === 'unblinded') ? 'unblinded' : null;
  const mayRandomize = rows.every((r) => r.mayRandomize);
  if (rows.some((r) => r.siteId === null)) return { trialId, siteIds: null, armAccess, mayRandomize };
  return { trialId, siteIds: rows.map((r) => r.siteId).filter((s): s is string => s !== null), armAccess, mayRandomize };
}

/** Throws NOT_FOUND when a record's site lies outside the caller's access. */
export function assertSiteVisible(access: TrialAccess, siteId: string, what = 'Record'): void {
  if (access.siteIds !== null && !access.siteIds.includes(siteId)) {
    throw new AppError('NOT_FOUND', `${what} not found.`);
  }
}
