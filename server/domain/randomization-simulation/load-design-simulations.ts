import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { randomizationSecrets } from '@/db/schema';
import { loadTrial } from '../trials/load-trial';
import { parseTrialDesign } from '../trials/trial-design';
import { findDesignSimulation, type StoredDesignSimulation } from './find-design-simulation';

/**
 * What the design page shows of the randomization design simulation: the latest kept run, whether
 * it was run on the design as saved now (and so would be committed at go-live), and the run the live
 * commitment carries (period 1 of live; null before go-live or when none was run).
 */
export async function loadDesignSimulations({ db, trialId }: { db: DbOrTx; trialId: string }): Promise<{
  latest: StoredDesignSimulation | null;
  latestMatchesDesign: boolean;
  committed: StoredDesignSimulation | null;
}> {
  const trial = await loadTrial(db, trialId);
  const latest = await findDesignSimulation({ db, trialId });
  const design = trial.design ? parseTrialDesign(trial.design) : null;
  const current = design ? await findDesignSimulation({ db, trialId, params: design.randomization }) : null;
  const [live] = await db
    .select({ simulationId: randomizationSecrets.simulationId })
    .from(randomizationSecrets)
    .where(and(eq(randomizationSecrets.trialId, trialId), eq(randomizationSecrets.mode, 'live'), eq(randomizationSecrets.period, 1)));
  const committed = live?.simulationId ? await findDesignSimulation({ db, trialId, id: live.simulationId }) : null;
  return { latest, latestMatchesDesign: latest !== null && current?.id === latest.id, committed };
}
