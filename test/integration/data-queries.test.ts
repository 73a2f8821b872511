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
});
