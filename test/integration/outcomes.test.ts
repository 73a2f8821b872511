import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, participantOutcomes } from '../../db/schema';
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
const outcome = { referenceHighGrade: true, whoGrade: 4, progressionFree6m: false, reference: null, assessedOn: '2026-07-01', note: 'histopathology: glioblastoma', supersedesId: null };

async function randomized(siteCode = 'site-a') {
  const p = await enrollDemoParticipant(handle.db, fixture, { siteCode });
  await as('coordinator').participants.randomize({ trialId: fixture.trialId, participantId: p.id });
  return p;
}

describe(`follow-up outcomes (${TEST_DRIVER})`, () => {
  it('records an outcome once, audited; a second first record is refused', async () => {
    const p = await randomized();
    const first = await as('coordinator').outcomes.record({ trialId: fixture.trialId, participantId: p.id, ...outcome });
    await expect(as('coordinator').outcomes.record({ trialId: fixture.trialId, participantId: p.id, ...outcome })).rejects.toMatchObject({ code: 'CONFLICT' });
    const audit = await handle.db.select().from(auditLog).where(eq(auditLog.entityId, p.id));
    expect(audit.filter((a) => a.action === 'outcome.recorded')).toHaveLength(1);
    const listed = (await as('statistician').outcomes.list({ trialId: fixture.trialId })).filter((r) => r.participantId === p.id);
    expect(listed).toEqual([expect.objectContaining({ id: first.id, referenceHighGrade: true, whoGrade: 4, progressionFree6m: false })]);
  });

  it('corrects by a new linked record; the old one stays, and only the current one can be corrected', async () => {
    const p = await randomized();
    const first = await as('coordinator').outcomes.record({ trialId: fixture.trialId, participantId: p.id, ...outcome });
    const second = await as('coordinator').outcomes.record({ trialId: fixture.trialId, participantId: p.id, ...outcome, whoGrade: 3, note: 'grade revised', supersedesId: first.id });
    expect(second.supersedesId).toBe(first.id);
    await expect(as('coordinator').outcomes.record({ trialId: fixture.trialId, participantId: p.id, ...outcome, supersedesId: first.id })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    const history = await as('monitor').outcomes.history({ trialId: fixture.trialId, participantId: p.id });
    expect(history.map((h) => h.whoGrade)).toEqual([4, 3]);
    const current = (await as('statistician').outcomes.list({ trialId: fixture.trialId })).filter((r) => r.participantId === p.id);
    expect(current.map((c) => c.id)).toEqual([second.id]);
    const corrected = await handle.db.select().from(auditLog).where(eq(auditLog.action, 'outcome.corrected'));
    expect(corrected.some((a) => a.entityId === p.id)).toBe(true);
  });

  it('refuses a WHO grade that contradicts the high-grade flag, and unrandomized participants', async () => {
    const p = await randomized();
    await expect(as('coordinator').outcomes.record({ trialId: fixture.trialId, participantId: p.id, ...outcome, whoGrade: 2 })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('WHO grade 2'),
    });
    const enrolledOnly = await enrollDemoParticipant(handle.db, fixture);
    await expect(as('coordinator').outcomes.record({ trialId: fixture.trialId, participantId: enrolledOnly.id, ...outcome })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
  });

  it('the database refuses to change or delete a recorded outcome', async () => {
    const p = await randomized();
    const row = await as('coordinator').outcomes.record({ trialId: fixture.trialId, participantId: p.id, ...outcome });
    expect(await databaseError(handle.db.update(participantOutcomes).set({ whoGrade: 1 }).where(eq(participantOutcomes.id, row.id)))).toMatch(/never changed: UPDATE refused/);
    expect(await databaseError(handle.db.execute(sql`delete from participant_outcomes where id = ${row.id}`))).toMatch(/never changed: DELETE refused/);
  });

  it('another site answers NOT_FOUND; clinicians never read outcomes', async () => {
    const p = await randomized('site-b');
    await as('coordinator').outcomes.record({ trialId: fixture.trialId, participantId: p.id, ...outcome });
    // The demo's clinician is at site-a; the reference standard would unblind a reading anyway.
    await expect(as('clinician').outcomes.list({ trialId: fixture.trialId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(as('clinicianB').outcomes.history({ trialId: fixture.trialId, participantId: p.id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
