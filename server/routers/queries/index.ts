import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { QUERY_STATUSES } from '@/db/schema';
import { answerQuery, closeQuery, listQueries, raiseQuery, verifySource } from '../../domain/queries/data-queries';
import { loadSourceData } from '../../domain/queries/load-source-data';
import { trialProcedure } from '../../trpc';

const record = { participantId: z.uuid(), entityType: z.enum(['participant', 'eligibility', 'outcome', 'decision', 'study']).default('participant'), entityId: z.uuid().nullable().default(null) };

/** Data queries (monitor raises and closes, site coordinators answer) and source data verification. */
export const queriesRouter = {
  list: trialProcedure('monitor', 'coordinator', 'admin')
    .input(z.object({ participantId: z.uuid().optional(), status: z.enum(QUERY_STATUSES).optional() }))
    .query(({ ctx, input }) => listQueries({ db: ctx.db, access: ctx.access, participantId: input.participantId, status: input.status })),

  raise: trialProcedure('monitor')
    .input(z.object({ ...record, field: z.string().max(80).nullable().default(null), question: z.string().min(5).max(2000) }))
    .mutation(async ({ ctx, input }) => {
      const row = await raiseQuery({
        db: ctx.db,
        access: ctx.access,
        participantId: input.participantId,
        entityType: input.entityType,
        entityId: input.entityId,
        field: input.field,
        question: input.question,
        actor: ctx.actor,
        request: ctx.request,
      });
      return { id: row.id, status: row.status };
    }),

  answer: trialProcedure('coordinator')
    .input(z.object({ queryId: z.uuid(), answer: z.string().min(2).max(2000) }))
    .mutation(({ ctx, input }) =>
      answerQuery({
        db: ctx.db,
        access: ctx.access,
        queryId: input.queryId,
        answer: input.answer,
        actor: ctx.actor,
        request: ctx.request,
      }),
    ),

  close: trialProcedure('monitor')
    .input(z.object({ queryId: z.uuid(), note: z.string().max(1000).nullable().default(null) }))
    .mutation(({ ctx, input }) =>
      closeQuery({
        db: ctx.db,
        access: ctx.access,
        queryId: input.queryId,
        note: input.note,
        actor: ctx.actor,
        request: ctx.request,
      }),
    ),

  /** Source data verification progress per participant; with participantId, that participant's data points and who verified each. */
  sourceData: trialProcedure('monitor', 'coordinator', 'admin')
    .input(z.object({ participantId: z.uuid().optional() }))
    .query(({ ctx, input }) => loadSourceData({ db: ctx.db, access: ctx.access, participantId: input.participantId })),

  verifySource: trialProcedure('monitor')
    .input(z.object({ ...record, field: z.string().min(1).max(80), note: z.string().max(500).nullable().default(null) }))
    .mutation(({ ctx, input }) =>
      verifySource({
        db: ctx.db,
        access: ctx.access,
        participantId: input.participantId,
        entityType: input.entityType,
        entityId: input.entityId,
        field: input.field,
        note: input.note,
        actor: ctx.actor,
        request: ctx.request,
      }),
    ),
} satisfies TRPCRouterRecord;
