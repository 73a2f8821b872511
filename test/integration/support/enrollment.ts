import type { Database } from '@/db/client';
import { callerFor, type DemoUsers } from './callers';

let counter = 0;

/** Enrolls an eligible participant at `siteCode` of the demo trial through the API, as the coordinator. */
export async function enrollDemoParticipant(
  db: Database,
  fixture: { trialId: string; users: DemoUsers },
  { siteCode = 'site-a', ageBand = '<50', eligible = true, levels }: { siteCode?: string; ageBand?: string; eligible?: boolean; levels?: Record<string, string> } = {},
) {
  const coordinator = callerFor(db, fixture.users.coordinator);
  const trial = await callerFor(db, fixture.users.admin).trials.get({ trialId: fixture.trialId });
  const site = trial.sites.find((s) => s.code === siteCode);
  if (!site) throw new Error(`no site ${siteCode}`);
  counter += 1;
  return coordinator.participants.enroll({
    trialId: fixture.trialId,
    siteId: site.id,
    studyId: `P-${process.pid}-${counter}`,
    baseline: { age: 45, sex: 'F', scannerVendor: 'Siemens', fieldStrength: '3T' },
    levels: levels ?? { age_band: ageBand },
    eligibility: { adult: true, mri_complete: true, consent: eligible, prior_treatment: false },
    consentDate: '2026-01-15',
  });
}
