import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allocations, auditLog, participants, protocolAmendments } from '../../db/schema';
import { replayTrialAllocations } from '../../server/domain/enrollment/replay-trial-allocations';
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

  it('changes the randomization parameters only through a new published commitment; each period replays against its own', async () => {
    const design = editable((await as('admin').trials.design({ trialId: fixture.trialId })).design);
    const randomize = async () => {
      const p = await enrollDemoParticipant(handle.db, fixture);
      await as('coordinator').participants.randomize({ trialId: fixture.trialId, participantId: p.id });
      return p;
    };
    const early = await randomize();
    // Arms, method and factors stay as committed: allocations already made refer to them.
    await expect(
      as('admin').trials.amend({
        trialId: fixture.trialId,
        design: { ...design, randomization: { ...design.randomization, factors: [] } },
        summary: 'Drop the age stratification',
        effectiveOn: '2026-03-02',
        password: DEMO_PASSWORD,
      }),
    ).rejects.toMatchObject({ code: 'PRECONDITION_FAILED', message: expect.stringContaining('not the randomization factors') });
    const before = (await as('admin').trials.design({ trialId: fixture.trialId })).commitments.filter((c) => c.mode === 'live');
    expect(before.map((c) => c.period)).toEqual([1]);

    const result = await as('admin').trials.amend({
      trialId: fixture.trialId,
      design: { ...design, randomization: { ...design.randomization, blockSizes: [4, 8] } },
      summary: 'Blocks of four and eight: the small blocks became predictable at site A',
      effectiveOn: '2026-03-02',
      password: DEMO_PASSWORD,
    });
    expect(result.randomizationPeriod).toBe(2);
    expect(result.commitmentHash).toMatch(/^[0-9a-f]{64}$/);
    const commitments = (await as('admin').trials.design({ trialId: fixture.trialId })).commitments.filter((c) => c.mode === 'live');
    expect(commitments.map((c) => [c.period, c.commitmentHash])).toEqual([
      [2, result.commitmentHash],
      [1, before[0]!.commitmentHash],
    ]);
    const late = await randomize();
    const periodOf = Object.fromEntries((await handle.db.select().from(allocations)).map((a) => [a.participantId, [a.period, (a.provenance as { commitmentHash?: string }).commitmentHash]]));
    expect(periodOf[early.id]![0]).toBe(1);
    expect(periodOf[late.id]).toEqual([2, result.commitmentHash]);
    // The replay checks each period against its own seed, parameters and commitment.
    const replay = await replayTrialAllocations({ db: handle.db, trialId: fixture.trialId });
    expect(replay.periods.map((p) => ({ period: p.period, matches: p.commitmentMatches, mismatches: p.mismatches.length }))).toEqual([
      { period: 1, matches: true, mismatches: 0 },
      { period: 2, matches: true, mismatches: 0 },
    ]);
    expect(replay.periods[1]!.allocationsReplayed).toBe(1);
    // The amendment's record says so in words, and its signature and audit row carry the commitment.
    const listed = (await as('monitor').trials.amendments({ trialId: fixture.trialId }))[0]!;
    expect(listed.changes).toContain('Randomization parameters changed (under a new published commitment).');
    const audit = (await handle.db.select().from(auditLog).where(eq(auditLog.action, 'protocol.amended'))).at(-1);
    expect(audit?.after).toMatchObject({ randomizationPeriod: 2, commitmentHash: result.commitmentHash });

    await expect(as('clinician').trials.amend({ trialId: fixture.trialId, design, summary: 'Not allowed here', effectiveOn: '2026-03-02', password: DEMO_PASSWORD })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });
});
