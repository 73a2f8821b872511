import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, clinicianDecisions } from '../../db/schema';
import { createContentStore } from '../../imaging/storage/content-store';
import { callerFor, type DemoUsers } from './support/callers';
import { DEMO_PASSWORD, seedDemoForTest } from './support/demo';
import { createReviewCase, registerTestModel, type ReviewCaseFixture } from './support/review-cases';
import { openTestDatabase } from './support/test-database';

const storageRoot = mkdtempSync(path.join(os.tmpdir(), 'segtrial-conduct-'));
process.env.SEGTRIAL_STORAGE_ROOT = storageRoot;
const store = createContentStore(storageRoot);

let handle: Awaited<ReturnType<typeof openTestDatabase>>;
let fixture: { trialId: string; users: DemoUsers };
let control: ReviewCaseFixture;
let assisted: ReviewCaseFixture;

beforeAll(async () => {
  handle = await openTestDatabase();
  fixture = await seedDemoForTest(handle.db);
  await registerTestModel(handle.db, store);
  control = await createReviewCase(handle.db, fixture, { store, arm: 'control' });
  assisted = await createReviewCase(handle.db, fixture, { store, arm: 'ai_assisted' });
}, 900_000);
afterAll(() => handle.close());

const as = (who: keyof DemoUsers) => callerFor(handle.db, fixture.users[who]);

describe('honest reader entries: nothing pre-filled, declared edit checks enforced on the server', () => {
  it('the case view carries the edit checks the form shows beside each field', async () => {
    const view = await as('clinician').review.case({ caseId: control.caseId });
    expect(view.editChecks).toEqual(
      expect.arrayContaining([
        { kind: 'required_if', field: 'probabilityHighGrade', when: { field: 'tumourPresent', equals: true } },
        { kind: 'only_if', field: 'probabilityHighGrade', when: { field: 'tumourPresent', equals: true } },
      ]),
    );
  });

  it('refuses a decision without its required values: no default stands in for them', async () => {
    await as('clinician').review.open({ caseId: control.caseId });
    const sign = (decision: Record<string, unknown>) => as('clinician').review.sign({ caseId: control.caseId, password: DEMO_PASSWORD, decision: decision as never });
    // The API has no defaults: a missing probability or confidence is a schema error.
    await expect(sign({ tumourPresent: true, suspectedGrade: 'high', managementPlan: 'resection', confidence: 3, note: null })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(sign({ tumourPresent: true, suspectedGrade: 'high', managementPlan: 'resection', probabilityHighGrade: 60, note: null })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    // Required-if: a tumour without a probability of high grade.
    await expect(sign({ tumourPresent: true, suspectedGrade: 'high', managementPlan: 'resection', probabilityHighGrade: null, confidence: 3, note: null })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      cause: { code: 'INVALID_INPUT', details: { findings: [{ field: 'probabilityHighGrade', message: 'Probability of a high-grade tumour: required when a tumour is present' }] } },
    });
    // Consistency: no probability of high grade without a tumour.
    await expect(sign({ tumourPresent: false, suspectedGrade: null, managementPlan: 'surveillance', probabilityHighGrade: 40, confidence: 3, note: null })).rejects.toMatchObject({
      cause: { code: 'INVALID_INPUT', details: { findings: [{ field: 'probabilityHighGrade', message: expect.stringContaining('only when a tumour is present') }] } },
    });
    expect(await handle.db.select().from(clinicianDecisions).where(eq(clinicianDecisions.studyId, control.caseId))).toEqual([]);
  });

  it('signs a decision without a tumour with no probability, and analysis reads it as 0 (derived in one place)', async () => {
    const signed = await as('clinician').review.sign({
      caseId: control.caseId,
      password: DEMO_PASSWORD,
      decision: { tumourPresent: false, suspectedGrade: null, managementPlan: 'surveillance', probabilityHighGrade: null, confidence: 4, note: null },
    });
    const [row] = await handle.db.select().from(clinicianDecisions).where(eq(clinicianDecisions.id, signed.decisionId));
    expect(row).toMatchObject({ tumourPresent: false, probabilityHighGrade: null, confidence: 4 });
    const { statedProbabilityHighGrade } = await import('../../server/domain/review/stated-probability');
    expect(statedProbabilityHighGrade(row!)).toBe(0);
  });

  it('a design declares its own checks: a narrower range is enforced on sign and on correction', async () => {
    const design = (await as('admin').trials.design({ trialId: fixture.trialId })).design!;
    const { trials } = await import('../../db/schema');
    await handle.db
      .update(trials)
      .set({ design: { ...design, editChecks: [...design.editChecks, { kind: 'range', field: 'confidence', min: 2, max: 5 }] } })
      .where(eq(trials.id, fixture.trialId));
    try {
      const [current] = (await as('clinician').review.case({ caseId: control.caseId })).decisions;
      await expect(
        as('clinician').review.correct({
          caseId: control.caseId,
          supersedesId: current!.id,
          reason: 'Re-read the FLAIR',
          password: DEMO_PASSWORD,
          decision: { tumourPresent: false, suspectedGrade: null, managementPlan: 'surveillance', probabilityHighGrade: null, confidence: 1, note: null },
        }),
      ).rejects.toMatchObject({ cause: { code: 'INVALID_INPUT', details: { findings: [{ field: 'confidence', message: 'Confidence: between 2 and 5' }] } } });
    } finally {
      await handle.db.update(trials).set({ design }).where(eq(trials.id, fixture.trialId));
    }
  });

  it('rejecting the AI segmentation takes a reason, which is recorded and audited', async () => {
    await as('clinician').review.open({ caseId: assisted.caseId });
    await expect(as('clinician').review.reviewSegmentation({ caseId: assisted.caseId, outcome: 'rejected', reason: null })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      cause: { code: 'INVALID_INPUT' },
    });
    await expect(as('clinician').review.reviewSegmentation({ caseId: assisted.caseId, outcome: 'rejected', reason: '  ' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const rejected = await as('clinician').review.reviewSegmentation({ caseId: assisted.caseId, outcome: 'rejected', reason: 'Misses the enhancing rim' });
    expect((await as('clinician').review.case({ caseId: assisted.caseId })).latestAiReview).toMatchObject({ id: rejected.id, outcome: 'rejected', reason: 'Misses the enhancing rim' });
    const [audit] = await handle.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'review.segmentation_reviewed'), eq(auditLog.entityId, assisted.caseId)));
    expect(audit?.after).toMatchObject({ outcome: 'rejected', reason: 'Misses the enhancing rim' });
  });
});
