import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { listAnalysisPlans } from '../../domain/analysis-plan/load-analysis-plan';
import { ANALYSIS_PLAN_SIGNATURE_MEANING, lockAnalysisPlan } from '../../domain/analysis-plan/lock-analysis-plan';
import { trialProcedure } from '../../trpc';

/**
 * The statistical analysis plan. The statistician locks and signs it (and its amendments); the
 * roles that read analyses (and the DSMB) see every version. It holds no data by arm.
 */
export const analysisPlanRouter = {
  versions: trialProcedure('statistician', 'monitor', 'admin', 'dsmb').query(async ({ ctx }) => ({
    versions: await listAnalysisPlans({ db: ctx.db, trialId: ctx.trial.id }),
    signatureMeaning: ANALYSIS_PLAN_SIGNATURE_MEANING,
  })),

  lock: trialProcedure('statistician')
    .input(z.object({ content: z.unknown(), amendmentReason: z.string().max(2000).nullable(), password: z.string().min(1).max(1000) }))
    .mutation(({ ctx, input }) =>
      lockAnalysisPlan({ db: ctx.db, trialId: ctx.trial.id, content: input.content, amendmentReason: input.amendmentReason, password: input.password, signer: ctx.user, request: ctx.request }),
    ),
} satisfies TRPCRouterRecord;
