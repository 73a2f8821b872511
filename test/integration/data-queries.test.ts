import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, sourceVerifications } from '../../db/schema';
import { callerFor, type DemoUsers } from './support/callers';
import { databaseError } from './support/database-error';
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

const as = (who: keyof DemoUsers) => callerFor(handle.db, fixture.users[who]);

describe('data queries and source data verification', () => {
  it('a monitor raises a query, the site answers, the monitor closes it; listed per site; each step audited', async () => {
    const p = await enrollDemoParticipant(handle.db, fixture, { siteCode: 'site-b' });
    const raised = await as('monitor').queries.raise({ trialId: fixture.trialId, participantId: p.id, field: 'consent date', question: 'Consent date precedes screening: please confirm.' });
    expect(raised.status).toBe('open');
    await expect(as('coordinator').queries.raise({ trialId: fixture.trialId, participantId: p.id, question: 'not a monitor' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await as('monitor').queries.list({ trialId: fixture.trialId, status: 'open' })).map((q) => ({ site: q.site, studyId: q.studyId }))).toEqual([{ site: 'site-b', studyId: p.studyId }]);
    await as('coordinator').queries.answer({ trialId: fixture.trialId, queryId: raised.id, answer: 'Confirmed against the signed consent form.' });
    const [answered] = await as('monitor').queries.list({ trialId: fixture.trialId, participantId: p.id });
    expect(answered).toMatchObject({ status: 'answered', answer: 'Confirmed against the signed consent form.' });
    await as('monitor').queries.close({ trialId: fixture.trialId, queryId: raised.id, note: 'Resolved' });
    await expect(as('coordinator').queries.answer({ trialId: fixture.trialId, queryId: raised.id, answer: 'again' })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    const actions = (await handle.db.select().from(auditLog).where(eq(auditLog.entityId, raised.id))).map((r) => r.action);
    expect(actions).toEqual(['query.raised', 'query.answered', 'query.closed']);
    // The trail finds the steps by participant.
    const trail = await as('monitor').admin.auditTrail({ trialId: fixture.trialId, participantId: p.id, action: 'query.' });
    expect(trail.rows.map((r) => r.action).sort()).toEqual(['query.answered', 'query.closed', 'query.raised']);
  });

  it('marks a field source-verified once; the record is never changed', async () => {
    const p = await enrollDemoParticipant(handle.db, fixture);
    const first = await as('monitor').queries.verifySource({ trialId: fixture.trialId, participantId: p.id, field: 'consentDate', note: 'ICF seen' });
    expect(first.created).toBe(true);
    expect((await as('monitor').queries.verifySource({ trialId: fixture.trialId, participantId: p.id, field: 'consentDate', note: null })).created).toBe(false);
    expect(await databaseError(handle.db.update(sourceVerifications).set({ note: 'x' }).where(eq(sourceVerifications.id, first.id)))).toMatch(/append-only/);
    expect(await handle.db.select().from(auditLog).where(eq(auditLog.action, 'sdv.verified'))).toHaveLength(1);
  });

  it('lists each participant’s data points with who verified them; only real data points can be verified; clinicians have none', async () => {
    const p = await enrollDemoParticipant(handle.db, fixture, { siteCode: 'site-b' });
    const before = await as('monitor').queries.sourceData({ trialId: fixture.trialId, participantId: p.id });
    const selected = before.selected!;
    expect(selected.points.map((x) => x.field)).toEqual(expect.arrayContaining(['consentDate', 'eligibility.adult', 'covariates.age_band']));
    expect(selected.points.find((x) => x.field === 'consentDate')).toMatchObject({ value: '2026-01-15', verified: null });
    expect(selected.verified).toBe(0);
    // No allocation is a data point: a blinded monitor verifies without learning the arm.
    expect(JSON.stringify(before)).not.toMatch(/ai_assisted|"control"/);
    await as('monitor').queries.verifySource({ trialId: fixture.trialId, participantId: p.id, field: 'eligibility.adult', note: 'Date of birth on the ID card' });
    await expect(as('monitor').queries.verifySource({ trialId: fixture.trialId, participantId: p.id, field: 'favouriteColour', note: null })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('consentDate'),
    });
    const after = await as('coordinator').queries.sourceData({ trialId: fixture.trialId, participantId: p.id });
    expect(after.selected!.points.find((x) => x.field === 'eligibility.adult')?.verified).toMatchObject({ by: 'Mona Monitor', note: 'Date of birth on the ID card' });
    expect(after.participants.find((x) => x.participantId === p.id)).toMatchObject({ verified: 1, total: selected.total });
    // Clinicians have no source data verification at all.
    await expect(as('clinician').queries.sourceData({ trialId: fixture.trialId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
