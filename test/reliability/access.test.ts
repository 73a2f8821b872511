import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/client';
import { allocations, memberships, models, participants, ROLES, segmentations, sites, studies, trials, unblindings, type Role } from '../../db/schema';
import { randomizeParticipant } from '../../server/domain/enrollment/randomize-participant';
import { createTrial, grantMembership } from '../../server/domain/trials/create-trial';
import { goLive } from '../../server/domain/trials/start-randomization-mode';
import { updateTrialDesign } from '../../server/domain/trials/update-trial-design';
import { createUser } from '../../server/domain/users/create-user';
import { freePort } from '../../scripts/lib/postgres-server.mjs';
import { RELIABILITY_PASSWORD, startAppServer, type AppServer } from './support/app-server';
import { arbitraryFor, listProcedures, type IdOverrides, type ProcedureInfo } from './support/procedures';
import { createScratchDatabase, type ScratchDatabase } from './support/scratch-database';
import { callOverHttp, httpLogin, type HttpAnswer } from './support/trpc-http';

/** Procedures anyone may call, logged in or not. Adding one here is a deliberate, reviewed decision. */
const PUBLIC = new Set(['auth.login', 'auth.me', 'auth.resetPassword']);
/** Procedures every logged-in role may call (they check trial membership themselves). */
const OPEN_TO_EVERY_ROLE = new Set(['auth.logout', 'auth.me', 'auth.login', 'auth.resetPassword', 'trials.list', 'trials.get', 'trials.design', 'trials.amendments']);
/** Generated inputs per procedure and caller in the horizontal and control-arm checks. */
const SAMPLES = Number(process.env.RELIABILITY_ACCESS_SAMPLES ?? 4);

const system = { actor: { userId: null, role: null }, request: { via: 'system' as const } };
const MARKERS = { labels: 'deadc0de'.repeat(8), volume: 987.654321, provenance: 'AI-OUTPUT-MARKER-7f3a' };

let database: ScratchDatabase;
let server: AppServer;
let db: DatabaseHandle;
const cookies = new Map<string, string>();
const fixture = {
  demoTrialId: '',
  otherTrialId: '',
  otherSiteId: '',
  otherParticipantId: '',
  siteBParticipantId: '',
  control: { participantId: '', studyId: '', segmentationId: '' },
};
let procedures: ProcedureInfo[];

