import { eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { trials, users } from '@/db/schema';
import { seedDemo } from '@/server/demo/seed-demo';
import { sessionUser, type DemoUsers } from './callers';

export const DEMO_PASSWORD = 'demo-password-for-tests';

/** Seeds the demo trial and returns its users as session users, and the trial id. */
export async function seedDemoForTest(db: Database): Promise<{ users: DemoUsers; trialId: string }> {
  await seedDemo({ db, password: DEMO_PASSWORD });
  const rows = await db.select().from(users);
  const by = (username: string) => {
    const row = rows.find((r) => r.username === username);
    if (!row) throw new Error(`demo user ${username} missing`);
    return sessionUser(row);
  };
  const [trial] = await db.select().from(trials).where(eq(trials.slug, 'demo'));
  if (!trial) throw new Error('demo trial missing');
  return {
    trialId: trial.id,
    users: {
      admin: by('admin'),
      coordinator: by('coordinator'),
      clinician: by('clinician'),
      clinicianB: by('clinician-b'),
      statistician: by('statistician'),
      monitor: by('monitor'),
      dsmb: by('dsmb'),
    },
  };
}
