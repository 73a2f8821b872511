import { and, desc, eq, inArray, isNull, or } from 'drizzle-orm';
import type { Database, DbOrTx } from '@/db/client';
import { oversightAlerts, sites } from '@/db/schema';
import { AppError } from '../../errors';
import { writeAuditEvent, type AuditActor, type RequestMetadata } from '../audit/write-audit-event';
import { assertSiteVisible, type TrialAccess } from '../trials/trial-access';
import type { OversightChart, OversightChartPoint, OversightDashboard } from './build-oversight-dashboard';
import { OVERSIGHT_METRICS, type OversightMetric } from './oversight-metrics';

/** What an alert keeps as evidence: the chart's method and limits and the points of the excursion. */
export interface OversightAlertEvidence {
  readonly metric: OversightMetric;
  readonly label: string;
  readonly siteLabel: string;
  readonly method: 'EWMA';
  readonly lambda: number;
  readonly criticalValue: number;
  readonly inControlArl: number;
  readonly baseline: { readonly count: number; readonly mean: number; readonly sd: number };
  readonly lowerLimit: number;
  readonly upperLimit: number;
  readonly direction: 'high' | 'low';
  /** The excursion's points (studyId null where naming the case would reveal its arm). */
  readonly points: readonly OversightChartPoint[];
}

/** The first point of each run of consecutive signals: one excursion, one alert. */
function excursions(chart: OversightChart): { start: OversightChartPoint; points: OversightChartPoint[] }[] {
  if (chart.chart.status !== 'charted') return [];
  const runs: { start: OversightChartPoint; points: OversightChartPoint[] }[] = [];
  let current: OversightChartPoint[] | null = null;
  for (const point of chart.chart.points) {
    if (point.signal) {
      if (current && current[0]?.signal === point.signal) current.push(point);
      else runs.push({ start: point, points: (current = [point]) });
    } else current = null;
  }
  return runs;
}

/**
 * Turns every excursion of the dashboard's charts into an alert, once: the detection key (trial,
 * site, metric and the excursion's first time point) is unique, so computing the dashboard again
 * raises nothing new until a new excursion starts. Each new alert is audited in its transaction.
 * Returns the number of alerts raised.
 */
export async function recordOversightAlerts({
  db,
  trialId,
  dashboard,
  actor,
  request,
}: {
  db: Database;
  trialId: string;
  dashboard: OversightDashboard;
  actor: AuditActor;
  request: RequestMetadata;
}): Promise<number> {
  let raised = 0;
  for (const chart of dashboard.charts) {
    if (chart.chart.status !== 'charted') continue;
    const { lambda, criticalValue, inControlArl, baseline, lowerLimit, upperLimit } = chart.chart;
    for (const run of excursions(chart)) {
      const evidence: OversightAlertEvidence = {
        metric: chart.metric,
        label: OVERSIGHT_METRICS[chart.metric].label,
        siteLabel: chart.siteLabel,
        method: 'EWMA',
        lambda,
        criticalValue,
        inControlArl,
        baseline,
        lowerLimit,
        upperLimit,
        direction: run.start.signal as 'high' | 'low',
        points: run.points,
      };
      const detectionKey = `${trialId}:${chart.siteId ?? 'all'}:${chart.metric}:${run.start.signal}:${run.start.observedAt}`;
      const created = await db.transaction(async (tx) => {
        const [row] = await tx
          .insert(oversightAlerts)
          .values({ trialId, siteId: chart.siteId, metric: chart.metric, detectionKey, evidence, observedAt: new Date(run.start.observedAt) })
          .onConflictDoNothing({ target: oversightAlerts.detectionKey })
          .returning({ id: oversightAlerts.id });
        if (!row) return false;
        await writeAuditEvent({
          tx,
          actor,
          action: 'oversight.alert_raised',
          entityType: 'oversight_alert',
          entityId: row.id,
          trialId,
          after: { metric: chart.metric, site: chart.siteLabel, direction: evidence.direction, observedAt: run.start.observedAt, limits: [lowerLimit, upperLimit] },
          request,
        });
        return true;
      });
      if (created) raised += 1;
    }
  }
  return raised;
}

/** Alerts of a trial the caller may see (pooled ones and their sites'), newest first. */
export async function listOversightAlerts({ db, access }: { db: DbOrTx; access: TrialAccess }) {
  const visible = access.siteIds === null ? undefined : or(isNull(oversightAlerts.siteId), access.siteIds.length ? inArray(oversightAlerts.siteId, [...access.siteIds]) : undefined);
  const rows = await db
    .select({ alert: oversightAlerts, siteCode: sites.code })
    .from(oversightAlerts)
    .leftJoin(sites, eq(sites.id, oversightAlerts.siteId))
    .where(and(eq(oversightAlerts.trialId, access.trialId), visible))
    .orderBy(desc(oversightAlerts.observedAt));
  return rows.map(({ alert, siteCode }) => ({
    id: alert.id,
    metric: alert.metric,
    site: siteCode ?? 'all sites',
    observedAt: alert.observedAt,
    createdAt: alert.createdAt,
    evidence: alert.evidence as OversightAlertEvidence,
    acknowledgedAt: alert.acknowledgedAt,
    acknowledgementComment: alert.acknowledgementComment,
  }));
}

/**
 * A monitor's or admin's acknowledgement of an alert, with a comment saying what was looked at and
 * done. Written once: a second acknowledgement is refused (INVALID_STATE), as is one of an alert
 * outside the caller's sites (NOT_FOUND).
 */
export async function acknowledgeOversightAlert({
  db,
  access,
  alertId,
  comment,
  actor,
  request,
}: {
  db: Database;
  access: TrialAccess;
  alertId: string;
  comment: string;
  actor: AuditActor & { userId: string };
  request: RequestMetadata;
}) {
  const text = comment.trim();
  if (text.length < 5) throw new AppError('INVALID_INPUT', 'Say what you checked and decided (at least 5 characters).', { field: 'comment' });
  return db.transaction(async (tx) => {
    const [alert] = await tx
      .select()
      .from(oversightAlerts)
      .where(and(eq(oversightAlerts.id, alertId), eq(oversightAlerts.trialId, access.trialId)))
      .for('update');
    if (!alert) throw new AppError('NOT_FOUND', 'Alert not found.');
    if (alert.siteId) assertSiteVisible(access, alert.siteId, 'Alert');
    if (alert.acknowledgedAt) throw new AppError('INVALID_STATE', `This alert was already acknowledged on ${alert.acknowledgedAt.toISOString()}.`);
    const acknowledgedAt = new Date();
    await tx
      .update(oversightAlerts)
      .set({ acknowledgedBy: actor.userId, acknowledgedAt, acknowledgementComment: text })
      .where(and(eq(oversightAlerts.id, alertId), isNull(oversightAlerts.acknowledgedAt)));
    await writeAuditEvent({
      tx,
      actor,
      action: 'oversight.alert_acknowledged',
      entityType: 'oversight_alert',
      entityId: alertId,
      trialId: access.trialId,
      before: { acknowledgedAt: null },
      after: { acknowledgedAt: acknowledgedAt.toISOString(), comment: text },
      request,
    });
    return { id: alertId, acknowledgedAt };
  });
}
