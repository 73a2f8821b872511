import { eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { trials } from '@/db/schema';
import { AppError } from '../../errors';
import { parseTrialDesign, type TrialDesign } from './trial-design';

export type TrialRow = typeof trials.$inferSelect;

/** Loads a trial (optionally locking its row) or throws NOT_FOUND. */
export async function loadTrial(db: DbOrTx, trialId: string, { forUpdate = false } = {}): Promise<TrialRow> {
  const query = db.select().from(trials).where(eq(trials.id, trialId)).limit(1);
  const [trial] = forUpdate ? await query.for('update') : await query;
  if (!trial) throw new AppError('NOT_FOUND', 'Trial not found.');
  return trial;
}

/** The trial's validated design, or INVALID_STATE when none has been saved yet. */
export function requireDesign(trial: TrialRow): TrialDesign {
  if (!trial.design) throw new AppError('INVALID_STATE', `Trial '${trial.name}' has no design yet: save its arms, randomization and eligibility first.`);
  return parseTrialDesign(trial.design);
}

/** The enrollment mode a trial is in: participants can be enrolled in test and live trials only. */
export function requireEnrollingMode(trial: TrialRow): 'test' | 'live' {
  if (trial.status === 'test' || trial.status === 'live') return trial.status;
  throw new AppError('INVALID_STATE', `Trial '${trial.name}' is in ${trial.status}: start test mode or go live before enrolling.`);
}
