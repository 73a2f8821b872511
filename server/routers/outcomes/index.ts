import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { listCurrentOutcomes, listOutcomeHistory } from '../../domain/outcomes/list-current-outcomes';
import { followUpOutcomeInputSchema, recordFollowUpOutcome } from '../../domain/outcomes/record-follow-up-outcome';
import { followUpVisitInputSchema, recordFollowUpVisit } from '../../domain/outcomes/record-follow-up-visit';
import { listFollowUpVisits } from '../../domain/outcomes/list-follow-up-visits';
import { resolveTrialAccess } from '../../domain/trials/trial-access';
import { roleProcedure } from '../../trpc';

const actorOf = (ctx: { user: { id: string; role: string } }) => ({ userId: ctx.user.id, role: ctx.user.role });

/**
 * Follow-up outcomes (the reference standard). Coordinators record them for their sites; the
 * analysis roles read them. Clinicians never see them: the reference would unblind their reading.
 */
export const outcomesRouter = {
  record: roleProcedure('coordinator', 'admin')
    .input(followUpOutcomeInputSchema.extend({ trialId: z.uuid(), participantId: z.uuid() }))
    .mutation(async ({ ctx, input: { trialId, participantId, ...input } }) => {
      const access = await resolveTrialAccess({ db: ctx.db, user: ctx.user, trialId });
      const row = await recordFollowUpOutcome({ db: ctx.db, access, participantId, input, actor: actorOf(ctx), request: ctx.request });
      return { id: row.id, supersedesId: row.supersedesId, recordedAt: row.recordedAt };
    }),

  list: roleProcedure('coordinator', 'statistician', 'monitor', 'admin')
    .input(z.object({ trialId: z.uuid() }))
    .query(async ({ ctx, input }) => {
      const access = await resolveTrialAccess({ db: ctx.db, user: ctx.user, trialId: input.trialId });
      const rows = await listCurrentOutcomes({ db: ctx.db, access });
      return rows.map((r) => ({ ...r.outcome, studyId: r.studyId, siteId: r.siteId }));
    }),

  /** A follow-up contact (vital status, progression with date and basis) for the survival analyses. */
  recordVisit: roleProcedure('coordinator', 'admin')
    .input(followUpVisitInputSchema.extend({ trialId: z.uuid(), participantId: z.uuid() }))
    .mutation(async ({ ctx, input: { trialId, participantId, ...input } }) => {
      const access = await resolveTrialAccess({ db: ctx.db, user: ctx.user, trialId });
      const row = await recordFollowUpVisit({ db: ctx.db, access, participantId, input, actor: actorOf(ctx), request: ctx.request });
      return { id: row.id, supersedesId: row.supersedesId, recordedAt: row.recordedAt };
    }),

  /** Every follow-up contact of one participant, oldest first, with the ids that supersede. */
  visits: roleProcedure('coordinator', 'statistician', 'monitor', 'admin')
    .input(z.object({ trialId: z.uuid(), participantId: z.uuid() }))
    .query(async ({ ctx, input }) => {
      const access = await resolveTrialAccess({ db: ctx.db, user: ctx.user, trialId: input.trialId });
      return listFollowUpVisits({ db: ctx.db, access, participantId: input.participantId });
    }),

  history: roleProcedure('coordinator', 'statistician', 'monitor', 'admin')
    .input(z.object({ trialId: z.uuid(), participantId: z.uuid() }))
    .query(async ({ ctx, input }) => {
      const access = await resolveTrialAccess({ db: ctx.db, user: ctx.user, trialId: input.trialId });
      return listOutcomeHistory({ db: ctx.db, access, participantId: input.participantId });
    }),
} satisfies TRPCRouterRecord;
