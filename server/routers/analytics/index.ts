import type { TRPCRouterRecord } from '@trpc/server';
import { createContentStore } from '@/imaging/storage/content-store';
import { primaryOutcomeType } from '../../domain/analysis-plan/analysis-plan-content';
import { loadTrialAnalytics } from '../../domain/analytics/load-trial-analytics';
import { requireAnalyticsPlan } from '../../domain/analytics/require-analytics-plan';
import { aiReportingChecklists, checklistCsv } from '../../domain/reporting/ai-reporting-checklists';
import { loadAiReportingCounts } from '../../domain/reporting/load-ai-reporting-facts';
import { env } from '../../env';
import { trialProcedure } from '../../trpc';

/** Who reads analytics: statisticians, monitors and admins (never clinicians or coordinators: arms by outcome unblind). */
export const ANALYTICS_ROLES = ['statistician', 'monitor', 'admin'] as const;

export const analyticsRouter = {
  /** The full report of a trial (figures, tables, methods, CONSORT) with the snapshot it was computed from. */
  report: trialProcedure(...ANALYTICS_ROLES).query(async ({ ctx }) => {
    // Per-arm analysis unblinds (a blinded monitor gets none), and arms are compared only under a locked, signed analysis plan.
    const { plan, settings } = await requireAnalyticsPlan({ db: ctx.db, role: ctx.user.role, access: ctx.access, design: ctx.design });
    const { report, consort, tables, methods } = await loadTrialAnalytics({ db: ctx.db, store: createContentStore(env().SEGTRIAL_STORAGE_ROOT), access: ctx.access, user: ctx.user, settings });
    const analysisPlan = {
      version: plan.version,
      contentSha256: plan.contentSha256,
      lockedAt: plan.lockedAt,
      signerName: plan.signerName,
      primaryOutcome: plan.content.primaryOutcome,
      primaryOutcomeType: primaryOutcomeType(plan.content),
    };
    return { report, consort, tables, methods, analysisPlan };
  }),

  /** CONSORT-AI and SPIRIT-AI items filled from the platform's records, each with its source (or marked missing), and as CSV. */
  checklists: trialProcedure(...ANALYTICS_ROLES).query(async ({ ctx }) => {
    const { plan, settings } = await requireAnalyticsPlan({ db: ctx.db, role: ctx.user.role, access: ctx.access, design: ctx.design });
    const { report } = await loadTrialAnalytics({ db: ctx.db, store: createContentStore(env().SEGTRIAL_STORAGE_ROOT), access: ctx.access, user: ctx.user, settings });
    const counts = await loadAiReportingCounts({ db: ctx.db, trialId: ctx.access.trialId });
    const lists = aiReportingChecklists({ report, design: ctx.design, ...counts, analysisPlan: { version: plan.version, contentSha256: plan.contentSha256 } });
    return {
      ...lists,
      csv: { consortAi: checklistCsv(lists.consortAi), spiritAi: checklistCsv(lists.spiritAi) },
      analysisPlan: { version: plan.version, contentSha256: plan.contentSha256, lockedAt: plan.lockedAt, signerName: plan.signerName },
    };
  }),
} satisfies TRPCRouterRecord;
