import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { listTrialsForUser } from '../../domain/trials/list-trials-for-user';
import { authedProcedure } from '../../trpc';
import { AppError } from '../../errors';

export const trialsRouter = {
  /** Trials the caller belongs to, with the sites visible to them. */
  list: authedProcedure.query(({ ctx }) => listTrialsForUser({ db: ctx.db, user: ctx.user })),

  /** One trial; NOT_FOUND when the caller has no membership in it. */
  get: authedProcedure.input(z.object({ trialId: z.uuid() })).query(async ({ ctx, input }) => {
    const trial = (await listTrialsForUser({ db: ctx.db, user: ctx.user })).find((t) => t.id === input.trialId);
    if (!trial) throw new AppError('NOT_FOUND', 'Trial not found.');
    return trial;
  }),
} satisfies TRPCRouterRecord;
