import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { createContentStore } from '../../../imaging/storage/content-store';
import { primaryOutcomeType } from '../../domain/analysis-plan/analysis-plan-content';
import { requireLockedAnalysisPlan } from '../../domain/analysis-plan/load-analysis-plan';
import { DEFAULT_ANALYTICS_SETTINGS } from '../../domain/analytics/compute-trial-analytics';
import { loadTrialAnalytics } from '../../domain/analytics/load-trial-analytics';
import { aiReportingChecklists, checklistCsv } from '../../domain/reporting/ai-reporting-checklists';
import { loadAiReportingCounts } from '../../domain/reporting/load-ai-reporting-facts';
import { assertSeesAllocations } from '../../domain/enrollment/arm-visibility';
import { loadTrial } from '../../domain/trials/load-trial';
import { resolveTrialAccess } from '../../domain/trials/trial-access';
import { parseTrialDesign } from '../../domain/trials/trial-design';
import { env } from '../../env';
import { roleProcedure } from '../../trpc';

/** Who reads analytics: statisticians, monitors and admins (never clinicians or coordinators: arms by outcome unblind). */
export const ANALYTICS_ROLES = ['statistician', 'monitor', 'admin'] as const;

export const analyticsRouter = {
  /** The full report of a trial (figures, tables, methods, CONSORT) with the snapshot it was computed from. */
  report: roleProcedure(...ANALYTICS_ROLES)
    .input(z.object({ trialId: z.uuid() }))
    .query(async ({ ctx, input }) => {
      const access = await resolveTrialAccess({ db: ctx.db, user: ctx.user, trialId: input.trialId });
      // Per-arm analysis unblinds: a reader blinded in this trial (e.g. a blinded monitor) gets none.
      const trial = await loadTrial(ctx.db, input.trialId);
      assertSeesAllocations(ctx.user.role, trial.design ? parseTrialDesign(trial.design) : null, access);
      // Arms are compared only under a locked, signed analysis plan; its interim plan drives the monitoring.
      const plan = await requireLockedAnalysisPlan({ db: ctx.db, trialId: input.trialId });
      const settings = { ...DEFAULT_ANALYTICS_SETTINGS, interim: plan.content.interim };
      const { report, consort, tables, methods } = await loadTrialAnalytics({ db: ctx.db, store: createContentStore(env().SEGTRIAL_STORAGE_ROOT), access, user: ctx.user, settings });
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
  checklists: roleProcedure(...ANALYTICS_ROLES)
    .input(z.object({ trialId: z.uuid() }))
    .query(async ({ ctx, input }) => {
      const access = await resolveTrialAccess({ db: ctx.db, user: ctx.user, trialId: input.trialId });
      const trial = await loadTrial(ctx.db, input.trialId);
      const design = trial.design ? parseTrialDesign(trial.design) : null;
      assertSeesAllocations(ctx.user.role, design, access);
      const plan = await requireLockedAnalysisPlan({ db: ctx.db, trialId: input.trialId });
      const settings = { ...DEFAULT_ANALYTICS_SETTINGS, interim: plan.content.interim };
      const { report } = await loadTrialAnalytics({ db: ctx.db, store: createContentStore(env().SEGTRIAL_STORAGE_ROOT), access, user: ctx.user, settings });
      const counts = await loadAiReportingCounts({ db: ctx.db, trialId: input.trialId });
      const lists = aiReportingChecklists({ report, design, ...counts, analysisPlan: { version: plan.version, contentSha256: plan.contentSha256 } });
      return {
        ...lists,
        csv: { consortAi: checklistCsv(lists.consortAi), spiritAi: checklistCsv(lists.spiritAi) },
        analysisPlan: { version: plan.version, contentSha256: plan.contentSha256, lockedAt: plan.lockedAt, signerName: plan.signerName },
      };
    }),
} satisfies TRPCRouterRecord;
