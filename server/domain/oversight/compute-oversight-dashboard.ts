import type { Database } from '@/db/client';
import type { ContentStore } from '@/imaging/storage/content-store';
import type { RequestMetadata } from '../audit/write-audit-event';
import type { TrialAccess } from '../trials/trial-access';
import { buildOversightDashboard } from './build-oversight-dashboard';
import { loadOversightObservations } from './load-oversight-observations';
import { recordOversightAlerts } from './record-oversight-alerts';
import { trialOversightSettings } from './trial-oversight-settings';

/**
 * The oversight charts of the sites `access` covers, with the trial design's settings; detection
 * runs where the figures are computed, so every excursion becomes an alert once, raised by the system.
 */
export async function computeOversightDashboard({ db, store, access, request }: { db: Database; store: ContentStore; access: TrialAccess; request: RequestMetadata }) {
  const settings = await trialOversightSettings(db, access.trialId);
  const observations = await loadOversightObservations({ db, store, access, fastSignSeconds: settings.fastSignSeconds });
  const dashboard = buildOversightDashboard(observations, settings);
  await recordOversightAlerts({ db, trialId: access.trialId, dashboard, actor: { userId: null, role: null }, request: { ...request, via: 'system' } });
  return dashboard;
}
