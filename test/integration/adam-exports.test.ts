import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../analysis/parse-csv';
import type { DatabaseHandle } from '../../db/client';
import { auditLog, memberships, sites } from '../../db/schema';
import { createContentStore } from '../../imaging/storage/content-store';
import { loginUser } from '../../server/domain/auth/login-user';
import { SESSION_COOKIE } from '../../server/domain/auth/session-token';
import { buildAnalysisDataset } from '../../server/domain/analytics/build-analysis-dataset';
import { seedDemoAnalytics } from '../../server/demo/seed-demo-analytics';
import { enrollParticipant } from '../../server/domain/enrollment/enroll-participant';
import { levelForAge } from '../../server/domain/enrollment/level-for-age';
import { randomizeParticipant } from '../../server/domain/enrollment/randomize-participant';
import { loadTrial, requireDesign } from '../../server/domain/trials/load-trial';

import { handleAnalyticsExport } from '../../server/http/analytics-export';
import { callerFor } from './support/callers';
import { DEMO_PASSWORD, seedDemoForTest } from './support/demo';
import { openTestDatabase } from './support/test-database';

let handle: DatabaseHandle;
let fixture: Awaited<ReturnType<typeof seedDemoForTest>>;

beforeAll(async () => {
  process.env.SEGTRIAL_STORAGE_ROOT ??= mkdtempSync(path.join(os.tmpdir(), 'segtrial-adam-'));
  handle = await openTestDatabase();
  fixture = await seedDemoForTest(handle.db);
  await seedDemoAnalytics({ db: handle.db, trialId: fixture.trialId, mode: 'full' }).background;
  // Twelve participants randomized today: no follow-up and no 6-month outcome yet (what multiple imputation is for).
  const design = requireDesign(await loadTrial(handle.db, fixture.trialId));
  const ageFactor = design.randomization.factors.find((f) => f.name === 'age_band');
  const trialSites = await handle.db.select().from(sites).where(eq(sites.trialId, fixture.trialId));
  const system = { actor: { userId: null, role: null }, request: { via: 'system' as const } };
  for (let i = 0; i < 12; i++) {
    const age = 35 + 3 * i;
    const level = ageFactor ? levelForAge(ageFactor.levels, age) : null;
    const enrolled = await enrollParticipant({
      db: handle.db,
      access: { trialId: fixture.trialId, siteIds: null },
      input: {
        trialId: fixture.trialId,
        siteId: trialSites[i % trialSites.length]!.id,
        studyId: `NEW-${i + 1}`,
        baseline: { age, sex: i % 2 ? 'M' : 'F', scannerVendor: 'Siemens', fieldStrength: '3T' },
        levels: ageFactor && level ? { [ageFactor.name]: level } : {},
        eligibility: { adult: true, mri_complete: true, consent: true, prior_treatment: false },
        consentDate: new Date().toISOString().slice(0, 10),
      },
      ...system,
    });
    await randomizeParticipant({ db: handle.db, access: { trialId: fixture.trialId, siteIds: null }, participantId: enrolled.id, ...system });
  }
});
afterAll(async () => handle?.close());

const login = async (username: string) => (await loginUser({ db: handle.db, username, password: DEMO_PASSWORD, sessionMaxMinutes: 60, request: { via: 'system' } })).token;
const get = (token: string, q: string) =>
  handleAnalyticsExport({
    db: handle.db,
    trialId: fixture.trialId,
    req: new Request(`http://127.0.0.1/api/analytics/${fixture.trialId}/export?${q}`, { headers: { cookie: `${SESSION_COOKIE}=${token}` } }),
  });
const table = async (res: Response) => {
  const { header, rows } = parseCsv(await res.text());
  return { header, rows, col: (name: string) => rows.map((r) => r[header.indexOf(name)]) };
};

