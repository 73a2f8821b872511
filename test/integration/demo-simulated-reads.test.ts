import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allocations, auditLog, clinicianDecisions, segmentations, simulatedReads } from '../../db/schema';
import { seedDemoAnalytics } from '../../server/domain/demo/seed-demo-analytics';
import { seedDemoSimulatedReads } from '../../server/domain/demo/seed-demo-simulated-reads';
import { DEMO_READER_MODEL } from '../../server/domain/demo/simulate-demo-read';
import { seedDemoForTest } from './support/demo';
import { openTestDatabase, TEST_DRIVER } from './support/test-database';

let handle: Awaited<ReturnType<typeof openTestDatabase>>;
let fixture: Awaited<ReturnType<typeof seedDemoForTest>>;
beforeAll(async () => {
  handle = await openTestDatabase();
  fixture = await seedDemoForTest(handle.db);
});
afterAll(() => handle.close());

describe(`the demo's SIMULATED reads for its simulated participants (${TEST_DRIVER})`, () => {
  it('writes one labelled simulated read per SIM- participant with a reference, with the AI in the assisted arm only, audited, apart from signed decisions; idempotent', async () => {
    const analytics = seedDemoAnalytics({ db: handle.db, trialId: fixture.trialId, mode: 'full', limit: 24 });
    const written = await seedDemoSimulatedReads({ db: handle.db, trialId: fixture.trialId, after: analytics.background });
    expect(written).toBe(24);
    const reads = await handle.db
      .select({ read: simulatedReads, arm: allocations.arm })
      .from(simulatedReads)
      .innerJoin(allocations, eq(allocations.participantId, simulatedReads.participantId))
      .where(eq(simulatedReads.trialId, fixture.trialId));
    expect(reads).toHaveLength(24);
    expect(new Set(reads.map((r) => r.arm)).size).toBe(2);
    for (const { read, arm } of reads) {
      expect(read.withAi).toBe(arm === 'ai_assisted');
      expect(read.aiAction === null).toBe(!read.withAi);
      expect(read.readerModel).toMatchObject({ name: DEMO_READER_MODEL.name });
      expect(read.reader).toMatch(/^simulated reader \d$/);
      expect(read.suspectedGrade).toBe(read.probabilityHighGrade >= 0.5 ? 'high' : 'low');
    }
    // Never a signed decision or an AI segmentation.
    expect(await handle.db.select().from(clinicianDecisions).where(eq(clinicianDecisions.trialId, fixture.trialId))).toEqual([]);
    expect(await handle.db.select({ id: segmentations.id }).from(segmentations)).toEqual([]);
    const [audit] = await handle.db.select().from(auditLog).where(eq(auditLog.action, 'demo.simulated_reads_seeded'));
    expect(audit?.after).toMatchObject({ reads: 24, readerModel: { name: DEMO_READER_MODEL.name } });
    expect(await seedDemoSimulatedReads({ db: handle.db, trialId: fixture.trialId, after: Promise.resolve() })).toBe(0);
  });
});
