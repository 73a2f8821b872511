import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { listCurrentOutcomes, listOutcomeHistory } from '../../domain/outcomes/list-current-outcomes';
import { followUpOutcomeInputSchema, recordFollowUpOutcome } from '../../domain/outcomes/record-follow-up-outcome';
import { followUpVisitInputSchema, recordFollowUpVisit } from '../../domain/outcomes/record-follow-up-visit';
import { listFollowUpVisits } from '../../domain/outcomes/list-follow-up-visits';
import { trialProcedure } from '../../trpc';

/**
 * Follow-up outcomes (the reference standard). Coordinators record them for their sites; the
 * analysis roles read them. Clinicians never see them: the reference would unblind their reading.
 */
export const outcomesRouter = {
  record: trialProcedure('coordinator', 'admin')
    .input(followUpOutcomeInputSchema.extend({ participantId: z.uuid() }))
    .mutation(async ({ ctx, input: { trialId: _trialId, participantId, ...input } }) => {
      const row = await recordFollowUpOutcome({ db: ctx.db, access: ctx.access, participantId, input, actor: ctx.actor, request: ctx.request });
      return { id: row.id, supersedesId: row.supersedesId, recordedAt: row.recordedAt };
    }),

  list: trialProcedure('coordinator', 'statistician', 'monitor', 'admin').query(async ({ ctx }) => {
    const rows = await listCurrentOutcomes({ db: ctx.db, access: ctx.access });
    return rows.map((r) => ({ ...r.outcome, studyId: r.studyId, siteId: r.siteId }));
  }),

  /** A follow-up contact (vital status, progression with date and basis) for the survival analyses. */
  recordVisit: trialProcedure('coordinator', 'admin')
    .input(followUpVisitInputSchema.extend({ participantId: z.uuid() }))
    .mutation(async ({ ctx, input: { trialId: _trialId, participantId, ...input } }) => {
      const row = await recordFollowUpVisit({ db: ctx.db, access: ctx.access, participantId, input, actor: ctx.actor, request: ctx.request });
      return { id: row.id, supersedesId: row.supersedesId, recordedAt: row.recordedAt };
    }),

  /** Every follow-up contact of one participant, oldest first, with the ids that supersede. */
  visits: trialProcedure('coordinator', 'statistician', 'monitor', 'admin')
    .input(z.object({ participantId: z.uuid() }))
    .query(({ ctx, input }) => listFollowUpVisits({ db: ctx.db, access: ctx.access, participantId: input.participantId })),

  history: trialProcedure('coordinator', 'statistician', 'monitor', 'admin')
    .input(z.object({ participantId: z.uuid() }))
    .query(({ ctx, input }) => listOutcomeHistory({ db: ctx.db, access: ctx.access, participantId: input.participantId })),
} satisfies TRPCRouterRecord;
