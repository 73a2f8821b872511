import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/client';
import { createContentStore } from '../../imaging/storage/content-store';
import { buildAnalysisDataset } from '../../server/domain/analytics/build-analysis-dataset';
import { seedDemoAnalytics, SIMULATED_NOTE } from '../../server/demo/seed-demo-analytics';
import { callerFor } from './support/callers';
import { seedDemoForTest } from './support/demo';
import { openTestDatabase } from './support/test-database';

let handle: DatabaseHandle;
let fixture: Awaited<ReturnType<typeof seedDemoForTest>>;
let seedSeconds = 0;

beforeAll(async () => {
  process.env.SEGTRIAL_STORAGE_ROOT ??= mkdtempSync(path.join(os.tmpdir(), 'segtrial-analytics-'));
  handle = await openTestDatabase();
  fixture = await seedDemoForTest(handle.db);
  const t0 = performance.now();
  await seedDemoAnalytics({ db: handle.db, trialId: fixture.trialId, mode: 'full' }).background;
  seedSeconds = (performance.now() - t0) / 1000;
});
afterAll(async () => handle?.close());

describe('analytics report on the demo trial with simulated follow-up', () => {
  it('seeds 160 labelled simulated participants once', async () => {
    console.log(`seedDemoAnalytics: ${seedSeconds.toFixed(1)} s`);
    expect(await seedDemoAnalytics({ db: handle.db, trialId: fixture.trialId, mode: 'full' }).background).toBe(0);
    expect(await seedDemoAnalytics({ db: handle.db, trialId: fixture.trialId, mode: 'none' }).background).toBe(0);
    const dataset = await buildAnalysisDataset({ db: handle.db, store: createContentStore(process.env.SEGTRIAL_STORAGE_ROOT!), access: { trialId: fixture.trialId, siteIds: null } });
    expect(dataset.rows).toHaveLength(160);
    expect(dataset.rows.every((r) => r.studyId.startsWith('SIM-') && r.outcomeNote === SIMULATED_NOTE)).toBe(true);
    expect(new Set(dataset.rows.map((r) => r.site))).toEqual(new Set(['site-a', 'site-b', 'site-x']));
    expect(dataset.snapshot.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives the statistician the arm comparison, stratified analysis, forest data and CONSORT', async () => {
    const { report, consort, tables } = await callerFor(handle.db, fixture.users.statistician).analytics.report({ trialId: fixture.trialId });
    expect(consort.randomized).toBe(160);
    const primary = report.armComparisons[0]!;
    expect(primary.outcome).toBe('progression_free_6m');
    if (!primary.result.available) throw new Error(primary.result.reason);
    expect(primary.result.value.armA.n + primary.result.value.armB.n).toBe(160);
    const methods = primary.result.value.crude.estimates.map((e) => e.method);
    expect(methods).toContain('Newcombe hybrid score (method 10)');
    expect(primary.result.value.stratified?.comparison.tests.some((t) => t.method.startsWith('Cochran-Mantel-Haenszel'))).toBe(true);
    const forest = report.forest[0]!;
    if (!forest.result.available) throw new Error(forest.result.reason);
    expect(forest.result.value.map((c) => c.covariate)).toEqual(expect.arrayContaining(['sex', 'site', 'age_band', 'development_site']));
    // No images in the simulated cohort: model and reader analyses say why instead of inventing figures.
    const model = report.decisionCurves[0]!.curves.find((c) => c.variable === 'model_risk')!;
    expect(model.result.available).toBe(false);
    expect(report.decisionCurves[0]!.baseline.available).toBe(true);
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['consort', 'arm_comparison', 'decision_curves', 'forest', 'per_site', 'segmentation_summary']));
  });

  it('refuses clinicians and coordinators; a trial without membership answers NOT_FOUND', async () => {
    for (const user of [fixture.users.clinician, fixture.users.coordinator]) {
      await expect(callerFor(handle.db, user).analytics.report({ trialId: fixture.trialId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
    await expect(callerFor(handle.db, fixture.users.statistician).analytics.report({ trialId: '00000000-0000-4000-8000-000000000000' })).rejects.toBeInstanceOf(TRPCError);
    await expect(callerFor(handle.db, fixture.users.monitor).analytics.report({ trialId: fixture.trialId })).resolves.toBeDefined();
    await expect(callerFor(handle.db, fixture.users.admin).analytics.report({ trialId: fixture.trialId })).resolves.toBeDefined();
  });
});
