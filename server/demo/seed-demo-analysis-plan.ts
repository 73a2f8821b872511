import { eq } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { users } from '../../db/schema';
import { EXAMPLE_ANALYSIS_PLAN } from '../domain/analysis-plan/analysis-plan-content';
import { lockAnalysisPlan } from '../domain/analysis-plan/lock-analysis-plan';

/**
 * The demo trial's statistical analysis plan, locked and signed by the demo statistician with their
 * own password (a real signature, as any statistician's), so the analysis pages and the DSMB reports
 * open on first start. Only when the seed knows that password (it has just created the account).
 */
export async function seedDemoAnalysisPlan({ db, trialId, credentials }: { db: Database; trialId: string; credentials: readonly { username: string; password: string }[] }): Promise<void> {
  const statistician = credentials.find((c) => c.username === 'statistician');
  if (!statistician) return;
  const [user] = await db.select().from(users).where(eq(users.username, statistician.username)).limit(1);
  if (!user) return;
  await lockAnalysisPlan({
    db,
    trialId,
    content: EXAMPLE_ANALYSIS_PLAN,
    amendmentReason: null,
    password: statistician.password,
    signer: { id: user.id, role: user.role },
    request: { via: 'system' },
  });
}