describe('CDISC ADaM exports through the analytics export route', () => {
  it('gives the statistician ADSL (one row per randomized participant), ADTTE (PFS and OS each) and the define dictionary, each audited', async () => {
    const statistician = await login('statistician');
    const dataset = await buildAnalysisDataset({ db: handle.db, store: createContentStore(process.env.SEGTRIAL_STORAGE_ROOT!), access: { trialId: fixture.trialId, siteIds: null } });
    const adslRes = await get(statistician, 'what=adam:adsl&format=csv');
    expect(adslRes.status).toBe(200);
    expect(adslRes.headers.get('content-disposition')).not.toContain(':');
    const adsl = await table(adslRes);
    expect(adsl.header.slice(0, 4)).toEqual(['STUDYID', 'USUBJID', 'SUBJID', 'SITEID']);
    expect(adsl.rows).toHaveLength(dataset.rows.length);
    expect(new Set(adsl.col('SUBJID'))).toEqual(new Set(dataset.rows.map((r) => r.studyId)));
    const armOf = new Map(dataset.rows.map((r) => [r.studyId, r.arm.toUpperCase()]));
    adsl.rows.forEach((r) => expect(r[adsl.header.indexOf('ARMCD')]).toBe(armOf.get(r[adsl.header.indexOf('SUBJID')]!)));
    expect(adsl.col('ITTFL').every((v) => v === 'Y')).toBe(true);
    expect(adsl.col('EOSSTT').filter((v) => v === 'DISCONTINUED').length).toBe(dataset.rows.filter((r) => r.withdrawn || r.lostToFollowUp).length);

    const adtte = await table(await get(statistician, 'what=adam:adtte&format=csv'));
    expect(adtte.rows).toHaveLength(2 * dataset.rows.length);
    const pfs = new Map(dataset.rows.map((r) => [r.studyId, r]));
    let events = 0;
    for (const r of adtte.rows.filter((x) => x[adtte.header.indexOf('PARAMCD')] === 'PFS')) {
      const row = pfs.get(r[adtte.header.indexOf('SUBJID')]!)!;
      expect(Number(r[adtte.header.indexOf('AVAL')])).toBe(row.pfsDays ?? 0);
      expect(Number(r[adtte.header.indexOf('CNSR')])).toBe(row.pfsEvent === 1 ? 0 : 1);
      events += row.pfsEvent === 1 ? 1 : 0;
    }
    expect(events).toBeGreaterThan(10);

    const define = (await (await get(statistician, 'what=adam:define&format=json')).json()) as { columns: string[]; rows: string[][] };
    expect(define.columns).toEqual(['dataset', 'variable', 'label', 'type', 'format', 'derivation']);
    expect(define.rows.filter((r) => r[0] === 'ADSL').map((r) => r[1])).toEqual(adsl.header);
    expect(define.rows.filter((r) => r[0] === 'ADTTE').map((r) => r[1])).toEqual(adtte.header);

    const audits = await handle.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'export.created'), eq(auditLog.trialId, fixture.trialId)));
    expect(audits.map((a) => (a.after as { what: string }).what)).toEqual(expect.arrayContaining(['adam:adsl', 'adam:adtte', 'adam:define']));
  });

  it('refuses clinicians, coordinators and a monitor blinded in the trial (no arm leaves)', async () => {
    for (const username of ['clinician', 'coordinator']) {
      const res = await get(await login(username), 'what=adam:adsl&format=csv');
      expect(res.status).toBe(403);
      expect(await res.text()).not.toContain('ARMCD');
    }
    await handle.db.update(memberships).set({ armAccess: 'blinded' }).where(eq(memberships.userId, fixture.users.monitor.id));
    try {
      const res = await get(await login('monitor'), 'what=adam:adtte&format=csv');
      expect(res.status).toBe(403);
    } finally {
      await handle.db.update(memberships).set({ armAccess: null }).where(eq(memberships.userId, fixture.users.monitor.id));
    }
    expect((await get(await login('monitor'), 'what=adam:adtte&format=csv')).status).toBe(200);
  });
});

describe('multiple imputation in the report and its export', () => {
  it('reports the plan-stated sensitivity analysis beside complete cases and exports it as a table', async () => {
    const { report } = await callerFor(handle.db, fixture.users.statistician).analytics.report({ trialId: fixture.trialId });
    const mi = report.multipleImputation;
    expect(mi.prespecified).toBe(true);
    expect(mi.imputations).toBe(40);
    const pf = mi.outcomes.find((o) => o.outcome === 'progressionFree6m')!;
    if (!pf.available) throw new Error(pf.reason);
    expect(pf.value.imputations).toHaveLength(40);
    expect(pf.value.completeCase.missingA + pf.value.completeCase.missingB).toBeGreaterThan(0);
    expect(pf.value.pooled.between).toBeGreaterThan(0);

    const csv = await table(await get(await login('statistician'), 'what=table:multiple_imputation&format=csv'));
    expect(csv.col('analysis')).toEqual(expect.arrayContaining(['complete_case', 'multiple_imputation']));
    const pooledRow = csv.rows.find((r) => r[csv.header.indexOf('outcome')] === 'progressionFree6m' && r[csv.header.indexOf('analysis')] === 'multiple_imputation')!;
    expect(Number(pooledRow[csv.header.indexOf('risk_difference')])).toBeCloseTo(pf.value.pooled.estimate, 12);
    expect(pooledRow[csv.header.indexOf('analysis_type')]).toBe('sensitivity (pre-specified)');
  });
});
