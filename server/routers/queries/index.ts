import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { QUERY_STATUSES } from '../../../db/schema';
import { answerQuery, closeQuery, listQueries, raiseQuery, verifySource } from '../../domain/queries/data-queries';
import { loadSourceData } from '../../domain/queries/load-source-data';
import { resolveTrialAccess } from '../../domain/trials/trial-access';
import { roleProcedure } from '../../trpc';

const actorOf = (ctx: { user: { id: string; role: string } }) => ({ userId: ctx.user.id, role: ctx.user.role });
const record = { participantId: z.uuid(), entityType: z.enum(['participant', 'eligibility', 'outcome', 'decision', 'study']).default('participant'), entityId: z.uuid().nullable().default(null) };

/** Data queries (monitor raises and closes, site coordinators answer) and source data verification. */
export const queriesRouter = {
  list: roleProcedure('monitor', 'coordinator', 'admin')
    .input(z.object({ trialId: z.uuid(), participantId: z.uuid().optional(), status: z.enum(QUERY_STATUSES).optional() }))
    .query(async ({ ctx, input }) =>
      listQueries({ db: ctx.db, access: await resolveTrialAccess({ db: ctx.db, user: ctx.user, trialId: input.trialId }), participantId: input.participantId, status: input.status }),
    ),

  raise: roleProcedure('monitor')
    .input(z.object({ trialId: z.uuid(), ...record, field: z.string().max(80).nullable().default(null), question: z.string().min(5).max(2000) }))
    .mutation(async ({ ctx, input }) => {
      const access = await resolveTrialAccess({ db: ctx.db, user: ctx.user, trialId: input.trialId });
      const row = await raiseQuery({
        db: ctx.db,
        access,
        participantId: input.participantId,
        entityType: input.entityType,
        entityId: input.entityId,
        field: input.field,
        question: input.question,
        actor: actorOf(ctx),
        request: ctx.request,
      });
      return { id: row.id, status: row.status };
    }),

  answer: roleProcedure('coordinator')
    .input(z.object({ trialId: z.uuid(), queryId: z.uuid(), answer: z.string().min(2).max(2000) }))
    .mutation(async ({ ctx, input }) =>
      answerQuery({
        db: ctx.db,
        access: await resolveTrialAccess({ db: ctx.db, user: ctx.user, trialId: input.trialId }),
        queryId: input.queryId,
        answer: input.answer,
        actor: actorOf(ctx),
        request: ctx.request,
      }),
    ),

  close: roleProcedure('monitor')
    .input(z.object({ trialId: z.uuid(), queryId: z.uuid(), note: z.string().max(1000).nullable().default(null) }))
    .mutation(async ({ ctx, input }) =>
      closeQuery({
        db: ctx.db,
        access: await resolveTrialAccess({ db: ctx.db, user: ctx.user, trialId: input.trialId }),
        queryId: input.queryId,
        note: input.note,
        actor: actorOf(ctx),
        request: ctx.request,
      }),
    ),

  /** Source data verification progress per participant; with participantId, that participant's data points and who verified each. */
  sourceData: roleProcedure('monitor', 'coordinator', 'admin')
    .input(z.object({ trialId: z.uuid(), participantId: z.uuid().optional() }))
    .query(async ({ ctx, input }) => loadSourceData({ db: ctx.db, access: await resolveTrialAccess({ db: ctx.db, user: ctx.user, trialId: input.trialId }), participantId: input.participantId })),

  verifySource: roleProcedure('monitor')
    .input(z.object({ trialId: z.uuid(), ...record, field: z.string().min(1).max(80), note: z.string().max(500).nullable().default(null) }))
    .mutation(async ({ ctx, input }) =>
      verifySource({
        db: ctx.db,
        access: await resolveTrialAccess({ db: ctx.db, user: ctx.user, trialId: input.trialId }),
        participantId: input.participantId,
        entityType: input.entityType,
        entityId: input.entityId,
        field: input.field,
        note: input.note,
        actor: actorOf(ctx),
        request: ctx.request,
      }),
    ),
} satisfies TRPCRouterRecord;
