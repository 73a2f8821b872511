import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, electronicSignatures, eligibilityWaivers, memberships, studies, trials } from '../../db/schema';
import { callerFor, type DemoUsers } from './support/callers';
import { databaseError } from './support/database-error';
import { DEMO_PASSWORD, seedDemoForTest } from './support/demo';
import { openTestDatabase } from './support/test-database';

const storageRoot = mkdtempSync(path.join(os.tmpdir(), 'segtrial-eligibility-'));
process.env.SEGTRIAL_STORAGE_ROOT = storageRoot;

let handle: Awaited<ReturnType<typeof openTestDatabase>>;
let fixture: { trialId: string; users: DemoUsers };
let siteA = '';

beforeAll(async () => {
  handle = await openTestDatabase();
  fixture = await seedDemoForTest(handle.db);
  // The protocol allows waiving "MRI complete" (say, one sequence repeated later), not consent.
  const [trial] = await handle.db.select().from(trials).where(eq(trials.id, fixture.trialId));
  const design = trial!.design as { eligibility: { id: string }[] };
  await handle.db
    .update(trials)
    .set({ design: { ...design, eligibility: design.eligibility.map((c) => ({ ...c, waivable: c.id === 'mri_complete' })) } })
    .where(eq(trials.id, fixture.trialId));
  siteA = (await as('admin').trials.get({ trialId: fixture.trialId })).sites.find((s) => s.code === 'site-a')!.id;
}, 300_000);
afterAll(() => handle.close());

const as = (who: keyof DemoUsers) => callerFor(handle.db, fixture.users[who]);
let n = 0;
function enroll(eligibility: Record<string, boolean>) {
  n += 1;
  return as('coordinator').participants.enroll({
    trialId: fixture.trialId,
    siteId: siteA,
    studyId: `EL-${n}`,
    baseline: { age: 52, sex: 'M', scannerVendor: 'GE', fieldStrength: '3T' },
    levels: { age_band: '50-64' },
    eligibility: { adult: true, mri_complete: true, consent: true, prior_treatment: false, ...eligibility },
    consentDate: '2026-02-01',
  });
}
const listed = async (id: string) => (await as('coordinator').participants.list({ trialId: fixture.trialId })).find((p) => p.id === id)!;

