import type { TRPCRouterRecord } from '@trpc/server';
import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { sites } from '@/db/schema';
import { loadDesignSimulations } from '../../domain/randomization-simulation/load-design-simulations';
import { runDesignSimulation } from '../../domain/randomization-simulation/run-design-simulation';
import { simulateRandomization } from '../../domain/randomization-simulation/simulate-randomization';
import { AppError } from '../../errors';
import { trialProcedure } from '../../trpc';

/** Checks of a trial's randomization design before go-live. Reveals no allocation: it simulates fresh seeds. */
export const randomizationDesignRouter = {
  /** Monte Carlo of the configured method at the target size (imbalance, predictability); see simulateRandomization. */
  simulate: trialProcedure('coordinator', 'statistician', 'admin')
    .input(z.object({ replicates: z.number().int().min(10).max(1000).default(200), participants: z.number().int().min(2).max(5000).optional() }))
    .query(async ({ ctx, input }) => {
      if (!ctx.design) throw new AppError('INVALID_STATE', 'The trial has no design yet: save one before simulating its randomization.');
      const rows = await ctx.db.select({ code: sites.code }).from(sites).where(eq(sites.trialId, ctx.trial.id)).orderBy(asc(sites.code));
      return simulateRandomization({
        params: ctx.design.randomization,
        participants: input.participants ?? ctx.design.targetSampleSize,
        sites: rows.map((s) => s.code),
        replicates: input.replicates,
        seed: `design-check/${ctx.trial.id}`,
      });
    }),
  /** Runs the simulation on the saved design and keeps it (audited): go-live commits the latest run on the committed design beside the seed. */
  run: trialProcedure('coordinator', 'statistician', 'admin')
    .input(z.object({ replicates: z.number().int().min(10).max(1000).default(200), participants: z.number().int().min(2).max(5000).optional() }))
    .mutation(({ ctx, input }) => runDesignSimulation({ db: ctx.db, trialId: ctx.trial.id, replicates: input.replicates, participants: input.participants, actor: ctx.actor, request: ctx.request })),
  /** The latest kept run, whether it was run on the design as saved, and the run the live commitment carries. */
  stored: trialProcedure('coordinator', 'statistician', 'admin').query(({ ctx }) => loadDesignSimulations({ db: ctx.db, trialId: ctx.trial.id })),
} satisfies TRPCRouterRecord;