beforeAll(async () => {
  database = await createScratchDatabase();
  server = await startAppServer({
    port: await freePort(),
    database: { url: database.url },
    storageRoot: mkdtempSync(path.join(os.tmpdir(), 'segtrial-rel-access-')),
    env: { SEGTRIAL_LOGIN_RATE_PER_MINUTE: '0' },
  });
  db = await database.open();
  procedures = listProcedures();

  const [demo] = await db.db.select().from(trials).where(eq(trials.slug, 'demo'));
  fixture.demoTrialId = demo!.id;
  const demoSites = await db.db.select().from(sites).where(eq(sites.trialId, demo!.id));
  const siteId = (code: string) => demoSites.find((s) => s.code === code)!.id;

  // Another trial, with its own coordinator and a randomized participant.
  const other = await db.db.transaction((tx) => createTrial({ tx, slug: 'other-trial', name: 'Another trial', sites: [{ code: 'o1', name: 'Other site' }], ...system }));
  fixture.otherTrialId = other.trial.id;
  fixture.otherSiteId = other.sites[0]!.id;
  await updateTrialDesign({ db: db.db, trialId: other.trial.id, design: { randomization: { method: 'permuted_blocks', blockSizes: [2] }, targetSampleSize: 10 }, ...system });
  await goLive({ db: db.db, trialId: other.trial.id, ...system });
  const otherCoordinator = await createUser({ db: db.db, username: 'other-coordinator', displayName: 'Other Coordinator', role: 'coordinator', password: RELIABILITY_PASSWORD, ...system });
  await db.db.transaction((tx) => grantMembership({ tx, userId: otherCoordinator.id, trialId: other.trial.id, siteId: null, ...system }));
  const coordA = await createUser({ db: db.db, username: 'coordinator-a', displayName: 'Site A Coordinator', role: 'coordinator', password: RELIABILITY_PASSWORD, ...system });
  await db.db.transaction((tx) => grantMembership({ tx, userId: coordA.id, trialId: demo!.id, siteId: siteId('site-a'), ...system }));

  const insert = async (trialId: string, site: string, studyId: string, levels: Record<string, string>) => {
    const [row] = await db.db
      .insert(participants)
      .values({
        trialId,
        siteId: site,
        mode: 'live',
        studyId,
        covariates: { age: 40, sex: 'F', scannerVendor: 'GE', fieldStrength: '3T', ...levels },
        eligibility: { adult: true, mri_complete: true, consent: true, prior_treatment: false },
        consentDate: '2026-01-01',
      })
      .returning();
    await randomizeParticipant({ db: db.db, access: { trialId, siteIds: null }, participantId: row!.id, ...system });
    return row!.id;
  };
  fixture.otherParticipantId = await insert(other.trial.id, fixture.otherSiteId, 'OT-0001', {});
  fixture.siteBParticipantId = await insert(demo!.id, siteId('site-b'), 'SB-0001', { age_band: '<50' });
  // Site A participants until one is in the control arm; its study gets an AI result, blinded.
  for (let i = 1; !fixture.control.participantId; i++) {
    const id = await insert(demo!.id, siteId('site-a'), `SA-000${i}`, { age_band: '<50' });
    const [allocation] = await db.db.select().from(allocations).where(eq(allocations.participantId, id));
    if (allocation!.arm === 'control') fixture.control.participantId = id;
  }
  const [study] = await db.db
    .insert(studies)
    .values({ trialId: demo!.id, siteId: siteId('site-a'), participantId: fixture.control.participantId, grid: {}, registration: {}, deidentification: {} })
    .returning();
  const [model] = await db.db
    .insert(models)
    .values({ name: 'marker-model', version: '1', sha256: 'ab'.repeat(32), card: {} })
    .returning();
  const [segmentation] = await db.db
    .insert(segmentations)
    .values({
      studyId: study!.id,
      modelId: model!.id,
      labelsSha256: MARKERS.labels,
      volumesMl: { edema: MARKERS.volume, enhancing: MARKERS.volume, necrotic: MARKERS.volume },
      provenance: { marker: MARKERS.provenance },
      blinded: true,
      tiles: 1,
    })
    .returning();
  fixture.control.studyId = study!.id;
  fixture.control.segmentationId = segmentation!.id;

  // A monitor blinded in the demo trial (the membership's blinding variant): sees no arm anywhere.
  const blindedMonitor = await createUser({ db: db.db, username: 'blinded-monitor', displayName: 'Blinded Monitor', role: 'monitor', password: RELIABILITY_PASSWORD, ...system });
  await db.db.insert(memberships).values({ userId: blindedMonitor.id, trialId: demo!.id, siteId: null, armAccess: 'blinded' });
  // An emergency unblinding, so the trail holds the participant.unblinded event too.
  await db.db.insert(unblindings).values({ participantId: fixture.control.participantId, trialId: demo!.id, reason: 'reliability fixture', unblindedBy: coordA.id });

  for (const username of ['admin', 'coordinator', 'clinician', 'clinician-b', 'statistician', 'monitor', 'other-coordinator', 'coordinator-a', 'blinded-monitor', 'dsmb']) {
    cookies.set(username, await httpLogin(server.url, username, RELIABILITY_PASSWORD));
  }
});
afterAll(async () => {
  await server?.kill('SIGTERM');
  await database?.drop();
});

const userOfRole: Record<Role, string> = { admin: 'admin', coordinator: 'coordinator', clinician: 'clinician', statistician: 'statistician', monitor: 'monitor', dsmb: 'dsmb' };

/** A caller's cookie; auth.logout gets a fresh session each time so it ends none that others use. */
async function cookieFor(username: string, procedure: ProcedureInfo): Promise<string> {
  return procedure.path === 'auth.logout' ? httpLogin(server.url, username, RELIABILITY_PASSWORD) : cookies.get(username)!;
}

type Outcome = 'UNAUTHORIZED' | 'FORBIDDEN' | 'BAD_INPUT' | 'passed';
function outcomeOf(answer: HttpAnswer): Outcome {
  if (answer.status === 401 && answer.error?.appCode === 'UNAUTHENTICATED') return 'UNAUTHORIZED';
  if (answer.status === 403 && answer.error?.appCode === 'FORBIDDEN_ROLE') return 'FORBIDDEN';
  if (answer.status === 400) return 'BAD_INPUT';
  return 'passed';
}

function sampleInput(procedure: ProcedureInfo, overrides: IdOverrides = {}, seed = 1): unknown {
  if (!procedure.inputSchema) return undefined;
  return fc.sample(arbitraryFor(procedure.inputSchema, overrides), { numRuns: 1, seed })[0];
}