describe('eligibility in the open', () => {
  it('shows an ineligible patient as such from enrollment, and CONSORT counts them as not meeting eligibility criteria', async () => {
    const before = await as('statistician').trials.consort({ trialId: fixture.trialId });
    const p = await enroll({ consent: false });
    expect(await listed(p.id)).toMatchObject({ status: 'enrolled', eligibilityState: 'ineligible', unmetCriteria: ['consent'], waivable: false, waiver: null, protocolVersion: 1 });
    const after = await as('statistician').trials.consort({ trialId: fixture.trialId });
    expect(after.excluded).toBe(before.excluded + 1);
    expect(after.exclusionReasons.find((r) => r.reason === 'not_eligible')!.n).toBe(before.exclusionReasons.find((r) => r.reason === 'not_eligible')!.n + 1);
    expect(after.awaitingRandomization).toBe(before.awaitingRandomization);
    await expect(as('coordinator').participants.randomize({ trialId: fixture.trialId, participantId: p.id })).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
      message: expect.stringContaining('not eligible'),
    });
  });

  it('refuses a waiver the protocol does not allow, a short reason and a wrong password; nothing is written', async () => {
    const notWaivable = await enroll({ consent: false });
    await expect(
      as('coordinator').participants.waiveEligibility({ trialId: fixture.trialId, participantId: notWaivable.id, reason: 'Consent to follow by phone', password: DEMO_PASSWORD }),
    ).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
      message: expect.stringContaining('does not allow waiving'),
    });
    const waivable = await enroll({ mri_complete: false });
    expect(await listed(waivable.id)).toMatchObject({ eligibilityState: 'ineligible', waivable: true });
    await expect(as('coordinator').participants.waiveEligibility({ trialId: fixture.trialId, participantId: waivable.id, reason: 'short', password: DEMO_PASSWORD })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(
      as('coordinator').participants.waiveEligibility({ trialId: fixture.trialId, participantId: waivable.id, reason: 'T2 repeated next week per protocol', password: 'wrong-password' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN', cause: { code: 'SIGNATURE_REJECTED' } });
    await expect(
      as('clinician').participants.waiveEligibility({ trialId: fixture.trialId, participantId: waivable.id, reason: 'T2 repeated next week per protocol', password: DEMO_PASSWORD }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await handle.db.select().from(eligibilityWaivers).where(eq(eligibilityWaivers.participantId, waivable.id))).toEqual([]);
  });

  it('a signed waiver with a reason makes the patient randomizable; it is signed, audited and never changed', async () => {
    const p = await enroll({ mri_complete: false });
    const waiver = await as('coordinator').participants.waiveEligibility({ trialId: fixture.trialId, participantId: p.id, reason: 'T2 repeated next week per protocol', password: DEMO_PASSWORD });
    expect(waiver.criteria).toEqual(['mri_complete']);
    expect(await listed(p.id)).toMatchObject({ eligibilityState: 'waived', waiver: { criteria: ['mri_complete'], reason: 'T2 repeated next week per protocol', by: 'Cora Coordinator' } });
    await expect(
      as('coordinator').participants.waiveEligibility({ trialId: fixture.trialId, participantId: p.id, reason: 'T2 repeated next week per protocol', password: DEMO_PASSWORD }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    const [row] = await handle.db.select().from(eligibilityWaivers).where(eq(eligibilityWaivers.id, waiver.id));
    const [signature] = await handle.db.select().from(electronicSignatures).where(eq(electronicSignatures.id, row!.signatureId));
    expect(signature).toMatchObject({ signerUsername: 'coordinator', meaning: expect.stringContaining('waive') });
    const [audit] = await handle.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'participant.eligibility_waived'), eq(auditLog.entityId, p.id)));
    expect(audit).toMatchObject({
      actorUserId: fixture.users.coordinator.id,
      before: { unmetCriteria: ['mri_complete'] },
      after: { reason: 'T2 repeated next week per protocol', signatureId: row!.signatureId },
    });
    expect(await databaseError(handle.db.update(eligibilityWaivers).set({ reason: 'changed' }).where(eq(eligibilityWaivers.id, waiver.id)))).toMatch(/append-only/);

    const randomized = await as('coordinator').participants.randomize({ trialId: fixture.trialId, participantId: p.id });
    expect(randomized.randomized).toBe(true);
  });

  it('the right to randomize is separate from seeing allocations: a coordinator without it is refused', async () => {
    const p = await enroll({});
    await handle.db.update(memberships).set({ mayRandomize: false }).where(eq(memberships.userId, fixture.users.coordinator.id));
    try {
      await expect(as('coordinator').participants.randomize({ trialId: fixture.trialId, participantId: p.id })).rejects.toMatchObject({ code: 'FORBIDDEN', cause: { code: 'FORBIDDEN_ROLE' } });
      expect((await listed(p.id)).status).toBe('enrolled'); // the coordinator still sees the list
    } finally {
      await handle.db.update(memberships).set({ mayRandomize: true }).where(eq(memberships.userId, fixture.users.coordinator.id));
    }
    expect((await as('coordinator').participants.randomize({ trialId: fixture.trialId, participantId: p.id })).randomized).toBe(true);
  });

  it("a withdrawn participant's unopened case leaves the clinician's worklist; an opened one stays, marked", async () => {
    // Cases need only a study row here (no volumes are read): two randomized participants at site A.
    const caseOf = async () => {
      const p = await enroll({});
      await as('coordinator').participants.randomize({ trialId: fixture.trialId, participantId: p.id });
      const [study] = await handle.db
        .insert(studies)
        .values({ trialId: fixture.trialId, siteId: siteA, participantId: p.id, grid: { dims: [2, 2, 2], spacing: [1, 1, 1], affine: [] }, registration: {}, deidentification: {} })
        .returning();
      return { caseId: study!.id, participantId: p.id };
    };
    const unopened = await caseOf();
    const opened = await caseOf();
    await as('clinician').review.open({ caseId: opened.caseId });
    for (const c of [unopened, opened])
      await as('coordinator').participants.recordEvent({ trialId: fixture.trialId, participantId: c.participantId, kind: 'withdrawn', reason: 'withdrew_consent', occurredOn: '2026-03-01' });
    const worklist = await as('clinician').review.worklist({});
    expect(worklist.map((r) => r.caseId)).not.toContain(unopened.caseId);
    expect(worklist.find((r) => r.caseId === opened.caseId)).toMatchObject({ participantWithdrawn: true, status: 'in_review' });
  });
});
