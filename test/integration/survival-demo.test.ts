import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoAnalytics, SIMULATED_NOTE } from '../../server/demo/seed-demo-analytics';
import { callerFor, type DemoUsers } from './support/callers';
import { seedDemoForTest } from './support/demo';
import { openTestDatabase, TEST_DRIVER } from './support/test-database';

let handle: Awaited<ReturnType<typeof openTestDatabase>>;
let fixture: { trialId: string; users: DemoUsers };
beforeAll(async () => {
  process.env.SEGTRIAL_STORAGE_ROOT ??= mkdtempSync(path.join(os.tmpdir(), 'segtrial-survival-demo-'));
  handle = await openTestDatabase();
  fixture = await seedDemoForTest(handle.db);
  await seedDemoAnalytics({ db: handle.db, trialId: fixture.trialId, mode: 'full', limit: 60 }).background;
});
afterAll(async () => handle?.close());

describe(`the demo's simulated follow-up fills the time-to-event report (${TEST_DRIVER})`, () => {
  it('every simulated participant has labelled follow-up; KM, log-rank, Cox and the interim look are computed', async () => {
    const { report } = await callerFor(handle.db, fixture.users.statistician).analytics.report({ trialId: fixture.trialId });
    const pfs = report.survival.find((s) => s.endpoint === 'pfs');
    const os = report.survival.find((s) => s.endpoint === 'os');
    if (!pfs || !os) throw new Error('survival sections missing');
    expect(pfs.n).toBe(60);
    expect(pfs.events).toBeGreaterThan(10);
    expect(os.events).toBeLessThan(pfs.events);
    expect(pfs.arms.every((a) => a.curve.available && a.n > 0)).toBe(true);
    expect(pfs.logRankStratified.available).toBe(true);
    expect(pfs.coxStratified.available).toBe(true);
    expect('reason' in report.interim.current).toBe(false);
    const anyone = report.survival[0]?.arms[0];
    expect(anyone?.atRisk[0]).toBe(anyone?.n);
    const visits = await callerFor(handle.db, fixture.users.monitor).outcomes.list({ trialId: fixture.trialId });
    expect(visits.every((v) => v.note === SIMULATED_NOTE)).toBe(true);
  });
});
