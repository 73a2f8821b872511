import type { TRPCRouterRecord } from '@trpc/server';
import { createContentStore } from '@/imaging/storage/content-store';
import { requireLockedAnalysisPlan } from '../../domain/analysis-plan/load-analysis-plan';
import { writeAuditEvent } from '../../domain/audit/write-audit-event';
import { buildDsmbReports } from '../../domain/dsmb/build-dsmb-reports';
import { listDsmbRecommendations } from '../../domain/dsmb/list-dsmb-recommendations';
import { dsmbRecommendationInputSchema, recordDsmbRecommendation, DSMB_SIGNATURE_MEANING } from '../../domain/dsmb/record-dsmb-recommendation';
import { AppError } from '../../errors';
import { env } from '../../env';
import { trialProcedure } from '../../trpc';

/**
 * The data monitoring committee. Closed reports (by arm) go to DSMB members and to a statistician
 * whose membership is explicitly 'unblinded' (the independent reporting statistician); everyone else
 * on the trial team reads the open (pooled) report. Every view is audited with the report's hash.
 */
export const dsmbRouter = {
  closedReport: trialProcedure('dsmb', 'statistician').query(async ({ ctx }) => {
    if (ctx.user.role === 'statistician' && ctx.access.armAccess !== 'unblinded') {
      throw new AppError('FORBIDDEN_ROLE', 'Closed DSMB reports are for the committee and the unblinded reporting statistician; the trial statisticians stay blinded to results by arm.');
    }
    const plan = await requireLockedAnalysisPlan({ db: ctx.db, trialId: ctx.trial.id });
    const { closed } = await buildDsmbReports({ db: ctx.db, store: createContentStore(env().SEGTRIAL_STORAGE_ROOT), access: ctx.access, plan });
    await ctx.db.transaction((tx) =>
      writeAuditEvent({
        tx,
        actor: { userId: ctx.user.id, role: ctx.user.role },
        action: 'dsmb.closed_report_viewed',
        entityType: 'trial',
        entityId: ctx.trial.id,
        trialId: ctx.trial.id,
        after: { reportSha256: closed.reportSha256, dataSha256: closed.dataSha256, analysisPlanVersion: plan.version },
        request: ctx.request,
      }),
    );
    return { report: closed, signatureMeaning: DSMB_SIGNATURE_MEANING };
  }),

  openReport: trialProcedure('dsmb', 'statistician', 'monitor', 'admin').query(async ({ ctx }) => {
    const plan = await requireLockedAnalysisPlan({ db: ctx.db, trialId: ctx.trial.id });
    const { open } = await buildDsmbReports({ db: ctx.db, store: createContentStore(env().SEGTRIAL_STORAGE_ROOT), access: ctx.access, plan });
    await ctx.db.transaction((tx) =>
      writeAuditEvent({
        tx,
        actor: { userId: ctx.user.id, role: ctx.user.role },
        action: 'dsmb.open_report_viewed',
        entityType: 'trial',
        entityId: ctx.trial.id,
        trialId: ctx.trial.id,
        after: { reportSha256: open.reportSha256, analysisPlanVersion: plan.version },
        request: ctx.request,
      }),
    );
    return open;
  }),

  recommendations: trialProcedure('dsmb', 'statistician', 'monitor', 'admin').query(({ ctx }) => listDsmbRecommendations({ db: ctx.db, trialId: ctx.trial.id })),

  recordRecommendation: trialProcedure('dsmb')
    .input(dsmbRecommendationInputSchema)
    .mutation(async ({ ctx, input }) => {
      const plan = await requireLockedAnalysisPlan({ db: ctx.db, trialId: ctx.trial.id });
      const { closed } = await buildDsmbReports({ db: ctx.db, store: createContentStore(env().SEGTRIAL_STORAGE_ROOT), access: ctx.access, plan });
      const { trialId: _trialId, ...recommendation } = input;
      return recordDsmbRecommendation({ db: ctx.db, trialId: ctx.trial.id, plan, currentReportSha256: closed.reportSha256, input: recommendation, signer: ctx.user, request: ctx.request });
    }),
} satisfies TRPCRouterRecord;
