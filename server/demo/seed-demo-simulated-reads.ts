import { and, eq, isNull, like } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { allocations, participants, simulatedReads } from '../../db/schema';
import { writeAuditEvent } from '../domain/audit/write-audit-event';
import { listCurrentOutcomes } from '../domain/outcomes/list-current-outcomes';
import { loadTrial, requireDesign } from '../domain/trials/load-trial';
import { SIMULATED_PREFIX } from './seed-demo-analytics';
import { DEMO_READER_MODEL, simulateDemoRead } from './simulate-demo-read';

/**
 * SIMULATED model scores and reader decisions for the demo's simulated participants (SIM-…), so that
 * the decision curves, model performance, human–AI interaction and survival decision curves of the
 * demo have something to show on first start: once `after` (the simulated participants' background
 * seeding, resolving to how many it created; 0 skips) has settled, each SIM- participant with a histopathology reference and no simulated read
 * yet gets one from DEMO_READER_MODEL (with the AI in the first, AI-assisted arm; without it in the
 * control arm), written to simulated_reads (never to clinician_decisions or segmentations) in one
 * transaction with its audit row. Idempotent; never throws (logs), like the demo's other background
 * work. Returns how many reads were written.
 */
export async function seedDemoSimulatedReads({ db, trialId, after }: { db: Database; trialId: string; after: Promise<number> }): Promise<number> {
  try {
    // Nothing new (the demo without simulated participants, as under NODE_ENV=test): nothing to read.
    if ((await after) === 0) return 0;
    const design = requireDesign(await loadTrial(db, trialId));
    const assisted = design.randomization.arms[0]?.key;
    const pending = await db
      .select({ id: participants.id, studyId: participants.studyId, arm: allocations.arm })
      .from(participants)
      .innerJoin(allocations, eq(allocations.participantId, participants.id))
      .leftJoin(simulatedReads, eq(simulatedReads.participantId, participants.id))
      .where(and(eq(participants.trialId, trialId), like(participants.studyId, `${SIMULATED_PREFIX}%`), isNull(simulatedReads.id)));
    if (pending.length === 0) return 0;
    const reference = new Map((await listCurrentOutcomes({ db, access: { trialId, siteIds: null } })).map((o) => [o.outcome.participantId, o.outcome.referenceHighGrade]));
    const rows = pending.flatMap((p) => {
      const highGrade = reference.get(p.id);
      if (highGrade === undefined || highGrade === null) return [];
      const read = simulateDemoRead({ subject: p.studyId, highGrade, withAi: p.arm === assisted });
      return [{ trialId, participantId: p.id, ...read, readerModel: DEMO_READER_MODEL }];
    });
    if (rows.length === 0) return 0;
    await db.transaction(async (tx) => {
      await tx.insert(simulatedReads).values(rows);
      await writeAuditEvent({
        tx,
        actor: { userId: null, role: null },
        action: 'demo.simulated_reads_seeded',
        entityType: 'trial',
        entityId: trialId,
        trialId,
        after: { reads: rows.length, withAi: rows.filter((r) => r.withAi).length, readerModel: DEMO_READER_MODEL },
        request: { via: 'system' },
      });
    });
    console.log(`[demo] ${rows.length} SIMULATED model scores and reader decisions (${DEMO_READER_MODEL.name}) for the simulated participants`);
    return rows.length;
  } catch (error) {
    console.error('[demo] simulated reads stopped:', error);
    return 0;
  }
}
