import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { sessions } from '@/db/schema';
import { writeAuditEvent, type RequestMetadata } from '../audit/write-audit-event';
import type { ResolvedSession } from './resolve-session';

/** Revokes the session server-side, so the cookie is useless even if a copy survives. */
export async function logoutSession({ db, session, request }: { db: Database; session: ResolvedSession; request: RequestMetadata }): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .update(sessions)
      .set({ revokedAt: new Date() })
      .where(and(eq(sessions.tokenHash, session.tokenHash), isNull(sessions.revokedAt)));
    await writeAuditEvent({ tx, actor: { userId: session.user.id, role: session.user.role }, action: 'user.logout', entityType: 'user', entityId: session.user.id, request });
  });
}
