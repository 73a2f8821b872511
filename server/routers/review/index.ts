import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { REVIEW_STATUSES } from '@/db/schema';
import { createContentStore } from '@/imaging/storage/content-store';
import { recordAiOutputDisplayed } from '../../domain/oversight/record-ai-output-displayed';
import { correctDecision } from '../../domain/review/correct-decision';
import { decisionInputSchema } from '../../domain/review/decision-input';
import { describeAiSegmentation } from '../../domain/review/describe-ai-segmentation';
import { getCaseView } from '../../domain/review/get-case-view';
import { listWorklist } from '../../domain/review/list-worklist';
import { openCase } from '../../domain/review/open-case';
import { recordSegmentationReview } from '../../domain/review/record-segmentation-review';
import { signDecision } from '../../domain/review/sign-decision';
import { CORRECTION_SIGNATURE_MEANING, DECISION_SIGNATURE_MEANING } from '../../domain/review/signature-meaning';
import { env } from '../../env';
import { caseProcedure, roleProcedure } from '../../trpc';

const password = z.string().min(1, 're-enter your password to sign').max(256);

/**
 * Clinician review. Every procedure is clinician-only; a case's procedures load it through
 * caseProcedure (loadReviewCase: membership at the participant's site, else NOT_FOUND); AI output
 * only through loadAiSegmentation (assisted arm, else NOT_FOUND). Label-map edits and volume bytes
 * go over HTTP (server/http/review-files.ts).
 */
export const reviewRouter = {
  worklist: roleProcedure('clinician')
    .input(z.object({ trialId: z.uuid().optional(), status: z.enum(REVIEW_STATUSES).optional(), siteCode: z.string().max(40).optional(), search: z.string().max(60).optional() }).default({}))
    .query(({ ctx, input }) => listWorklist({ db: ctx.db, user: ctx.user, filters: input })),

  case: caseProcedure('clinician').query(async ({ ctx }) => {
    const view = await getCaseView({ db: ctx.db, reviewCase: ctx.reviewCase, reviewerId: ctx.user.id });
    return { ...view, signatureMeaning: { decision: DECISION_SIGNATURE_MEANING, correction: CORRECTION_SIGNATURE_MEANING } };
  }),

  /** Starts time on task on the first call; later calls change nothing. */
  open: caseProcedure('clinician').mutation(async ({ ctx }) => {
    const { review, created } = await openCase({ db: ctx.db, reviewCase: ctx.reviewCase, actor: ctx.actor, request: ctx.request });
    return { status: review.status, openedAt: review.openedAt, created };
  }),

  /** The AI segmentation of an assisted-arm case; showing it is recorded as an AI event. */
  aiSegmentation: caseProcedure('clinician').query(async ({ ctx: { db, reviewCase, actor, request } }) => {
    const description = await describeAiSegmentation({ db, reviewCase });
    await recordAiOutputDisplayed({ db, trialId: reviewCase.trialId, segmentationId: description.segmentationId, caseId: reviewCase.caseId, actor, request });
    return description;
  }),

  /** Accept or reject the AI segmentation (an edit uploads its label map over HTTP). */
  reviewSegmentation: caseProcedure('clinician')
    .input(z.object({ outcome: z.enum(['accepted', 'rejected']), reason: z.string().max(1000).nullable().default(null) }))
    .mutation(async ({ ctx, input }) => {
      const store = createContentStore(env().SEGTRIAL_STORAGE_ROOT);
      const { review, created } = await recordSegmentationReview({
        db: ctx.db,
        store,
        reviewCase: ctx.reviewCase,
        actor: ctx.actor,
        outcome: input.outcome,
        reason: input.reason,
        request: ctx.request,
      });
      return { id: review.id, outcome: review.outcome, recordedAt: review.recordedAt, created };
    }),

  sign: caseProcedure('clinician')
    .input(z.object({ decision: decisionInputSchema, password }))
    .mutation(async ({ ctx, input }) => {
      const { decision, created } = await signDecision({ db: ctx.db, reviewCase: ctx.reviewCase, signer: ctx.user, decision: input.decision, password: input.password, request: ctx.request });
      return { decisionId: decision.id, created };
    }),

  correct: caseProcedure('clinician')
    .input(z.object({ supersedesId: z.uuid(), decision: decisionInputSchema, reason: z.string().min(5).max(1000), password }))
    .mutation(async ({ ctx, input }) => {
      const { decision, created } = await correctDecision({
        db: ctx.db,
        reviewCase: ctx.reviewCase,
        signer: ctx.user,
        supersedesId: input.supersedesId,
        decision: input.decision,
        reason: input.reason,
        password: input.password,
        request: ctx.request,
      });
      return { decisionId: decision.id, created };
    }),
} satisfies TRPCRouterRecord;
