import { eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { studies } from '@/db/schema';
import { AppError } from '../../errors';

/** NOT_FOUND unless the study belongs to the trial (another trial's study reads like one that does not exist). */
export async function assertStudyInTrial({ db, trialId, studyId }: { db: DbOrTx; trialId: string; studyId: string }): Promise<void> {
  const [study] = await db.select({ trialId: studies.trialId }).from(studies).where(eq(studies.id, studyId));
  if (!study || study.trialId !== trialId) throw new AppError('NOT_FOUND', 'Study not found.');
}
