import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { users, type Role } from '../../db/schema';
import { writeAuditEvent } from '../domain/audit/write-audit-event';
import { createTrial, grantMembership } from '../domain/trials/create-trial';
import { goLive } from '../domain/trials/start-randomization-mode';
import type { TrialDesignInput } from '../domain/trials/trial-design';
import { updateTrialDesign } from '../domain/trials/update-trial-design';
import { createUser } from '../domain/users/create-user';
import { seedDemoAnalysisPlan } from './seed-demo-analysis-plan';
import { seedDemoAnalytics } from './seed-demo-analytics';
import { seedDemoCases } from './seed-demo-cases';
import { seedDemoOversight } from './seed-demo-oversight';
import { seedDemoSimulatedReads } from './seed-demo-simulated-reads';
import { seedDemoFollowup } from './seed-demo-followup';

export interface DemoCredential {
  readonly username: string;
  readonly password: string;
  readonly role: Role;
  readonly sites: string;
}

/** The demo trial's accounts: one per role, plus a second clinician at another site. */
const DEMO_ACCOUNTS: readonly { username: string; displayName: string; role: Role; siteCodes: readonly string[] | 'all' }[] = [
  { username: 'admin', displayName: 'Ada Admin', role: 'admin', siteCodes: 'all' },
  { username: 'coordinator', displayName: 'Cora Coordinator', role: 'coordinator', siteCodes: ['site-a', 'site-b'] },
  { username: 'clinician', displayName: 'Dr. Clara Clinician', role: 'clinician', siteCodes: ['site-a'] },
  { username: 'clinician-b', displayName: 'Dr. Ben Clinician', role: 'clinician', siteCodes: ['site-b'] },
  { username: 'statistician', displayName: 'Stan Statistician', role: 'statistician', siteCodes: 'all' },
  { username: 'monitor', displayName: 'Mona Monitor', role: 'monitor', siteCodes: 'all' },
  { username: 'dsmb', displayName: 'Dora DSMB', role: 'dsmb', siteCodes: 'all' },
];

const SEED_LOCK_KEY = 7_316_002;

/**
 * On an empty database (no users), creates the demo trial with three sites and one account per role.
 * Returns the credentials so the caller can print them once; returns [] when users already exist.
 * Passwords are random unless `password` is given (tests, scripted demos).
 */
export async function seedDemo({ db, password }: { db: Database; password?: string }): Promise<DemoCredential[]> {
  const seeded = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${SEED_LOCK_KEY})`);
    const [{ count } = { count: 0 }] = await tx.select({ count: sql<number>`count(*)::int` }).from(users);
    if (count > 0) return { credentials: [] as DemoCredential[], trialId: '' };

    const actor = { userId: null, role: null };
    const request = { via: 'system' as const };
    const { trial, sites } = await createTrial({
      tx,
      slug: 'demo',
      name: 'SegTrial demo: AI-assisted glioma MRI review',
      sites: [
        { code: 'site-a', name: 'Site A (university hospital)' },
        { code: 'site-b', name: 'Site B (regional hospital)' },
        { code: 'site-x', name: 'Site X (external validation)', isExternal: true },
      ],
      actor,
      request,
    });
    const siteByCode = new Map(sites.map((s) => [s.code, s.id]));
    const credentials: DemoCredential[] = [];
    for (const account of DEMO_ACCOUNTS) {
      const pw = password ?? randomBytes(12).toString('base64url');
      const user = await createUser({ db: tx, username: account.username, displayName: account.displayName, role: account.role, password: pw, actor, request });
      const siteIds = account.siteCodes === 'all' ? [null] : account.siteCodes.map((c) => siteByCode.get(c) ?? null);
      for (const siteId of siteIds) {
        await grantMembership({ tx, userId: user.id, trialId: trial.id, siteId, actor, request });
      }
      credentials.push({ username: account.username, password: pw, role: account.role, sites: account.siteCodes === 'all' ? 'all sites' : account.siteCodes.join(', ') });
    }
    await writeAuditEvent({ tx, actor, action: 'demo.seeded', entityType: 'trial', entityId: trial.id, trialId: trial.id, after: { accounts: credentials.map((c) => c.username) }, request });
    return { credentials, trialId: trial.id };
  });
  if (seeded.credentials.length === 0) return [];
  const system = { actor: { userId: null, role: null }, request: { via: 'system' as const } };
  await updateTrialDesign({ db, trialId: seeded.trialId, design: DEMO_DESIGN, ...system });
  await goLive({ db, trialId: seeded.trialId, ...system });
  const cases = await seedDemoCases({ db, trialId: seeded.trialId });
  // Follow-up visits once the baselines are in (background; never throws).
  if (cases.tasks.length > 0) void seedDemoFollowup({ db, trialId: seeded.trialId, after: cases.background });
  // The oversight alert of site-b's protocol change and the AI's suspension there, once the studies are in (background).
  if (cases.tasks.length > 0) void seedDemoOversight({ db, trialId: seeded.trialId, credentials: seeded.credentials, studiesIngested: cases.background });
  const analytics = seedDemoAnalytics({ db, trialId: seeded.trialId });
  // SIMULATED model scores and reader decisions for those simulated participants, once they are in (background; never throws).
  void seedDemoSimulatedReads({ db, trialId: seeded.trialId, after: analytics.background });
  await seedDemoAnalysisPlan({ db, trialId: seeded.trialId, credentials: seeded.credentials });
  return seeded.credentials;
}

/** The demo trial's design: 1:1 permuted blocks stratified by site and age band, blinded coordinators. */
export const DEMO_DESIGN: TrialDesignInput = {
  randomization: { method: 'permuted_blocks', factors: [{ name: 'age_band', levels: ['<50', '50-64', '>=65'] }], blockSizes: [2, 4, 6] },
  eligibility: [
    { id: 'adult', text: 'Age 18 years or older', kind: 'inclusion' },
    { id: 'mri_complete', text: 'Pre-operative MRI with FLAIR, T1, T1gd and T2', kind: 'inclusion', waivable: true },
    { id: 'consent', text: 'Written informed consent obtained', kind: 'inclusion' },
    { id: 'prior_treatment', text: 'Prior brain tumor surgery or radiotherapy', kind: 'exclusion' },
  ],
  targetSampleSize: 240,
  coordinatorsSeeArm: false,
  // Six baseline cases per chart (trials default to ten): the demo's sites have few studies, and site-b's protocol change should show.
  oversight: { baselineCount: 6, lambda: 0.2, inControlArl: 370, fastSignSeconds: 30 },
};
