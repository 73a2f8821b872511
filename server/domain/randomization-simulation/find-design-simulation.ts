import { and, desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { randomizationSimulations, users } from '@/db/schema';
import type { RandomizationParameters } from '../randomization/parameters';
import { hashSimulatedDesign } from './hash-simulated-design';
import { listSiteCodes } from './list-site-codes';
import type { RandomizationSimulation } from './simulate-randomization';

/** A kept design simulation as pages and go-live read it (never anything of an allocation seed). */
export interface StoredDesignSimulation {
  readonly id: string;
  readonly designHash: string;
  readonly settings: { readonly participants: number; readonly replicates: number; readonly sites: readonly string[]; readonly parameters: RandomizationParameters };
  readonly seed: string;
  readonly result: RandomizationSimulation;
  readonly resultSha256: string;
  readonly runBy: string | null;
  readonly createdAt: Date;
}

const columns = {
  id: randomizationSimulations.id,
  designHash: randomizationSimulations.designHash,
  settings: randomizationSimulations.settings,
  seed: randomizationSimulations.seed,
  result: randomizationSimulations.result,
  resultSha256: randomizationSimulations.resultSha256,
  runBy: users.username,
  createdAt: randomizationSimulations.createdAt,
};

/**
 * The trial's latest kept design simulation, or with `params` the latest one run on exactly these
 * randomization parameters and the trial's current sites (the one go-live commits beside the seed);
 * also one by id (`id`). Null when there is none.
 */
export async function findDesignSimulation({ db, trialId, params, id }: { db: DbOrTx; trialId: string; params?: RandomizationParameters; id?: string }): Promise<StoredDesignSimulation | null> {
  const designHash = params ? hashSimulatedDesign({ params, sites: await listSiteCodes(db, trialId) }) : undefined;
  const [row] = await db
    .select(columns)
    .from(randomizationSimulations)
    .leftJoin(users, eq(users.id, randomizationSimulations.runBy))
    .where(and(eq(randomizationSimulations.trialId, trialId), designHash ? eq(randomizationSimulations.designHash, designHash) : undefined, id ? eq(randomizationSimulations.id, id) : undefined))
    .orderBy(desc(randomizationSimulations.createdAt))
    .limit(1);
  return row ? (row as StoredDesignSimulation) : null;
}
