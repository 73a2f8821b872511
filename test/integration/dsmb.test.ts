import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analysisPlans, auditLog, memberships } from '../../db/schema';
import { EXAMPLE_ANALYSIS_PLAN } from '../../server/domain/analysis-plan/analysis-plan-content';
import { seedDemoAnalytics } from '../../server/demo/seed-demo-analytics';
import { callerFor, type DemoUsers } from './support/callers';
import { DEMO_PASSWORD, seedDemoForTest } from './support/demo';
import { openTestDatabase, TEST_DRIVER } from './support/test-database';

let handle: Awaited<ReturnType<typeof openTestDatabase>>;
let fixture: { trialId: string; users: DemoUsers };
beforeAll(async () => {
  process.env.SEGTRIAL_STORAGE_ROOT ??= mkdtempSync(path.join(os.tmpdir(), 'segtrial-dsmb-'));
  handle = await openTestDatabase();
  fixture = await seedDemoForTest(handle.db);
  await seedDemoAnalytics({ db: handle.db, trialId: fixture.trialId, mode: 'full', limit: 40 }).background;
});
afterAll(async () => handle?.close());

const as = (who: keyof DemoUsers) => callerFor(handle.db, fixture.users[who]);

describe(`DSMB reports and the locked analysis plan (${TEST_DRIVER})`, () => {
  it('the demo opens with version 1 of the analysis plan, signed by the statistician', async () => {
    const { versions } = await as('monitor').analysisPlan.versions({ trialId: fixture.trialId });
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({ version: 1, signerName: 'Stan Statistician', amendmentReason: null });
    expect(versions[0]!.contentSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives the committee the closed report by arm, names the plan, and audits the view', async () => {
    const { report } = await as('dsmb').dsmb.closedReport({ trialId: fixture.trialId });
    expect(report.plan.version).toBe(1);
    expect(report.arms.map((a) => a.randomized).reduce((s, n) => s + n, 0)).toBeGreaterThanOrEqual(40);
    const pfs = report.survival.find((s) => s.endpoint === 'pfs')!;
    expect(pfs.arms).toHaveLength(2);
    expect(pfs.logRankStratified.available).toBe(true);
    expect(report.interim.design.looks[0]!.futilityValue).toBeCloseTo(-0.2162148, 5);
    expect('z' in report.interim.current).toBe(true);
    const [viewed] = await handle.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'dsmb.closed_report_viewed'), eq(auditLog.actorUserId, fixture.users.dsmb.id)));
    expect(viewed).toBeDefined();
  });

  it('keeps the trial statistician blinded (closed report refused) unless their membership is unblinded', async () => {
    await expect(as('statistician').dsmb.closedReport({ trialId: fixture.trialId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(as('monitor').dsmb.closedReport({ trialId: fixture.trialId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(as('clinician').dsmb.closedReport({ trialId: fixture.trialId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await handle.db.update(memberships).set({ armAccess: 'unblinded' }).where(eq(memberships.userId, fixture.users.statistician.id));
    try {
      const { report } = await as('statistician').dsmb.closedReport({ trialId: fixture.trialId });
      expect(report.arms).toHaveLength(2);
    } finally {
      await handle.db.update(memberships).set({ armAccess: null }).where(eq(memberships.userId, fixture.users.statistician.id));
    }
  });

  it('the open report is pooled: no arm key or label anywhere in it', async () => {
    const open = await as('statistician').dsmb.openReport({ trialId: fixture.trialId });
    const { report: closed } = await as('dsmb').dsmb.closedReport({ trialId: fixture.trialId });
    const text = JSON.stringify(open);
    expect(text).not.toContain('"arm');
    for (const arm of closed.arms) expect(text).not.toContain(arm.arm);
    expect(open.randomized).toBeGreaterThanOrEqual(40);
    expect(open.boundaries).toHaveLength(3);
    expect(open.information.maxEvents).toBeGreaterThan(0);
  });

  it('records a signed recommendation bound to the report read, and refuses one for a stale report', async () => {
    const { report } = await as('dsmb').dsmb.closedReport({ trialId: fixture.trialId });
    const base = { trialId: fixture.trialId, look: 1, recommendation: 'continue' as const, rationale: 'No safety concern; continue as planned.' };
    await expect(as('dsmb').dsmb.recordRecommendation({ ...base, reportSha256: 'f'.repeat(64), password: DEMO_PASSWORD })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    await expect(as('dsmb').dsmb.recordRecommendation({ ...base, reportSha256: report.reportSha256, password: 'wrong password' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await as('dsmb').dsmb.recordRecommendation({ ...base, reportSha256: report.reportSha256, password: DEMO_PASSWORD });
    const list = await as('monitor').dsmb.recommendations({ trialId: fixture.trialId });
    expect(list[0]).toMatchObject({ look: 1, recommendation: 'continue', analysisPlanVersion: 1, signerName: 'Dora DSMB', reportSha256: report.reportSha256 });
  });

  it('amends the plan only with a reason, as a new signed version; the database refuses changes to a version', async () => {
    const stat = as('statistician');
    const amended = { ...EXAMPLE_ANALYSIS_PLAN, decisionCurveThresholds: [0.1, 0.2, 0.3] };
    await expect(stat.analysisPlan.lock({ trialId: fixture.trialId, content: EXAMPLE_ANALYSIS_PLAN, amendmentReason: 'Same content again.', password: DEMO_PASSWORD })).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
    });
    await expect(stat.analysisPlan.lock({ trialId: fixture.trialId, content: amended, amendmentReason: null, password: DEMO_PASSWORD })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(
      stat.analysisPlan.lock({ trialId: fixture.trialId, content: { ...amended, interim: { ...amended.interim, alpha: 2 } }, amendmentReason: 'x'.repeat(20), password: DEMO_PASSWORD }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    const v2 = await stat.analysisPlan.lock({ trialId: fixture.trialId, content: amended, amendmentReason: 'Thresholds narrowed to the clinically relevant range.', password: DEMO_PASSWORD });
    expect(v2.version).toBe(2);
    const { report } = await as('dsmb').dsmb.closedReport({ trialId: fixture.trialId });
    expect(report.plan.version).toBe(2);
    const refused = await handle.db.execute(sql`update analysis_plans set amendment_reason = 'tampered' where version = 1`).then(
      () => 'changed',
      (error: unknown) => String((error as { cause?: unknown }).cause ?? error),
    );
    expect(refused).toMatch(/append-only/);
    expect((await handle.db.select().from(analysisPlans)).length).toBe(2);
  });

  it('fills the CONSORT-AI and SPIRIT-AI items from the records, with sources, and exports them as CSV', async () => {
    const lists = await as('statistician').analytics.checklists({ trialId: fixture.trialId });
    expect(lists.consortAi).toHaveLength(14);
    expect(lists.consortAi.find((i) => i.item === '4a (i)')?.answer).toContain('Age 18 years or older');
    expect(lists.consortAi.find((i) => i.item === '25')?.answer).toBeNull();
    expect(lists.csv.spiritAi.split('\r\n')[0]).toBe('item,section,text,answer,source,status');
    await expect(as('clinician').analytics.checklists({ trialId: fixture.trialId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('simulates the demo design at its target size through the allocation engine', async () => {
    const sim = await as('coordinator').randomizationDesign.simulate({ trialId: fixture.trialId, replicates: 20 });
    expect(sim).toMatchObject({ method: 'permuted_blocks', participants: 240, replicates: 20, sites: 3 });
    // Blocks of 2, 4 or 6 within each stratum: a stratum is never more than 3 from balance.
    expect(sim.imbalance.largestPerStratum.max).toBeLessThanOrEqual(3);
    expect(sim.correctGuessProbability.estimate).toBeGreaterThan(0.6);
  });

  it('refuses to compare arms in a trial whose analysis plan is not locked', async () => {
    const admin = as('admin');
    const created = await admin.trials.create({ slug: 'no-sap', name: 'A trial without an analysis plan', sites: [{ code: 'one', name: 'One' }] });
    await expect(admin.analytics.report({ trialId: created.id })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED', message: expect.stringContaining('analysis plan') });
  });
});
