import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, memberships, studies, users } from '../../db/schema';
import { loginUser } from '../../server/domain/auth/login-user';
import { callerFor, sessionUser, type DemoUsers } from './support/callers';
import { seedDemoForTest } from './support/demo';
import { enrollDemoParticipant } from './support/enrollment';
import { openTestDatabase } from './support/test-database';

let handle: Awaited<ReturnType<typeof openTestDatabase>>;
let fixture: { trialId: string; users: DemoUsers };

beforeAll(async () => {
  handle = await openTestDatabase();
  fixture = await seedDemoForTest(handle.db);
}, 300_000);
afterAll(() => handle.close());

const admin = () => callerFor(handle.db, fixture.users.admin);
const request = { via: 'system' as const };

describe('user administration', () => {
  it('creates a site clinician with a one-time link; the link sets the password once; the clinician sees only that site', async () => {
    const trial = await admin().trials.get({ trialId: fixture.trialId });
    const siteB = trial.sites.find((s) => s.code === 'site-b')!;
    const created = await admin().admin.createUser({
      username: 'dr.bee',
      displayName: 'Dr. Bee',
      role: 'clinician',
      memberships: [{ trialId: fixture.trialId, siteId: siteB.id, armAccess: null, mayRandomize: true }],
    });
    expect(created.resetPath).toMatch(/^\/login\/reset\?token=/);
    const token = new URL(created.resetPath!, 'http://x').searchParams.get('token')!;
    const anonymous = callerFor(handle.db, null);
    await expect(anonymous.auth.resetPassword({ token, newPassword: 'short' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(await anonymous.auth.resetPassword({ token, newPassword: 'a-new-long-password' })).toEqual({ username: 'dr.bee' });
    await expect(anonymous.auth.resetPassword({ token, newPassword: 'another-long-password' })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    await expect(loginUser({ db: handle.db, username: 'dr.bee', password: 'a-new-long-password', sessionMaxMinutes: 60, request })).resolves.toMatchObject({ user: { username: 'dr.bee' } });

    // Two cases, one per site: randomized participants with a study row (no volumes are read here).
    const caseAt = async (siteCode: string) => {
      const p = await enrollDemoParticipant(handle.db, fixture, { siteCode });
      await callerFor(handle.db, fixture.users.coordinator).participants.randomize({ trialId: fixture.trialId, participantId: p.id });
      const siteId = trial.sites.find((s) => s.code === siteCode)!.id;
      const [study] = await handle.db.insert(studies).values({ trialId: fixture.trialId, siteId, participantId: p.id, grid: {}, registration: {}, deidentification: {} }).returning();
      return { caseId: study!.id };
    };
    const a = await caseAt('site-a');
    const b = await caseAt('site-b');
    const [row] = await handle.db.select().from(users).where(eq(users.username, 'dr.bee'));
    const worklist = await callerFor(handle.db, sessionUser(row!)).review.worklist({});
    expect(worklist.map((c) => c.caseId)).toContain(b.caseId);
    expect(worklist.map((c) => c.caseId)).not.toContain(a.caseId);
    expect(worklist.every((c) => c.site === 'site-b')).toBe(true);
  });

  it('changes access (blinded monitor, right to randomize), deactivates, unlocks; all audited, and admins only', async () => {
    const [monitorGrant] = await handle.db.select().from(memberships).where(eq(memberships.userId, fixture.users.monitor.id));
    await admin().admin.setMembership({ userId: fixture.users.monitor.id, trialId: fixture.trialId, siteId: monitorGrant!.siteId, armAccess: 'blinded', mayRandomize: true });
    expect((await handle.db.select().from(memberships).where(eq(memberships.id, monitorGrant!.id)))[0]!.armAccess).toBe('blinded');
    expect((await callerFor(handle.db, fixture.users.monitor).participants.list({ trialId: fixture.trialId })).every((p) => p.arm === null)).toBe(true);
    await admin().admin.setMembership({ userId: fixture.users.monitor.id, trialId: fixture.trialId, siteId: monitorGrant!.siteId, armAccess: null, mayRandomize: true });

    await handle.db
      .update(users)
      .set({ lockedUntil: new Date(Date.now() + 3_600_000), failedLoginCount: 0 })
      .where(eq(users.id, fixture.users.statistician.id));
    expect(await admin().admin.updateUser({ userId: fixture.users.statistician.id, unlock: true })).toEqual({ id: fixture.users.statistician.id, changed: true });
    expect((await handle.db.select().from(users).where(eq(users.id, fixture.users.statistician.id)))[0]!.lockedUntil).toBeNull();

    await admin().admin.updateUser({ userId: fixture.users.clinicianB.id, disabled: true });
    await expect(loginUser({ db: handle.db, username: 'clinician-b', password: 'demo-password-for-tests', sessionMaxMinutes: 60, request })).rejects.toBeTruthy();
    await expect(admin().admin.updateUser({ userId: fixture.users.admin.id, disabled: true })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });

    const actions = (
      await handle.db
        .select({ action: auditLog.action })
        .from(auditLog)
        .where(and(eq(auditLog.actorUserId, fixture.users.admin.id)))
    ).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['user.created', 'membership.granted', 'membership.updated', 'user.updated', 'user.password_reset_issued']));
    for (const who of ['coordinator', 'monitor', 'clinician'] as const) {
      await expect(callerFor(handle.db, fixture.users[who]).admin.updateUser({ userId: fixture.users.clinician.id, disabled: true })).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(callerFor(handle.db, fixture.users[who]).admin.issuePasswordReset({ userId: fixture.users.clinician.id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
  });
});
