import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, participants, protocolAmendments } from '../../db/schema';
import { callerFor, type DemoUsers } from './support/callers';
import { databaseError } from './support/database-error';
import { DEMO_PASSWORD, seedDemoForTest } from './support/demo';
import { enrollDemoParticipant } from './support/enrollment';
import { openTestDatabase } from './support/test-database';
import type { TrialDesignInput } from '../../server/domain/trials/trial-design';

let handle: Awaited<ReturnType<typeof openTestDatabase>>;
let fixture: { trialId: string; users: DemoUsers };

beforeAll(async () => {
  handle = await openTestDatabase();
  fixture = await seedDemoForTest(handle.db);
}, 300_000);
afterAll(() => handle.close());

const as = (who: keyof DemoUsers) => callerFor(handle.db, fixture.users[who]);
/** The design as the API takes it (a plain, mutable copy of the parsed one). */
const editable = (design: unknown) => JSON.parse(JSON.stringify(design)) as TrialDesignInput;

describe('protocol amendments', () => {
  it('a signed, dated, versioned amendment changes the target size and adds a site; later participants record the new version', async () => {
    const before = await enrollDemoParticipant(handle.db, fixture);
    const design = editable((await as('admin').trials.design({ trialId: fixture.trialId })).design);
    const amended = { ...design, targetSampleSize: 300 };
    await expect(as('admin').trials.amend({ trialId: fixture.trialId, design: amended, summary: 'Target raised to 300', effectiveOn: '2026-03-01', password: 'wrong-password' })).rejects.toMatchObject(
      { code: 'FORBIDDEN' },
    );
    const result = await as('admin').trials.amend({
      trialId: fixture.trialId,
      design: amended,
      summary: 'Target raised to 300 after the interim look',
      effectiveOn: '2026-03-01',
      newSites: [{ code: 'site-c', name: 'Site C', isExternal: false }],
      password: DEMO_PASSWORD,
    });
    expect(result.version).toBe(2);
    expect((await as('admin').trials.design({ trialId: fixture.trialId })).design!.targetSampleSize).toBe(300);
    expect((await as('admin').trials.get({ trialId: fixture.trialId })).sites.map((s) => s.code)).toContain('site-c');
    const after = await enrollDemoParticipant(handle.db, fixture);
    const versions = Object.fromEntries((await handle.db.select().from(participants)).map((p) => [p.id, p.protocolVersion]));
    expect([versions[before.id], versions[after.id]]).toEqual([1, 2]);
    expect((await as('monitor').trials.amendments({ trialId: fixture.trialId }))[0]).toMatchObject({ version: 2, effectiveOn: '2026-03-01', by: 'Ada Admin' });
    const [audit] = await handle.db.select().from(auditLog).where(eq(auditLog.action, 'protocol.amended'));
    expect(audit?.after).toMatchObject({ protocolVersion: 2, summary: 'Target raised to 300 after the interim look', meaning: expect.stringContaining('amendment') });
    expect(await databaseError(handle.db.update(protocolAmendments).set({ summary: 'x' }).where(eq(protocolAmendments.id, result.id)))).toMatch(/append-only/);
  });

  it('refuses to change the randomization parameters, which are bound to the published commitment', async () => {
    const design = editable((await as('admin').trials.design({ trialId: fixture.trialId })).design);
    await expect(
      as('admin').trials.amend({
        trialId: fixture.trialId,
        design: { ...design, randomization: { ...design.randomization, blockSizes: [4] } },
        summary: 'Switch to blocks of four',
        effectiveOn: '2026-03-02',
        password: DEMO_PASSWORD,
      }),
    ).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
      message: expect.stringContaining('published commitment'),
    });
    await expect(as('clinician').trials.amend({ trialId: fixture.trialId, design, summary: 'Not allowed here', effectiveOn: '2026-03-02', password: DEMO_PASSWORD })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });
});
