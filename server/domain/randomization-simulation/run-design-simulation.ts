import { createHash } from 'node:crypto';
import type { Database } from '@/db/client';
import { randomizationSimulations } from '@/db/schema';
import { AppError } from '../../errors';
import { writeAuditEvent, type AuditActor, type RequestMetadata } from '../audit/write-audit-event';
import { canonicalJson } from '../randomization/canonical-json';
import { loadTrial, requireDesign } from '../trials/load-trial';
import { findDesignSimulation, type StoredDesignSimulation } from './find-design-simulation';
import { hashSimulatedDesign } from './hash-simulated-design';
import { listSiteCodes } from './list-site-codes';
import { simulateRandomization } from './simulate-randomization';

/**
 * Runs the randomization design simulation of a trial that is not live yet (its design and sites as
 * saved, at `participants` or the target size) and keeps it with its settings, stream seed and the
 * SHA-256 of its figures, audited; going live then commits the latest run on the committed design
 * beside the live seed. The Monte Carlo runs outside the transaction (seconds at a few hundred
 * participants); the transaction re-reads the design and refuses to keep figures of a design that
 * changed meanwhile. The seed names the simulation's streams per trial, so a run can be repeated.
 * Throws INVALID_STATE for a live or closed trial, one without a design, or a design changed mid-run.
 */
export async function runDesignSimulation({
  db,
  trialId,
  replicates,
  participants,
  actor,
  request,
}: {
  db: Database;
  trialId: string;
  replicates: number;
  participants?: number;
  actor: AuditActor;
  request: RequestMetadata;
}): Promise<StoredDesignSimulation> {
  const trial = await loadTrial(db, trialId);
  const notLive = () => {
    if (trial.status !== 'design' && trial.status !== 'test')
      throw new AppError('INVALID_STATE', `The trial is ${trial.status}: its randomization design is committed; the simulation it went live with is kept with the commitment.`);
  };
  notLive();
  const design = requireDesign(trial);
  const siteCodes = await listSiteCodes(db, trialId);
  const designHash = hashSimulatedDesign({ params: design.randomization, sites: siteCodes });
  const settings = { participants: participants ?? design.targetSampleSize, replicates, sites: siteCodes, parameters: design.randomization };
  const seed = `design-check/${trialId}`;
  const result = simulateRandomization({ params: design.randomization, participants: settings.participants, sites: siteCodes, replicates, seed });
  const resultSha256 = createHash('sha256').update(canonicalJson(result)).digest('hex');
  const id = await db.transaction(async (tx) => {
    const now = await loadTrial(tx, trialId, { forUpdate: true });
    const nowHash = now.design ? hashSimulatedDesign({ params: requireDesign(now).randomization, sites: await listSiteCodes(tx, trialId) }) : null;
    if (now.status !== trial.status || nowHash !== designHash) throw new AppError('INVALID_STATE', 'The design or the trial status changed while the simulation ran: run it again.');
    const [row] = await tx.insert(randomizationSimulations).values({ trialId, designHash, settings, seed, result, resultSha256, runBy: actor.userId }).returning({ id: randomizationSimulations.id });
    await writeAuditEvent({
      tx,
      actor,
      action: 'randomization.design_simulated',
      entityType: 'randomization_simulation',
      entityId: row?.id ?? null,
      trialId,
      after: { designHash, participants: settings.participants, replicates, sites: siteCodes, seed, resultSha256 },
      request,
    });
    return row?.id as string;
  });
  const stored = await findDesignSimulation({ db, trialId, id });
  if (!stored) throw new Error(`design simulation ${id} not found after insert`);
  return stored;
}
