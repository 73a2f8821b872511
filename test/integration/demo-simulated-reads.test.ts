import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allocations, auditLog, clinicianDecisions, segmentations, simulatedReads } from '../../db/schema';
import { createContentStore } from '../../imaging/storage/content-store';
import { analysisDatasetTable } from '../../server/domain/analytics/analysis-dataset-table';
import { applySimulatedReads } from '../../server/domain/analytics/apply-simulated-reads';
import { computeSurvivalDecisionCurve } from '../../server/domain/analytics/compute-survival-decision-curve';
import { buildAnalysisDataset } from '../../server/domain/analytics/build-analysis-dataset';
import { seedDemoAnalytics } from '../../server/demo/seed-demo-analytics';
import { seedDemoSimulatedReads } from '../../server/demo/seed-demo-simulated-reads';
import { DEMO_READER_MODEL } from '../../server/demo/simulate-demo-read';
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
    const analytics = seedDemoAnalytics({ db: handle.db, trialId: fixture.trialId, mode: 'full', limit: 40 });
    const written = await seedDemoSimulatedReads({ db: handle.db, trialId: fixture.trialId, after: analytics.background });
    expect(written).toBe(40);
    const reads = await handle.db
      .select({ read: simulatedReads, arm: allocations.arm })
      .from(simulatedReads)
      .innerJoin(allocations, eq(allocations.participantId, simulatedReads.participantId))
      .where(eq(simulatedReads.trialId, fixture.trialId));
    expect(reads).toHaveLength(40);
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
    expect(audit?.after).toMatchObject({ reads: 40, readerModel: { name: DEMO_READER_MODEL.name } });
    expect(await seedDemoSimulatedReads({ db: handle.db, trialId: fixture.trialId, after: Promise.resolve(1) })).toBe(0);

    // In the analysis dataset: filled for participants with no segmentation and no signed read, and labelled.
    const dataset = await buildAnalysisDataset({
      db: handle.db,
      store: createContentStore(mkdtempSync(path.join(os.tmpdir(), 'segtrial-simreads-'))),
      access: { trialId: fixture.trialId, siteIds: null },
    });
    const { rows, readers } = await applySimulatedReads({ db: handle.db, rows: dataset.rows, readers: dataset.readers });
    const simulated = rows.filter((r) => r.readsSimulated);
    expect(simulated).toHaveLength(40);
    expect(simulated.every((r) => r.studyId.startsWith('SIM-') && r.modelRisk !== null && r.clinicianHighGrade !== null && r.readerCount === 1)).toBe(true);
    expect(readers.filter((r) => r.simulated)).toHaveLength(40);
    expect(readers.filter((r) => r.simulated).every((r) => r.reader.endsWith('(SIMULATED)'))).toBe(true);
    // With them the survival decision curves of the demo have a model curve with bootstrap bands in each arm.
    const sdc = computeSurvivalDecisionCurve({ rows, arms: dataset.arms, horizonMonths: 6, thresholds: [0.2, 0.4, 0.6], replicates: 100, seed: 1 });
    for (const arm of sdc.arms) {
      expect(arm.curve.available, `${arm.label}: ${arm.curve.available ? '' : arm.curve.reason}`).toBe(true);
      const model = arm.curve.available ? arm.curve.value.filter((r) => r.variable === 'model_risk') : [];
      expect(model.every((r) => r.lower <= r.netBenefit && r.netBenefit <= r.upper)).toBe(true);
    }
    expect(sdc.difference.every((d) => d.difference !== null && d.lower !== null && d.upper !== null)).toBe(true);
    const table = analysisDatasetTable({ ...dataset, rows, readers });
    const k = table.columns.indexOf('reads_simulated');
    expect(table.rows.filter((r) => r[k] === true)).toHaveLength(40);
  });
});
