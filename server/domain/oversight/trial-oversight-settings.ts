import type { DbOrTx } from '@/db/client';
import { loadTrial } from '../trials/load-trial';
import { parseTrialDesign } from '../trials/trial-design';
import { DEFAULT_OVERSIGHT_SETTINGS, type OversightSettings } from './oversight-settings';

/** The trial design's oversight settings, or the defaults for a design that states none. */
export async function trialOversightSettings(db: DbOrTx, trialId: string): Promise<OversightSettings> {
  const trial = await loadTrial(db, trialId);
  return (trial.design ? parseTrialDesign(trial.design).oversight : undefined) ?? DEFAULT_OVERSIGHT_SETTINGS;
}
