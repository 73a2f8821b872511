import { createHash } from 'node:crypto';
import type { DbOrTx } from '@/db/client';
import type { ContentStore } from '@/imaging/storage/content-store';
import type { AnalysisDataset } from '../analytics/analysis-dataset';
import { buildAnalysisDataset } from '../analytics/build-analysis-dataset';
import { computeInterimMonitoring } from '../analytics/compute-interim-monitoring';
import { computeSurvivalAnalytics } from '../analytics/compute-survival-analytics';
import type { LockedAnalysisPlan } from '../analysis-plan/load-analysis-plan';
import type { TrialAccess } from '../trials/trial-access';

/** Horizon of the RMST in the DSMB report, in months (as the statistician's report). */
const RMST_HORIZON_MONTHS = 12;

/** SHA-256 of a report's data (not the time it was built); non-finite numbers are written as text. */
export function reportSha256(data: unknown): string {
  const json = JSON.stringify(data, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? String(value) : value));
  return createHash('sha256').update(json).digest('hex');
}

function planReference(plan: LockedAnalysisPlan) {
  return { version: plan.version, contentSha256: plan.contentSha256, lockedAt: plan.lockedAt, signerName: plan.signerName };
}

/**
 * The interim reports of a data monitoring committee meeting, from one dataset and the analysis plan
 * in force:
 * - closed: by arm (unblinded) — randomized, withdrawals, losses, events and deaths per arm, the
 *   Kaplan–Meier curves, log-rank and Cox results of both endpoints, and the group-sequential look
 *   (observed information fraction, z, efficacy and non-binding futility boundaries, what they imply);
 * - open: pooled (no arm anywhere) — accrual by site, pooled events, follow-up completeness and the
 *   planned boundaries with the information reached, for the trial team and sponsor.
 * Each carries the SAP version and hash it follows and the SHA-256 of its data.
 */
export function dsmbReportsFromDataset({ dataset, plan }: { dataset: AnalysisDataset; plan: LockedAnalysisPlan }) {
  const { rows, arms } = dataset;
  const [armA, armB] = [arms[0]?.key ?? 'ai_assisted', arms[1]?.key ?? 'control'];
  const labelOf = (key: string) => arms.find((a) => a.key === key)?.label ?? key;
  const survival = computeSurvivalAnalytics({ rows, armA, armB, labelOf, horizonMonths: RMST_HORIZON_MONTHS });
  const interimPlan = plan.content.interim;
  const interim = computeInterimMonitoring({ plan: interimPlan, survival });
  const count = (pred: (r: (typeof rows)[number]) => boolean) => rows.filter(pred).length;
  const byArm = arms.map((a) => ({
    arm: a.key,
    label: a.label,
    randomized: count((r) => r.arm === a.key),
    withdrawn: count((r) => r.arm === a.key && r.withdrawn),
    lostToFollowUp: count((r) => r.arm === a.key && r.lostToFollowUp),
    withoutFollowUp: count((r) => r.arm === a.key && r.osDays === null),
    pfsEvents: count((r) => r.arm === a.key && r.pfsEvent === 1),
    deaths: count((r) => r.arm === a.key && r.osEvent === 1),
  }));
  const closedData = { kind: 'closed' as const, trial: dataset.trial, plan: planReference(plan), dataSha256: dataset.snapshot.sha256, arms: byArm, survival, interim };

  const primary = survival.find((s) => s.endpoint === interimPlan.endpoint);
  const events = primary?.events ?? 0;
  const nextLook = interim.design.looks.find((l) => events < Math.ceil(l.informationFraction * interim.maxEvents)) ?? null;
  const openData = {
    kind: 'open' as const,
    trial: dataset.trial,
    plan: planReference(plan),
    dataSha256: dataset.snapshot.sha256,
    randomized: rows.length,
    bySite: dataset.sites.map((s) => ({ site: s.code, name: s.name, randomized: count((r) => r.site === s.code) })),
    withdrawn: count((r) => r.withdrawn),
    lostToFollowUp: count((r) => r.lostToFollowUp),
    withoutFollowUp: count((r) => r.osDays === null),
    pooledEvents: { pfs: count((r) => r.pfsEvent === 1), os: count((r) => r.osEvent === 1) },
    information: {
      endpoint: interimPlan.endpoint,
      events,
      maxEvents: interim.maxEvents,
      fraction: interim.maxEvents > 0 ? events / interim.maxEvents : 0,
      nextLook: nextLook ? { look: nextLook.look, informationFraction: nextLook.informationFraction, eventsNeeded: Math.ceil(nextLook.informationFraction * interim.maxEvents) } : null,
    },
    // Planned boundaries only: they depend on the plan, not on the data by arm.
    boundaries: interim.design.looks.map((l) => ({
      look: l.look,
      informationFraction: l.informationFraction,
      efficacy: l.criticalValue,
      futility: l.futilityValue ?? null,
      cumulativeAlpha: l.cumulativeAlpha,
    })),
  };
  const builtAt = dataset.snapshot.builtAt;
  return {
    closed: { ...closedData, builtAt, reportSha256: reportSha256(closedData) },
    open: { ...openData, builtAt, reportSha256: reportSha256(openData) },
  };
}

/** Builds the dataset the caller may see and both reports from it (see dsmbReportsFromDataset). */
export async function buildDsmbReports({ db, store, access, plan }: { db: DbOrTx; store: ContentStore; access: TrialAccess; plan: LockedAnalysisPlan }) {
  const dataset = await buildAnalysisDataset({ db, store, access });
  return dsmbReportsFromDataset({ dataset, plan });
}

export type DsmbReports = ReturnType<typeof dsmbReportsFromDataset>;
export type ClosedDsmbReport = DsmbReports['closed'];
export type OpenDsmbReport = DsmbReports['open'];
