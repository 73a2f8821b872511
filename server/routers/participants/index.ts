import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { EVENT_REASONS, EXCLUSION_REASONS, PARTICIPANT_EVENT_KINDS, type ExclusionReason } from '@/db/schema';
import { enrollParticipant, enrollParticipantInputSchema } from '../../domain/enrollment/enroll-participant';
import { listParticipants } from '../../domain/enrollment/list-participants';
import { recordEligibilityWaiver } from '../../domain/enrollment/record-eligibility-waiver';
import { randomizeParticipant } from '../../domain/enrollment/randomize-participant';
import { excludeParticipant, recordParticipantEvent } from '../../domain/enrollment/record-participant-event';
import { unblindParticipant } from '../../domain/enrollment/unblind-participant';
import { roleSeesArms } from '../../domain/enrollment/arm-visibility';
import { roleProcedure, trialProcedure } from '../../trpc';

const participantInput = z.object({ participantId: z.uuid() });

export const participantsRouter = {
  enroll: trialProcedure('coordinator')
    .input(enrollParticipantInputSchema)
    .mutation(async ({ ctx, input }) => {
      const row = await enrollParticipant({ db: ctx.db, access: ctx.access, input, actor: ctx.actor, request: ctx.request });
      return { id: row.id, studyId: row.studyId, status: row.status };
    }),

  list: trialProcedure('coordinator', 'statistician', 'monitor', 'admin').query(({ ctx }) => listParticipants({ db: ctx.db, access: ctx.access, user: ctx.user })),

  /**
   * Randomizes once. A repeated request returns the original allocation. The arm is returned only
   * to those who may see it; a blinded coordinator learns that the patient is randomized.
   */
  randomize: trialProcedure('coordinator')
    .input(participantInput)
    .mutation(async ({ ctx, input }) => {
      const { allocation, created } = await randomizeParticipant({ db: ctx.db, access: ctx.access, participantId: input.participantId, actor: ctx.actor, request: ctx.request });
      const seesArm = roleSeesArms(ctx.user.role, ctx.design, ctx.access);
      return { participantId: allocation.participantId, randomized: true as const, created, allocatedAt: allocation.allocatedAt, arm: seesArm ? allocation.arm : null };
    }),

  /** A signed waiver of the participant's failed eligibility criteria, where the protocol allows it. */
  waiveEligibility: trialProcedure('coordinator')
    .input(
      participantInput.extend({
        reason: z.string().min(10, 'state the reason for the waiver (at least 10 characters)').max(1000),
        password: z.string().min(1, 're-enter your password to sign').max(256),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const waiver = await recordEligibilityWaiver({
        db: ctx.db,
        access: ctx.access,
        participantId: input.participantId,
        reason: input.reason,
        password: input.password,
        signer: ctx.user,
        request: ctx.request,
      });
      return { id: waiver.id, criteria: waiver.criteria, waivedAt: waiver.waivedAt };
    }),

  exclude: trialProcedure('coordinator')
    .input(participantInput.extend({ reason: z.enum(Object.keys(EXCLUSION_REASONS) as [ExclusionReason, ...ExclusionReason[]]), note: z.string().max(500).optional() }))
    .mutation(({ ctx, input }) =>
      excludeParticipant({ db: ctx.db, access: ctx.access, participantId: input.participantId, reason: input.reason, note: input.note, actor: ctx.actor, request: ctx.request }),
    ),

  recordEvent: trialProcedure('coordinator')
    .input(participantInput.extend({ kind: z.enum(PARTICIPANT_EVENT_KINDS), reason: z.string().min(1).max(40), note: z.string().max(500).optional(), occurredOn: z.iso.date() }))
    .mutation(async ({ ctx, input }) => {
      const row = await recordParticipantEvent({ db: ctx.db, access: ctx.access, ...input, actor: ctx.actor, request: ctx.request });
      return { id: row.id };
    }),

  /** Emergency unblinding with a reason: returns the arm to the caller, logged and shown to monitors. */
  unblind: trialProcedure('coordinator', 'admin')
    .input(participantInput.extend({ reason: z.string().min(10, 'state the clinical reason (at least 10 characters)').max(1000) }))
    .mutation(({ ctx, input }) => unblindParticipant({ db: ctx.db, access: ctx.access, participantId: input.participantId, reason: input.reason, actor: ctx.actor, request: ctx.request })),

  /** The reason categories the forms offer (and CONSORT lists). */
  reasonCatalogue: roleProcedure('coordinator', 'statistician', 'monitor', 'admin').query(() => ({ exclusion: EXCLUSION_REASONS, events: EVENT_REASONS })),
} satisfies TRPCRouterRecord;
