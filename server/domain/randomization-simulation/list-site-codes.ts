import { asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { sites } from '@/db/schema';

/** The trial's site codes, sorted: part of what a randomization design simulation depends on. */
export async function listSiteCodes(db: DbOrTx, trialId: string): Promise<string[]> {
  return (await db.select({ code: sites.code }).from(sites).where(eq(sites.trialId, trialId)).orderBy(asc(sites.code))).map((s) => s.code);
}
