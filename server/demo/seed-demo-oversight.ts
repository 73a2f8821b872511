import { and, eq } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { sites, users } from '../../db/schema';
import { sites as cohortSites } from '../../imaging/cohort/sites';
import { createContentStore } from '../../imaging/storage/content-store';
import { env } from '../env';
import { setAiAvailability } from '../domain/oversight/ai-availability';
import { computeOversightDashboard } from '../domain/oversight/compute-oversight-dashboard';
import { listOversightAlerts } from '../domain/oversight/record-oversight-alerts';
import type { DemoCredential } from './seed-demo';

const SYSTEM = { actor: { userId: null, role: null }, request: { via: 'system' as const } };
const DRIFTING_SITE = 'site-b';

/**
 * The demo's oversight story, once its MRI studies are in (`studiesIngested`): the system computes
 * the oversight charts, which raise the alerts of site-b's protocol change (thicker FLAIR and T2
 * slices in its last studies), and the demo admin suspends the AI at site-b, signed with the
 * admin's password as any suspension is, giving the alert as the reason. A monitor then finds the
 * alert to acknowledge and the suspension to review. Nothing is suspended when no alert arose.
 * Runs in the background of the demo seed and never throws.
 */
export async function seedDemoOversight({
  db,
  trialId,
  credentials,
  studiesIngested,
}: {
  db: Database;
  trialId: string;
  credentials: readonly DemoCredential[];
  studiesIngested: Promise<void>;
}): Promise<void> {
  try {
    await studiesIngested;
    await suspendAtDriftingSite({ db, trialId, credentials });
  } catch (error) {
    console.error('[demo] oversight story stopped:', error instanceof Error ? error.message : error);
  }
}

async function suspendAtDriftingSite({ db, trialId, credentials }: { db: Database; trialId: string; credentials: readonly DemoCredential[] }) {
  const store = createContentStore(env().SEGTRIAL_STORAGE_ROOT);
  const access = { trialId, siteIds: null };
  await computeOversightDashboard({ db, store, access, request: SYSTEM.request });
  const alert = (await listOversightAlerts({ db, access })).find((a) => a.site === DRIFTING_SITE);
  const [site] = await db
    .select({ id: sites.id })
    .from(sites)
    .where(and(eq(sites.trialId, trialId), eq(sites.code, DRIFTING_SITE)));
  const password = credentials.find((c) => c.username === 'admin')?.password;
  const [admin] = await db.select({ id: users.id }).from(users).where(eq(users.username, 'admin'));
  if (!alert || !site || !admin || !password) {
    console.log(`[demo] no oversight alert at ${DRIFTING_SITE}: the AI stays available there`);
    return;
  }
  await setAiAvailability({
    db,
    trialId,
    siteId: site.id,
    action: 'suspended',
    reason: `Oversight alert on "${alert.evidence.label}" at ${DRIFTING_SITE}: the site changed its protocol (${cohortSites[DRIFTING_SITE].protocolChange?.summary ?? 'new protocol'}), which the model was not validated on.`,
    password,
    signer: { id: admin.id, role: 'admin' },
    request: SYSTEM.request,
  });
  console.log(`[demo] oversight alert at ${DRIFTING_SITE} raised; the demo admin suspended the AI there`);
}
