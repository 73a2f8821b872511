import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allocations } from '../../db/schema';
import { verifyAuditChain } from '../../server/domain/audit/verify-audit-chain';
import { replayTrialAllocations } from '../../server/domain/enrollment/replay-trial-allocations';
import { callerFor, type DemoUsers } from './support/callers';
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

describe(`enrollment and randomization (${TEST_DRIVER})`, () => {
  it('the demo trial is live with a published commitment and a frozen design', async () => {
    const design = await as('coordinator').trials.design({ trialId: fixture.trialId });
    expect(design.status).toBe('live');
    expect(design.commitments.find((c) => c.mode === 'live')?.commitmentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(design)).not.toMatch(/seed/i);
    await expect(as('coordinator').trials.updateDesign({ trialId: fixture.trialId, design: { randomization: { method: 'minimization' }, targetSampleSize: 10 } })).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
      message: expect.stringContaining('frozen'),
    });
  });

  it('randomizes once: a blinded coordinator sees "randomized" without the arm, a repeat returns the original', async () => {
    const p = await enrollDemoParticipant(handle.db, fixture);
    const first = await as('coordinator').participants.randomize({ trialId: fixture.trialId, participantId: p.id });
    expect(first).toMatchObject({ randomized: true, created: true, arm: null });
    const again = await as('coordinator').participants.randomize({ trialId: fixture.trialId, participantId: p.id });
    expect(again).toMatchObject({ created: false, arm: null });
    expect(again.allocatedAt).toEqual(first.allocatedAt);
    const forStatistician = (await as('statistician').participants.list({ trialId: fixture.trialId })).find((r) => r.id === p.id);
    expect(['ai_assisted', 'control']).toContain(forStatistician?.arm);
    const forCoordinator = (await as('coordinator').participants.list({ trialId: fixture.trialId })).find((r) => r.id === p.id);
    expect(forCoordinator).toMatchObject({ randomized: true, arm: null });
  });

  it('50 racing requests for one patient produce exactly one allocation', async () => {
    const p = await enrollDemoParticipant(handle.db, fixture, { siteCode: 'site-b' });
    const results = await Promise.all(Array.from({ length: 50 }, () => as('coordinator').participants.randomize({ trialId: fixture.trialId, participantId: p.id })));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const rows = await handle.db
      .select()
      .from(allocations)
      .where(sql`participant_id = ${p.id}`);
    expect(rows).toHaveLength(1);
  });

  it('refuses an ineligible patient and a missing stratification factor with clear messages', async () => {
    const ineligible = await enrollDemoParticipant(handle.db, fixture, { eligible: false });
    await expect(as('coordinator').participants.randomize({ trialId: fixture.trialId, participantId: ineligible.id })).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
      message: expect.stringContaining('inclusion criterion "Written informed consent obtained" not met'),
    });
    const noFactor = await enrollDemoParticipant(handle.db, fixture, { levels: {} });
    await expect(as('coordinator').participants.randomize({ trialId: fixture.trialId, participantId: noFactor.id })).rejects.toMatchObject({
      message: expect.stringContaining("Stratification factor 'age_band' is missing"),
    });
    await expect(enrollDemoParticipant(handle.db, fixture, { levels: { age_band: '99+' } })).rejects.toMatchObject({ message: expect.stringContaining("Factor 'age_band' has no level '99+'") });
  });

  it("answers NOT_FOUND for another site's participant and refuses a name as study ID", async () => {
    const atX = await enrollDemoParticipant(handle.db, { ...fixture, users: { ...fixture.users, coordinator: fixture.users.admin } }, { siteCode: 'site-x' }).catch((e: unknown) => e);
    // The admin is not a coordinator: enrollment is the coordinator's job.
    expect(atX).toMatchObject({ code: 'FORBIDDEN' });
    const trial = await as('admin').trials.get({ trialId: fixture.trialId });
    const siteX = trial.sites.find((s) => s.code === 'site-x')!;
    await expect(
      as('coordinator').participants.enroll({
        trialId: fixture.trialId,
        siteId: siteX.id,
        studyId: 'X-0001',
        baseline: { age: 50, sex: 'M', scannerVendor: 'GE', fieldStrength: '1.5T' },
        levels: { age_band: '50-64' },
        eligibility: { adult: true, mri_complete: true, consent: true, prior_treatment: false },
        consentDate: '2026-01-01',
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      as('coordinator').participants.enroll({
        trialId: fixture.trialId,
        siteId: trial.sites[0]!.id,
        studyId: 'John Smith',
        baseline: { age: 50, sex: 'M', scannerVendor: 'GE', fieldStrength: '1.5T' },
        levels: { age_band: '50-64' },
        eligibility: {},
        consentDate: '2026-01-01',
      }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('live allocations are irreversible in the database itself', async () => {
    const error = await handle.db.execute(sql`update allocations set arm = 'control'`).then(
      () => 'no error',
      (e: { cause?: { message?: string } }) => e.cause?.message ?? String(e),
    );
    expect(error).toMatch(/allocations are irreversible: UPDATE/);
  });

  it('records withdrawals with reasons and counts them in CONSORT, listing reasons with n = 0', async () => {
    const p = await enrollDemoParticipant(handle.db, fixture, { ageBand: '>=65' });
    await as('coordinator').participants.randomize({ trialId: fixture.trialId, participantId: p.id });
    await as('coordinator').participants.recordEvent({ trialId: fixture.trialId, participantId: p.id, kind: 'withdrawn', reason: 'withdrew_consent', occurredOn: '2026-02-01' });
    await expect(as('coordinator').participants.recordEvent({ trialId: fixture.trialId, participantId: p.id, kind: 'withdrawn', reason: 'bored', occurredOn: '2026-02-01' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    const excluded = await enrollDemoParticipant(handle.db, fixture);
    await as('coordinator').participants.exclude({ trialId: fixture.trialId, participantId: excluded.id, reason: 'declined' });

    const consort = await as('statistician').trials.consort({ trialId: fixture.trialId });
    // The ineligible patient enrolled above counts as not meeting eligibility criteria from enrollment on.
    expect(consort.excluded).toBe(2);
    expect(consort.exclusionReasons).toContainEqual({ reason: 'not_eligible', label: 'Not meeting eligibility criteria', n: 1 });
    expect(consort.exclusionReasons).toContainEqual({ reason: 'other', label: 'Other reasons', n: 0 });
    expect(consort.exclusionReasons).toContainEqual({ reason: 'declined', label: 'Declined to participate', n: 1 });
    expect(consort.arms.map((a) => a.arm).sort()).toEqual(['ai_assisted', 'control']);
    expect(consort.arms.reduce((s, a) => s + a.allocated, 0)).toBe(consort.randomized);
    expect(consort.arms.reduce((s, a) => s + a.withdrawn, 0)).toBe(1);
    const blinded = await as('coordinator').trials.consort({ trialId: fixture.trialId });
    expect(blinded.arms.map((a) => a.arm)).toEqual(['__blinded__']);
    const balance = await as('coordinator').trials.balance({ trialId: fixture.trialId });
    expect(balance.armsVisible).toBe(false);
    expect(balance.bySite.every((r) => r.byArm === null)).toBe(true);
  });

  it('emergency unblinding reveals the arm to the coordinator, is audited and shown to monitors', async () => {
    const p = await enrollDemoParticipant(handle.db, fixture);
    await as('coordinator').participants.randomize({ trialId: fixture.trialId, participantId: p.id });
    await expect(as('coordinator').participants.unblind({ trialId: fixture.trialId, participantId: p.id, reason: 'short' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const { arm } = await as('coordinator').participants.unblind({ trialId: fixture.trialId, participantId: p.id, reason: 'Severe adverse event: treating team needs the arm' });
    expect(['ai_assisted', 'control']).toContain(arm);
    const listed = (await as('coordinator').participants.list({ trialId: fixture.trialId })).find((r) => r.id === p.id);
    expect(listed?.arm).toBe(arm);
    const seen = await as('monitor').trials.unblindings({ trialId: fixture.trialId });
    expect(seen[0]).toMatchObject({ participantId: p.id, by: 'Cora Coordinator' });
    await expect(as('clinician').trials.unblindings({ trialId: fixture.trialId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('replays every allocation from the seed, and the commitment matches', async () => {
    const report = await replayTrialAllocations({ db: handle.db, trialId: fixture.trialId });
    expect(report.allocationsReplayed).toBeGreaterThan(3);
    expect(report.mismatches).toEqual([]);
    expect(report.commitmentMatches).toBe(true);
    expect(report.seedHex).toBeNull(); // live trial: the seed stays secret
    expect(await verifyAuditChain({ db: handle.db })).toMatchObject({ ok: true });
  });

  it('creating a trial: a taken slug is a typed CONFLICT, also when creates race; a repeated site code is a BAD_REQUEST', async () => {
    const slug = `dup-${Date.now()}`;
    const create = () => as('coordinator').trials.create({ slug, name: 'Duplicate slug', sites: [{ code: 'one', name: 'Site One', isExternal: false }] });
    const answers = await Promise.allSettled(Array.from({ length: 8 }, create));
    expect(answers.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    for (const answer of answers.filter((a) => a.status === 'rejected')) {
      expect(answer.reason).toMatchObject({ code: 'CONFLICT', cause: { code: 'ALREADY_EXISTS' } });
    }
    await expect(create()).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining(slug) });
    await expect(
      as('coordinator').trials.create({
        slug: `${slug}-b`,
        name: 'Repeated site',
        sites: [
          { code: 'one', name: 'Site One', isExternal: false },
          { code: 'one', name: 'Site Two', isExternal: false },
        ],
      }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining("'one'") });
  });

  it('test mode, then going live wipes the test allocations and commits a new seed', async () => {
    const { id: trialId } = await as('coordinator').trials.create({ slug: `t-${Date.now()}`, name: 'Test-mode trial', sites: [{ code: 'one', name: 'Site One', isExternal: false }] });
    await as('coordinator').trials.updateDesign({
      trialId,
      design: { randomization: { method: 'minimization', factors: [{ name: 'sex', levels: ['F', 'M'] }] }, targetSampleSize: 20, coordinatorsSeeArm: true },
    });
    const test = await as('coordinator').trials.startTestMode({ trialId });
    const trial = await as('coordinator').trials.get({ trialId });
    const enrolled = await as('coordinator').participants.enroll({
      trialId,
      siteId: trial.sites[0]!.id,
      studyId: 'T-0001',
      baseline: { age: 30, sex: 'F', scannerVendor: 'GE', fieldStrength: '3T' },
      levels: { sex: 'F' },
      eligibility: {},
      consentDate: '2026-01-01',
    });
    const allocation = await as('coordinator').participants.randomize({ trialId, participantId: enrolled.id });
    expect(['ai_assisted', 'control']).toContain(allocation.arm); // open-label for coordinators
    const live = await as('coordinator').trials.goLive({ trialId });
    expect(live.testParticipantsWiped).toBe(1);
    expect(live.commitmentHash).not.toBe(test.commitmentHash);
    expect(await as('coordinator').participants.list({ trialId })).toEqual([]);
  });
});
