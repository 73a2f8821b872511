import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { RANO_RESPONSE_CATEGORIES } from '../../../db/schema';
import { createContentStore } from '../../../imaging/storage/content-store';
import { getFollowupView } from '../../domain/followup/get-followup-view';
import { listProgressionEvents } from '../../domain/followup/list-progression-events';
import { loadParticipantAccess } from '../../domain/followup/load-participant-access';
import { loadParticipantVisits } from '../../domain/followup/load-participant-visits';
import { recordImagingVisit } from '../../domain/followup/record-imaging-visit';
import { signRanoAssessment } from '../../domain/followup/sign-rano-assessment';
import { loadReviewCase } from '../../domain/review/load-review-case';
import { resolveTrialAccess } from '../../domain/trials/trial-access';
import { env } from '../../env';
import { roleProcedure } from '../../trpc';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const password = z.string().min(1, 're-enter your password to sign').max(256);

/**
 * Follow-up imaging (issue 18): imaging visits per participant, the clinician's comparison data and
 * signed RANO assessments, and the progression events the analysis reads. Cases load through
 * loadReviewCase (site membership, else NOT_FOUND); AI output only through loadAiSegmentation.
 */
export const followupRouter = {
  visits: roleProcedure('coordinator', 'clinician', 'monitor')
    .input(z.object({ trialId: z.uuid(), participantId: z.uuid() }))
    .query(async ({ ctx, input }) => {
      await loadParticipantAccess({ db: ctx.db, user: ctx.user, trialId: input.trialId, participantId: input.participantId });
      return loadParticipantVisits({ db: ctx.db, trialId: input.trialId, participantId: input.participantId });
    }),

  /** Assign a study to a visit (a follow-up is registered to the baseline), or record the visit as missed. */
  recordVisit: roleProcedure('coordinator')
    .input(z.object({ trialId: z.uuid(), participantId: z.uuid(), visitCode: z.string().min(1).max(20), studyId: z.uuid().nullable(), scannedOn: isoDate.nullable() }))
    .mutation(async ({ ctx, input }) => {
      const access = await resolveTrialAccess({ db: ctx.db, user: ctx.user, trialId: input.trialId });
      const { visit, window, registration } = await recordImagingVisit({
        db: ctx.db,
        store: createContentStore(env().SEGTRIAL_STORAGE_ROOT),
        access,
        participantId: input.participantId,
        visitCode: input.visitCode,
        studyId: input.studyId,
        scannedOn: input.scannedOn,
        actor: { userId: ctx.user.id, role: ctx.user.role },
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
  case: roleProcedure('clinician')
    .input(z.object({ caseId: z.uuid() }))
    .query(async ({ ctx, input }) => {
      const reviewCase = await loadReviewCase({ db: ctx.db, user: ctx.user, caseId: input.caseId });
      return getFollowupView({ db: ctx.db, store: createContentStore(env().SEGTRIAL_STORAGE_ROOT), reviewCase, reviewerId: ctx.user.id });
    }),

  signRano: roleProcedure('clinician')
    .input(
      z.object({
        caseId: z.uuid(),
        category: z.enum(RANO_RESPONSE_CATEGORIES),
        overrideReason: z.string().max(1000).nullable().default(null),
        password,
        correction: z.object({ supersedesId: z.uuid(), reason: z.string().min(5).max(1000) }).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const reviewCase = await loadReviewCase({ db: ctx.db, user: ctx.user, caseId: input.caseId });
      const { assessment, created } = await signRanoAssessment({
        db: ctx.db,
        store: createContentStore(env().SEGTRIAL_STORAGE_ROOT),
        reviewCase,
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
  progressionEvents: roleProcedure('statistician', 'monitor')
    .input(z.object({ trialId: z.uuid() }))
    .query(async ({ ctx, input }) => {
      await resolveTrialAccess({ db: ctx.db, user: ctx.user, trialId: input.trialId });
      return listProgressionEvents({ db: ctx.db, trialId: input.trialId });
    }),
} satisfies TRPCRouterRecord;
