import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { ROLES } from '@/db/schema';
import { acknowledgeUnblinding } from '../../domain/enrollment/acknowledge-unblinding';
import { listUnblindings } from '../../domain/enrollment/list-unblindings';
import { loadTrialOverview } from '../../domain/enrollment/load-trial-overview';
import { amendProtocol } from '../../domain/trials/amend-protocol';
import { listAmendments } from '../../domain/trials/list-amendments';
import { createTrial, grantMembership } from '../../domain/trials/create-trial';
import { listTrialsForUser } from '../../domain/trials/list-trials-for-user';
import { listRandomizationCommitments } from '../../domain/trials/list-randomization-commitments';
import { goLive, startTestMode } from '../../domain/trials/start-randomization-mode';
import { trialDesignSchema } from '../../domain/trials/trial-design';
import { updateTrialDesign } from '../../domain/trials/update-trial-design';
import { AppError } from '../../errors';
import { authedProcedure, roleProcedure, trialProcedure } from '../../trpc';

const trialInput = z.object({ trialId: z.uuid() });

export const trialsRouter = {
  /** Trials the caller belongs to, with the sites visible to them. */
  list: authedProcedure.query(({ ctx }) => listTrialsForUser({ db: ctx.db, user: ctx.user })),

  /** One trial; NOT_FOUND when the caller has no membership in it. */
  get: authedProcedure.input(trialInput).query(async ({ ctx, input }) => {
    const trial = (await listTrialsForUser({ db: ctx.db, user: ctx.user })).find((t) => t.id === input.trialId);
    if (!trial) throw new AppError('NOT_FOUND', 'Trial not found.');
    return trial;
  }),

  /** Creates a trial with its sites; the creator gets access to every site of it. */
  create: roleProcedure('coordinator', 'admin')
    .input(
      z.object({
        slug: z.string().regex(/^[a-z0-9][a-z0-9-]{2,40}$/, 'lower-case letters, digits and -'),
        name: z.string().min(3).max(200),
        sites: z
          .array(z.object({ code: z.string().regex(/^[a-z0-9][a-z0-9-]{1,30}$/), name: z.string().min(2).max(120), isExternal: z.boolean().default(false) }))
          .min(1)
          .max(50),
      }),
    )
    .mutation(async ({ ctx, input }) =>
      ctx.db.transaction(async (tx) => {
        const created = await createTrial({ tx, ...input, actor: ctx.actor, request: ctx.request });
        await grantMembership({ tx, userId: ctx.user.id, trialId: created.trial.id, siteId: null, actor: ctx.actor, request: ctx.request });
        return { id: created.trial.id, slug: created.trial.slug };
      }),
    ),

  /** The design, status and published commitments (never the seed). */
  design: trialProcedure(...ROLES).query(async ({ ctx: { db, trial, design } }) => {
    const commitments = await listRandomizationCommitments({ db, trialId: trial.id });
    return { id: trial.id, name: trial.name, status: trial.status, liveAt: trial.liveAt, design, commitments };
  }),

  updateDesign: trialProcedure('coordinator', 'admin')
    .input(z.object({ design: trialDesignSchema }))
    .mutation(({ ctx, input }) => updateTrialDesign({ db: ctx.db, trialId: ctx.trial.id, design: input.design, actor: ctx.actor, request: ctx.request })),

  startTestMode: trialProcedure('coordinator', 'admin').mutation(({ ctx }) => startTestMode({ db: ctx.db, trialId: ctx.trial.id, actor: ctx.actor, request: ctx.request })),

  goLive: trialProcedure('coordinator', 'admin').mutation(({ ctx }) => goLive({ db: ctx.db, trialId: ctx.trial.id, actor: ctx.actor, request: ctx.request })),

  /**
   * The coordination view in one request (participants read once): the patient list, balance and
   * CONSORT counts, as `participants.list`, `balance` and `consort` answer them one by one.
   */
  overview: trialProcedure('coordinator', 'statistician', 'monitor', 'admin').query(({ ctx }) => loadTrialOverview({ db: ctx.db, access: ctx.access, user: ctx.user, design: ctx.design })),

  /** Randomized counts per site and stratum; per-arm only for those who may see arms. */
  balance: trialProcedure('coordinator', 'statistician', 'monitor', 'admin').query(
    async ({ ctx }) => (await loadTrialOverview({ db: ctx.db, access: ctx.access, user: ctx.user, design: ctx.design })).balance,
  ),

  /** CONSORT flow counts, every reason listed (n = 0 too); arms folded when the viewer is blinded. */
  consort: trialProcedure('coordinator', 'statistician', 'monitor', 'admin').query(
    async ({ ctx }) => (await loadTrialOverview({ db: ctx.db, access: ctx.access, user: ctx.user, design: ctx.design })).consort,
  ),

  /** Emergency unblindings of the trial, for monitors (and admins). */
  unblindings: trialProcedure('monitor', 'admin').query(({ ctx }) => listUnblindings({ db: ctx.db, trialId: ctx.trial.id })),

  /** A signed, dated, versioned amendment of a live trial's protocol (coordinators of every site, admins). */
  amend: trialProcedure('coordinator', 'admin')
    .input(
      z.object({
        design: trialDesignSchema,
        summary: z.string().min(10).max(2000),
        effectiveOn: z.iso.date(),
        newSites: z
          .array(z.object({ code: z.string().regex(/^[a-z0-9][a-z0-9-]{1,30}$/), name: z.string().min(2).max(120), isExternal: z.boolean().default(false) }))
          .max(20)
          .default([]),
        password: z.string().min(1).max(256),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      if (ctx.access.siteIds !== null) throw new AppError('FORBIDDEN_ROLE', 'Amending the protocol needs access to every site of the trial.');
      return amendProtocol({
        db: ctx.db,
        trialId: ctx.trial.id,
        design: input.design,
        summary: input.summary,
        effectiveOn: input.effectiveOn,
        newSites: input.newSites,
        password: input.password,
        signer: ctx.user,
        request: ctx.request,
      });
    }),

  /** The trial's amendments, newest first (version, summary, effective date, what changed, the signature). */
  amendments: trialProcedure(...ROLES).query(({ ctx }) => listAmendments({ db: ctx.db, trialId: ctx.trial.id })),

  /** A monitor acknowledges an emergency unblinding (audited). */
  acknowledgeUnblinding: trialProcedure('monitor')
    .input(z.object({ unblindingId: z.uuid() }))
    .mutation(({ ctx, input }) => acknowledgeUnblinding({ db: ctx.db, access: ctx.access, unblindingId: input.unblindingId, actor: ctx.actor, request: ctx.request })),
} satisfies TRPCRouterRecord;
