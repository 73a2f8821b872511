import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, randomizationSecrets, randomizationSimulations } from '../../db/schema';
import { grantMembership } from '../../server/domain/trials/create-trial';
import { simulateRandomization } from '../../server/domain/randomization-simulation/simulate-randomization';
import { callerFor } from './support/callers';
import { seedDemoForTest } from './support/demo';
import { openTestDatabase, TEST_DRIVER } from './support/test-database';

let handle: Awaited<ReturnType<typeof openTestDatabase>>;
let fixture: Awaited<ReturnType<typeof seedDemoForTest>>;
beforeAll(async () => {
  handle = await openTestDatabase();
  fixture = await seedDemoForTest(handle.db);
});
afterAll(() => handle.close());

const design = (blockSizes: number[]) => ({
  randomization: { method: 'permuted_blocks' as const, factors: [{ name: 'sex', levels: ['F', 'M'] }], blockSizes },
  targetSampleSize: 40,
  coordinatorsSeeArm: false,
});

describe(`randomization design simulation kept with the go-live commitment (${TEST_DRIVER})`, () => {
  it('keeps each run (audited), links the latest run on the committed design to the live seed, and refuses runs once live', async () => {
    const coordinator = callerFor(handle.db, fixture.users.coordinator);
    const statistician = callerFor(handle.db, fixture.users.statistician);
    const { id: trialId } = await coordinator.trials.create({
      slug: `design-sim-${Date.now()}`,
      name: 'Design simulation trial',
      sites: [
        { code: 'one', name: 'Site One', isExternal: false },
        { code: 'two', name: 'Site Two', isExternal: false },
      ],
    });
    await handle.db.transaction((tx) => grantMembership({ tx, userId: fixture.users.statistician.id, trialId, siteId: null, actor: { userId: null, role: null }, request: { via: 'system' } }));
    await expect(coordinator.randomizationDesign.run({ trialId, replicates: 20 })).rejects.toMatchObject({ cause: { code: 'INVALID_STATE' } });
    await coordinator.trials.updateDesign({ trialId, design: design([2, 4]) });
    expect(await coordinator.randomizationDesign.stored({ trialId })).toEqual({ latest: null, latestMatchesDesign: false, committed: null });

    // A run on blocks of 2 and 4, then the design changes to blocks of 6 and is run again by the statistician.
    const first = await coordinator.randomizationDesign.run({ trialId, replicates: 30 });
    expect(first.settings).toMatchObject({ participants: 40, replicates: 30, sites: ['one', 'two'] });
    expect(first.result).toEqual(simulateRandomization({ params: first.settings.parameters, participants: 40, sites: ['one', 'two'], replicates: 30, seed: `design-check/${trialId}` }));
    expect(first.runBy).toBe('coordinator');
    await coordinator.trials.updateDesign({ trialId, design: design([6]) });
    let stored = await coordinator.randomizationDesign.stored({ trialId });
    expect(stored.latest?.id).toBe(first.id);
    expect(stored.latestMatchesDesign).toBe(false); // the design changed since
    const second = await statistician.randomizationDesign.run({ trialId, replicates: 25, participants: 24 });
    // Blocks of 6 allow larger imbalance than blocks of 2 and 4: the figures follow the design.
    expect(second.result.imbalance.largestPerStratum.max).toBeGreaterThan(0);
    expect(second.settings.parameters).toMatchObject({ blockSizes: [6] });
    stored = await coordinator.randomizationDesign.stored({ trialId });
    expect(stored).toMatchObject({ latest: { id: second.id }, latestMatchesDesign: true, committed: null });

    const audits = await handle.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.trialId, trialId), eq(auditLog.action, 'randomization.design_simulated')));
    expect(audits.map((a) => a.entityId)).toEqual([first.id, second.id]);
    expect(audits[1]?.after).toMatchObject({ participants: 24, replicates: 25, resultSha256: second.resultSha256, seed: `design-check/${trialId}` });

    const live = await coordinator.trials.goLive({ trialId });
    expect(live.designSimulationId).toBe(second.id);
    const [secret] = await handle.db
      .select({ simulationId: randomizationSecrets.simulationId })
      .from(randomizationSecrets)
      .where(and(eq(randomizationSecrets.trialId, trialId), eq(randomizationSecrets.mode, 'live')));
    expect(secret?.simulationId).toBe(second.id);
    const [wentLive] = await handle.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.trialId, trialId), eq(auditLog.action, 'trial.went_live')));
    expect(wentLive?.after).toMatchObject({ designSimulation: { id: second.id, resultSha256: second.resultSha256, participants: 24, replicates: 25 } });
    stored = await statistician.randomizationDesign.stored({ trialId });
    expect(stored.committed).toEqual(second);

    await expect(coordinator.randomizationDesign.run({ trialId, replicates: 20 })).rejects.toMatchObject({ cause: { code: 'INVALID_STATE' } });
    expect(await handle.db.select().from(randomizationSimulations).where(eq(randomizationSimulations.trialId, trialId))).toHaveLength(2);
  });

  it('goes live without a simulation when none was run on the committed design, and says so', async () => {
    const coordinator = callerFor(handle.db, fixture.users.coordinator);
    const { id: trialId } = await coordinator.trials.create({ slug: `design-sim-none-${Date.now()}`, name: 'No simulation', sites: [{ code: 'one', name: 'Site One', isExternal: false }] });
    await coordinator.trials.updateDesign({ trialId, design: design([4]) });
    await coordinator.randomizationDesign.run({ trialId, replicates: 10 });
    await coordinator.trials.updateDesign({ trialId, design: design([2]) });
    const live = await coordinator.trials.goLive({ trialId });
    expect(live.designSimulationId).toBeNull();
    expect((await coordinator.randomizationDesign.stored({ trialId })).committed).toBeNull();
  });
});
