import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContentStore } from '@/imaging/storage/content-store';
import type { AnalysisDataset } from '@/server/domain/analytics/analysis-dataset';
import { buildAnalysisDataset } from '@/server/domain/analytics/build-analysis-dataset';
import { loadAnalysisDataset } from '@/server/domain/analytics/load-analysis-dataset';
import { resolveTrialAccess } from '@/server/domain/trials/trial-access';
import { env } from '@/server/env';
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
const today = new Date().toISOString().slice(0, 10);
const content = (d: AnalysisDataset) => ({ ...d, snapshot: d.snapshot.sha256 });

describe(`the analysis dataset read again only where the data changed (${TEST_DRIVER})`, () => {
  it('answers after every kind of write what a fresh build answers, for every site view', async () => {
    const store = createContentStore(env().SEGTRIAL_STORAGE_ROOT);
    const statistician = await resolveTrialAccess({ db: handle.db, user: fixture.users.statistician, trialId: fixture.trialId });
    const coordinator = await resolveTrialAccess({ db: handle.db, user: fixture.users.coordinator, trialId: fixture.trialId });
    const views = [statistician, coordinator, { trialId: fixture.trialId, siteIds: [] }];
    const check = async () => {
      for (const access of views) {
        const loaded = await loadAnalysisDataset({ db: handle.db, store, access });
        expect(content(loaded)).toEqual(content(await buildAnalysisDataset({ db: handle.db, store, access })));
      }
      return loadAnalysisDataset({ db: handle.db, store, access: statistician });
    };
    const before = await check();
    // Enrolment and randomization (participants, allocations).
    const p = await enrollDemoParticipant(handle.db, fixture, { siteCode: 'site-a' });
    await as('coordinator').participants.randomize({ trialId: fixture.trialId, participantId: p.id });
    const randomized = await check();
    expect(randomized.rows).toHaveLength(before.rows.length + 1);
    expect(randomized.snapshot.sha256).not.toBe(before.snapshot.sha256);
    // A follow-up contact (follow_up_visits): survival of that participant, read again.
    await as('coordinator').outcomes.recordVisit({
      trialId: fixture.trialId,
      participantId: p.id,
      visitDate: today,
      vitalStatus: 'dead',
      deathDate: today,
      progression: false,
      progressionDate: null,
      progressionBasis: null,
      note: null,
      supersedesId: null,
    });
    const died = await check();
    expect(died.rows.find((r) => r.participantId === p.id)).toMatchObject({ osEvent: 1, osDays: 0 });
    // A withdrawal (participant_events).
    await as('coordinator').participants.recordEvent({ trialId: fixture.trialId, participantId: p.id, kind: 'withdrawn', reason: 'other', occurredOn: today });
    expect((await check()).rows.find((r) => r.participantId === p.id)?.withdrawn).toBe(true);
    // Nothing written: the same content, read from what was kept.
    const again = await check();
    expect(again.snapshot.sha256).toBe((await check()).snapshot.sha256);
  });

  it('reads on a database where another copy of the code already prepared the statement', async () => {
    // The production server loads this code once per bundle, all on one embedded database: a copy
    // that prepared the statements first must not make the next copy's first read fail.
    // Forgetting what this copy prepared makes its next read prepare again, as a second copy's first read does.
    const client = (handle.db as { $client?: object }).$client as Record<symbol, unknown>;
    delete client[Symbol.for('segtrial.preparedJsonStatements')];
    const store = createContentStore(env().SEGTRIAL_STORAGE_ROOT);
    const access = await resolveTrialAccess({ db: handle.db, user: fixture.users.statistician, trialId: fixture.trialId });
    const loaded = await loadAnalysisDataset({ db: handle.db, store, access });
    expect(content(loaded)).toEqual(content(await buildAnalysisDataset({ db: handle.db, store, access })));
  });
});
