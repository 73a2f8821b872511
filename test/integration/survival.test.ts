import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kaplanMeier } from '../../analysis/kaplan-meier';
import { logRankTest } from '../../analysis/log-rank-test';
import { auditLog, followUpVisits } from '../../db/schema';
import { createContentStore } from '../../imaging/storage/content-store';
import { buildAnalysisDataset } from '../../server/domain/analytics/build-analysis-dataset';
import { DAYS_PER_MONTH } from '../../server/domain/analytics/compute-survival-analytics';
import { resolveTrialAccess } from '../../server/domain/trials/trial-access';
import { env } from '../../server/env';
import { callerFor, type DemoUsers } from './support/callers';
import { databaseError } from './support/database-error';
import { seedDemoForTest } from './support/demo';
import { enrollDemoParticipant } from './support/enrollment';
import { openTestDatabase, TEST_DRIVER } from './support/test-database';

let handle: Awaited<ReturnType<typeof openTestDatabase>>;
let fixture: { trialId: string; users: DemoUsers };
beforeAll(async () => {
  handle = await openTestDatabase();
  fixture = await seedDemoForTest(handle.db);
});
afterAll(() => handle.close());

const as = (who: keyof DemoUsers) => callerFor(handle.db, fixture.users[who]);
const today = new Date().toISOString().slice(0, 10);
const plus = (days: number) => new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const alive = (days: number) => ({
  visitDate: plus(days),
  vitalStatus: 'alive' as const,
  deathDate: null,
  progression: false,
  progressionDate: null,
  progressionBasis: null,
  note: null,
  supersedesId: null,
});

async function randomized(siteCode = 'site-a') {
  const p = await enrollDemoParticipant(handle.db, fixture, { siteCode });
  await as('coordinator').participants.randomize({ trialId: fixture.trialId, participantId: p.id });
  return p;
}

describe(`time-to-event follow-up (${TEST_DRIVER})`, () => {
  it('records contacts with progression and death, audited; corrections supersede; the database refuses changes', async () => {
    const p = await randomized();
    const first = await as('coordinator').outcomes.recordVisit({ trialId: fixture.trialId, participantId: p.id, ...alive(90) });
    await as('coordinator').outcomes.recordVisit({ trialId: fixture.trialId, participantId: p.id, ...alive(180), progression: true, progressionDate: plus(150), progressionBasis: 'clinical' });
    const fix = await as('coordinator').outcomes.recordVisit({ trialId: fixture.trialId, participantId: p.id, ...alive(91), supersedesId: first.id });
    expect(fix.supersedesId).toBe(first.id);
    const visits = await as('statistician').outcomes.visits({ trialId: fixture.trialId, participantId: p.id });
    expect(visits.map((v) => [v.visitDate, v.current])).toEqual([
      [plus(90), false],
      [plus(180), true],
      [plus(91), true],
    ]);
    const audit = await handle.db.select().from(auditLog).where(eq(auditLog.entityId, p.id));
    expect(audit.filter((a) => a.action === 'follow_up_visit.recorded')).toHaveLength(2);
    expect(audit.filter((a) => a.action === 'follow_up_visit.corrected')).toHaveLength(1);
    expect(await databaseError(handle.db.update(followUpVisits).set({ note: 'x' }).where(eq(followUpVisits.id, first.id)))).toMatch(/never changed: UPDATE refused/);
    expect(await databaseError(handle.db.execute(sql`delete from follow_up_visits where id = ${first.id}`))).toMatch(/never changed: DELETE refused/);
    await as('coordinator').outcomes.recordVisit({ trialId: fixture.trialId, participantId: p.id, ...alive(200), vitalStatus: 'dead', deathDate: plus(195) });
    await expect(as('coordinator').outcomes.recordVisit({ trialId: fixture.trialId, participantId: p.id, ...alive(220) })).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
      message: expect.stringContaining('recorded death'),
    });
  });

  it('refuses inconsistent dates field by field, and unrandomized participants', async () => {
    const p = await randomized();
    const bad = [
      { ...alive(30), progression: true, progressionDate: plus(40), progressionBasis: 'rano' as const },
      { ...alive(30), progression: true, progressionDate: plus(10), progressionBasis: null },
      { ...alive(30), vitalStatus: 'dead' as const },
      { ...alive(-5) },
    ];
    for (const input of bad) await expect(as('coordinator').outcomes.recordVisit({ trialId: fixture.trialId, participantId: p.id, ...input })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const enrolled = await enrollDemoParticipant(handle.db, fixture);
    await expect(as('coordinator').outcomes.recordVisit({ trialId: fixture.trialId, participantId: enrolled.id, ...alive(10) })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
  });

  it('clinicians can neither record nor read follow-up; another site answers NOT_FOUND', async () => {
    const p = await randomized('site-b');
    await expect(as('clinician').outcomes.recordVisit({ trialId: fixture.trialId, participantId: p.id, ...alive(10) })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(as('clinician').outcomes.visits({ trialId: fixture.trialId, participantId: p.id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it("the statistician's report has KM curves, log-rank and Cox per endpoint computed from the recorded follow-up", async () => {
    // A few more participants in both arms, with events and censoring.
    const plan = [
      [60, true],
      [120, false],
      [200, true],
      [45, true],
      [300, false],
      [150, true],
      [90, false],
      [240, true],
    ] as const;
    for (const [days, progressed] of plan) {
      const p = await randomized();
      await as('coordinator').outcomes.recordVisit({
        trialId: fixture.trialId,
        participantId: p.id,
        ...alive(days),
        ...(progressed ? { progression: true, progressionDate: plus(days - 5), progressionBasis: 'rano' as const } : {}),
      });
    }
    const { report } = await as('statistician').analytics.report({ trialId: fixture.trialId });
    const pfs = report.survival.find((s) => s.endpoint === 'pfs');
    if (!pfs) throw new Error('no PFS section');
    expect(pfs.n).toBeGreaterThanOrEqual(plan.length);
    // Recompute from the analysis dataset the report was built from: same data, same functions.
    const access = await resolveTrialAccess({ db: handle.db, user: fixture.users.statistician, trialId: fixture.trialId });
    const { rows } = await buildAnalysisDataset({ db: handle.db, store: createContentStore(env().SEGTRIAL_STORAGE_ROOT), access });
    const used = rows.filter((r) => r.pfsDays !== null);
    const arm0 = pfs.arms[0];
    if (!arm0?.curve.available) throw new Error('arm A curve missing');
    const mine = used.filter((r) => r.arm === arm0.arm);
    const km = kaplanMeier(
      mine.map((r) => (r.pfsDays as number) / DAYS_PER_MONTH),
      mine.map((r) => r.pfsEvent as number),
    );
    expect(arm0.curve.value.steps.map((s) => s.surv)).toEqual(km.steps.map((s) => s.surv));
    if (pfs.logRank.available) {
      const lr = logRankTest(
        used.map((r) => (r.pfsDays as number) / DAYS_PER_MONTH),
        used.map((r) => r.pfsEvent as number),
        used.map((r) => r.arm),
      );
      expect(pfs.logRank.value.chiSquare).toBe(lr.chiSquare);
    } else {
      expect(pfs.logRank.reason).toMatch(/follow-up in/);
    }
    expect(arm0.atRisk[0]).toBe(mine.length);
  });
});