/** Whether the role gets past the procedure's role check (a refusal is decided before input parsing or after). */
async function roleOutcome(procedure: ProcedureInfo, username: string | null): Promise<Outcome> {
  const cookie = username ? await cookieFor(username, procedure) : undefined;
  const probe = outcomeOf(await callOverHttp(server.url, procedure, { probe: 'not the input' }, { cookie }));
  if (probe !== 'BAD_INPUT') return probe;
  const answer = await callOverHttp(server.url, procedure, sampleInput(procedure, { trialId: fc.constant(fixture.demoTrialId) }), { cookie });
  return outcomeOf(answer) === 'BAD_INPUT' ? 'passed' : outcomeOf(answer); // validated before any refusal: it got past the role check
}

const properties = (p: ProcedureInfo) => Object.keys(p.inputSchema?.properties ?? {});

describe('access to every procedure of the API, over HTTP on the production build', () => {
  it('enumerates the router', () => {
    console.log(`${procedures.length} procedures: ${procedures.map((p) => `${p.path} (${p.type})`).join(', ')}`);
    expect(procedures.length).toBeGreaterThanOrEqual(20);
    expect(procedures.map((p) => p.path)).toContain('participants.randomize');
  });

  it('refuses anonymous callers on every procedure except the declared public ones', async () => {
    const open: string[] = [];
    for (const procedure of procedures) {
      const outcome = await roleOutcome(procedure, null);
      if (outcome !== 'UNAUTHORIZED') open.push(`${procedure.path}: ${outcome}`);
    }
    expect(open.sort()).toEqual([...PUBLIC].sort().map((p) => `${p}: passed`));
  });

  it('checks the role on every procedure: each refuses some role, unless declared open to all', async () => {
    const matrix: string[] = [];
    const unchecked: string[] = [];
    for (const procedure of procedures) {
      const allowed: Role[] = [];
      for (const role of ROLES) if ((await roleOutcome(procedure, userOfRole[role])) === 'passed') allowed.push(role);
      matrix.push(`${procedure.path.padEnd(34)} ${allowed.length === ROLES.length ? 'every role' : allowed.join(', ')}`);
      if (allowed.length === ROLES.length && !OPEN_TO_EVERY_ROLE.has(procedure.path)) unchecked.push(procedure.path);
    }
    console.log(`role matrix derived over HTTP:\n${matrix.join('\n')}`);
    expect(unchecked, 'procedures that every role may call without being declared open').toEqual([]);
  });

  it("refuses another trial's and another site's records on every read and write (NOT_FOUND)", async () => {
    const leaks: string[] = [];
    const check = async (procedure: ProcedureInfo, username: string, overrides: IdOverrides, what: string) => {
      for (let seed = 1; seed <= SAMPLES; seed++) {
        const answer = await callOverHttp(server.url, procedure, sampleInput(procedure, overrides, seed), { cookie: await cookieFor(username, procedure) });
        const outcome = outcomeOf(answer);
        if (outcome === 'FORBIDDEN' || outcome === 'UNAUTHORIZED') return; // the role may not call it at all
        // A trialId that is only an optional filter of a membership-scoped list may answer 200, with
        // none of the other trial's data in it (review.worklist); a required one must be refused.
        const filterOnly = !(procedure.inputSchema?.required ?? []).includes('trialId');
        if (answer.status === 200 && filterOnly && ![fixture.otherTrialId, fixture.otherParticipantId, fixture.siteBParticipantId, 'OT-0001', 'SB-0001'].some((id) => answer.text.includes(id))) return;
        if (answer.status !== 404 && answer.status !== 400) leaks.push(`${procedure.path} as ${username} with ${what}: HTTP ${answer.status} ${answer.text.slice(0, 160)}`);
        if (answer.status === 404) return; // refused as it should be
      }
    };
    for (const procedure of procedures) {
      const fields = properties(procedure);
      if (fields.includes('trialId')) {
        // Trial level: members of the demo trial only, pointing at the other trial.
        for (const role of ROLES.filter((r) => r !== 'admin')) await check(procedure, userOfRole[role], { trialId: fc.constant(fixture.otherTrialId) }, "another trial's id");
        // Record level: own trial, another trial's participant or site.
        if (fields.includes('participantId'))
          await check(procedure, 'coordinator', { trialId: fc.constant(fixture.demoTrialId), participantId: fc.constant(fixture.otherParticipantId) }, "another trial's participant");
        if (fields.includes('siteId')) await check(procedure, 'coordinator', { trialId: fc.constant(fixture.demoTrialId), siteId: fc.constant(fixture.otherSiteId) }, "another trial's site");
        // Site level: site-A staff, a site-B participant of the same trial.
        if (fields.includes('participantId')) {
          for (const username of ['coordinator-a', 'clinician'])
            await check(procedure, username, { trialId: fc.constant(fixture.demoTrialId), participantId: fc.constant(fixture.siteBParticipantId) }, 'a participant of another site');
        }
      }
    }
    expect(leaks).toEqual([]);
    // The other trial's coordinator sees only their own trial.
    const list = await callOverHttp(server.url, { path: 'trials.list', type: 'query' }, undefined, { cookie: cookies.get('other-coordinator') });
    expect(list.text).toContain(fixture.otherTrialId);
    expect(list.text).not.toContain(fixture.demoTrialId);
  });

  it('never sends AI output to a clinician through any procedure: answers and error messages alike', async () => {
    // The blinded result is really there (so the scan below looks for something that exists).
    expect(await db.db.select().from(segmentations).where(eq(segmentations.id, fixture.control.segmentationId))).toHaveLength(1);
    const overrides: IdOverrides = {
      trialId: fc.constant(fixture.demoTrialId),
      participantId: fc.constant(fixture.control.participantId),
      studyId: fc.constant(fixture.control.studyId),
      segmentationId: fc.constant(fixture.control.segmentationId),
      siteId: fc.constantFrom(...(await db.db.select({ id: sites.id }).from(sites).where(eq(sites.trialId, fixture.demoTrialId))).map((s) => s.id)),
    };
    const seen: string[] = [];
    let calls = 0;
    for (const procedure of procedures) {
      if (procedure.path === 'auth.logout') continue;
      for (let seed = 1; seed <= SAMPLES; seed++) {
        const answer = await callOverHttp(server.url, procedure, sampleInput(procedure, overrides, seed), { cookie: cookies.get('clinician') });
        calls++;
        for (const marker of [MARKERS.labels, String(MARKERS.volume), MARKERS.provenance]) if (answer.text.includes(marker)) seen.push(`${procedure.path} (HTTP ${answer.status}) sent ${marker}`);
        if (outcomeOf(answer) === 'FORBIDDEN' || procedure.inputSchema === null) break;
      }
    }
    console.log(`control-arm scan: ${calls} calls as the site-A clinician`);
    expect(seen).toEqual([]);
  });

  it('never sends an allocation to a blinded monitor through any procedure it may call', async () => {
    const arms = ['ai_assisted', 'control'];
    // The allocations are really there (so the scan looks for something that exists).
    expect((await db.db.select().from(allocations).where(eq(allocations.trialId, fixture.demoTrialId))).map((a) => a.arm)).toEqual(expect.arrayContaining(['control']));
    const overrides: IdOverrides = {
      trialId: fixture.demoTrialId ? fc.constant(fixture.demoTrialId) : fc.uuid(),
      participantId: fc.constant(fixture.control.participantId),
      studyId: fc.constant(fixture.control.studyId),
      segmentationId: fc.constant(fixture.control.segmentationId),
    };
    const leaks: string[] = [];
    const reached: string[] = [];
    for (const procedure of procedures) {
      if (procedure.path === 'auth.logout') continue;
      for (let seed = 1; seed <= SAMPLES; seed++) {
        const answer = await callOverHttp(server.url, procedure, sampleInput(procedure, overrides, seed), { cookie: cookies.get('blinded-monitor') });
        if (answer.status === 200) reached.push(procedure.path);
        // An arm as a participant's value (not the design's list of arms, which every member reads).
        for (const arm of arms) if (new RegExp(`"(arm|allocatedArm)":"${arm}"`).test(answer.text)) leaks.push(`${procedure.path} (HTTP ${answer.status}) sent the arm ${arm}`);
        if (procedure.path.startsWith('analytics.') && answer.status === 200) leaks.push(`${procedure.path} answered per-arm analysis`);
        if (outcomeOf(answer) === 'FORBIDDEN' || procedure.inputSchema === null) break;
      }
    }
    console.log(`blinded-monitor scan: reached ${new Set(reached).size} procedures`);
    // The scan did reach the views a monitor uses (so "no arm" means something).
    expect(reached).toEqual(expect.arrayContaining(['participants.list', 'trials.consort', 'admin.auditTrail']));
    expect(leaks).toEqual([]);
  });
});
