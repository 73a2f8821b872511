import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { EVENT_REASONS, EXCLUSION_REASONS, PARTICIPANT_EVENT_KINDS, type ExclusionReason } from '../../../db/schema';
import { enrollParticipant, enrollParticipantInputSchema } from '../../domain/enrollment/enroll-participant';
import { listParticipants } from '../../domain/enrollment/list-participants';
import { recordEligibilityWaiver } from '../../domain/enrollment/record-eligibility-waiver';
import { randomizeParticipant } from '../../domain/enrollment/randomize-participant';
import { excludeParticipant, recordParticipantEvent } from '../../domain/enrollment/record-participant-event';
import { unblindParticipant } from '../../domain/enrollment/unblind-participant';
import { roleSeesArms } from '../../domain/enrollment/arm-visibility';
import { loadTrial } from '../../domain/trials/load-trial';
import { resolveTrialAccess } from '../../domain/trials/trial-access';
import { parseTrialDesign } from '../../domain/trials/trial-design';
import { roleProcedure } from '../../trpc';

const participantInput = z.object({ trialId: z.uuid(), participantId: z.uuid() });
const actorOf = (ctx: { user: { id: string; role: string } }) => ({ userId: ctx.user.id, role: ctx.user.role });

export const participantsRouter = {
  enroll: roleProcedure('coordinator')
    .input(enrollParticipantInputSchema)
    .mutation(async ({ ctx, input }) => {
      const access = await resolveTrialAccess({ db: ctx.db, user: ctx.user, trialId: input.trialId });
      const row = await enrollParticipant({ db: ctx.db, access, input, actor: actorOf(ctx), request: ctx.request });
      return { id: row.id, studyId: row.studyId, status: row.status };
    }),

  list: roleProcedure('coordinator', 'statistician', 'monitor', 'admin')
    .input(z.object({ trialId: z.uuid() }))
    .query(async ({ ctx, input }) => {
      const access = await resolveTrialAccess({ db: ctx.db, user: ctx.user, trialId: input.trialId });
      return listParticipants({ db: ctx.db, access, user: ctx.user });
    }),

  /**
   * Randomizes once. A repeated request returns the original allocation. The arm is returned only
   * to those who may see it; a blinded coordinator learns that the patient is randomized.
   */
  randomize: roleProcedure('coordinator')
    .input(participantInput)
    .mutation(async ({ ctx, input }) => {
      const access = await resolveTrialAccess({ db: ctx.db, user: ctx.user, trialId: input.trialId });
      const { allocation, created } = await randomizeParticipant({ db: ctx.db, access, participantId: input.participantId, actor: actorOf(ctx), request: ctx.request });
      const trial = await loadTrial(ctx.db, input.trialId);
      const seesArm = roleSeesArms(ctx.user.role, trial.design ? parseTrialDesign(trial.design) : null, access);
      return { participantId: allocation.participantId, randomized: true as const, created, allocatedAt: allocation.allocatedAt, arm: seesArm ? allocation.arm : null };
    }),

  /** A signed waiver of the participant's failed eligibility criteria, where the protocol allows it. */
  waiveEligibility: roleProcedure('coordinator')
    .input(
      participantInput.extend({
        reason: z.string().min(10, 'state the reason for the waiver (at least 10 characters)').max(1000),
        password: z.string().min(1, 're-enter your password to sign').max(256),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const access = await resolveTrialAccess({ db: ctx.db, user: ctx.user, trialId: input.trialId });
      const waiver = await recordEligibilityWaiver({ db: ctx.db, access, participantId: input.participantId, reason: input.reason, password: input.password, signer: ctx.user, request: ctx.request });
      return { id: waiver.id, criteria: waiver.criteria, waivedAt: waiver.waivedAt };
    }),

  exclude: roleProcedure('coordinator')
    .input(participantInput.extend({ reason: z.enum(Object.keys(EXCLUSION_REASONS) as [ExclusionReason, ...ExclusionReason[]]), note: z.string().max(500).optional() }))
    .mutation(async ({ ctx, input }) => {
      const access = await resolveTrialAccess({ db: ctx.db, user: ctx.user, trialId: input.trialId });
      return excludeParticipant({ db: ctx.db, access, participantId: input.participantId, reason: input.reason, note: input.note, actor: actorOf(ctx), request: ctx.request });
    }),

  recordEvent: roleProcedure('coordinator')
    .input(participantInput.extend({ kind: z.enum(PARTICIPANT_EVENT_KINDS), reason: z.string().min(1).max(40), note: z.string().max(500).optional(), occurredOn: z.iso.date() }))
    .mutation(async ({ ctx, input }) => {
      const access = await resolveTrialAccess({ db: ctx.db, user: ctx.user, trialId: input.trialId });
      const row = await recordParticipantEvent({ db: ctx.db, access, ...input, actor: actorOf(ctx), request: ctx.request });
      return { id: row.id };
    }),

  /** Emergency unblinding with a reason: returns the arm to the caller, logged and shown to monitors. */
  unblind: roleProcedure('coordinator', 'admin')
    .input(participantInput.extend({ reason: z.string().min(10, 'state the clinical reason (at least 10 characters)').max(1000) }))
    .mutation(async ({ ctx, input }) => {
      const access = await resolveTrialAccess({ db: ctx.db, user: ctx.user, trialId: input.trialId });
      return unblindParticipant({ db: ctx.db, access, participantId: input.participantId, reason: input.reason, actor: { userId: ctx.user.id, role: ctx.user.role }, request: ctx.request });
    }),

  /** The reason categories the forms offer (and CONSORT lists). */
  reasonCatalogue: roleProcedure('coordinator', 'statistician', 'monitor', 'admin').query(() => ({ exclusion: EXCLUSION_REASONS, events: EVENT_REASONS })),
} satisfies TRPCRouterRecord;
