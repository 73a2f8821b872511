import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { RANO_RESPONSE_CATEGORIES } from '@/db/schema';
import { createContentStore } from '@/imaging/storage/content-store';
import { getFollowupView } from '../../domain/followup/get-followup-view';
import { listProgressionEvents } from '../../domain/followup/list-progression-events';
import { loadParticipantVisits } from '../../domain/followup/load-participant-visits';
import { loadVisibleParticipant } from '../../domain/trials/load-visible-participant';
import { recordImagingVisit } from '../../domain/followup/record-imaging-visit';
import { signRanoAssessment } from '../../domain/followup/sign-rano-assessment';
import { env } from '../../env';
import { caseProcedure, trialProcedure } from '../../trpc';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const password = z.string().min(1, 're-enter your password to sign').max(256);

/**
 * Follow-up imaging (issue 18): imaging visits per participant, the clinician's comparison data and
 * signed RANO assessments, and the progression events the analysis reads. Trial procedures get the
 * access decision from trialProcedure, cases come from caseProcedure (site membership, else
 * NOT_FOUND); AI output only through loadAiSegmentation.
 */
export const followupRouter = {
  visits: trialProcedure('coordinator', 'clinician', 'monitor')
    .input(z.object({ participantId: z.uuid() }))
    .query(async ({ ctx, input }) => {
      await loadVisibleParticipant({ db: ctx.db, access: ctx.access, participantId: input.participantId });
      return loadParticipantVisits({ db: ctx.db, trialId: ctx.trial.id, participantId: input.participantId });
    }),

  /** Assign a study to a visit (a follow-up is registered to the baseline), or record the visit as missed. */
  recordVisit: trialProcedure('coordinator')
    .input(z.object({ participantId: z.uuid(), visitCode: z.string().min(1).max(20), studyId: z.uuid().nullable(), scannedOn: isoDate.nullable() }))
    .mutation(async ({ ctx, input }) => {
      const { visit, window, registration } = await recordImagingVisit({
        db: ctx.db,
        store: createContentStore(env().SEGTRIAL_STORAGE_ROOT),
        access: ctx.access,
        participantId: input.participantId,
        visitCode: input.visitCode,
        studyId: input.studyId,
        scannedOn: input.scannedOn,
        actor: ctx.actor,
        request: ctx.request,
      });
      return {
        visitId: visit.id,
        dueOn: window.dueOn,
        status: window.status,
        daysFromDue: window.daysFromDue,
        registration: registration && { ok: registration.ok, problems: registration.problems, rotationDeg: registration.rotationDeg, centreShiftMm: registration.centreShiftMm },
      };
    }),

  /** The follow-up part of a case page (AI volumes and the RANO suggestion on the assisted arm only). */
  case: caseProcedure('clinician').query(({ ctx }) => getFollowupView({ db: ctx.db, store: createContentStore(env().SEGTRIAL_STORAGE_ROOT), reviewCase: ctx.reviewCase, reviewerId: ctx.user.id })),

  signRano: caseProcedure('clinician')
    .input(
      z.object({
        category: z.enum(RANO_RESPONSE_CATEGORIES),
        overrideReason: z.string().max(1000).nullable().default(null),
        password,
        correction: z.object({ supersedesId: z.uuid(), reason: z.string().min(5).max(1000) }).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { assessment, created } = await signRanoAssessment({
        db: ctx.db,
        store: createContentStore(env().SEGTRIAL_STORAGE_ROOT),
        reviewCase: ctx.reviewCase,
        signer: ctx.user,
        category: input.category,
        overrideReason: input.overrideReason,
        password: input.password,
        correction: input.correction,
        request: ctx.request,
      });
      return { assessmentId: assessment.id, category: assessment.category, suggestedCategory: assessment.suggestedCategory, created };
    }),

  /** Per participant, the date of the first signed RANO progression (for time-to-event outcomes). */
  progressionEvents: trialProcedure('statistician', 'monitor').query(({ ctx }) => listProgressionEvents({ db: ctx.db, trialId: ctx.trial.id })),
} satisfies TRPCRouterRecord;
