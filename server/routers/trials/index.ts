import type { TRPCRouterRecord } from '@trpc/server';
import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { randomizationSecrets, unblindings, users } from '../../../db/schema';
import { acknowledgeUnblinding } from '../../domain/enrollment/acknowledge-unblinding';
import { listParticipants } from '../../domain/enrollment/list-participants';
import { balanceReport } from '../../domain/enrollment/balance-report';
import { consortCounts } from '../../domain/enrollment/consort-counts';
import { amendProtocol } from '../../domain/trials/amend-protocol';
import { listAmendments } from '../../domain/trials/list-amendments';
import { createTrial, grantMembership } from '../../domain/trials/create-trial';
import { listTrialsForUser } from '../../domain/trials/list-trials-for-user';
import { loadTrial } from '../../domain/trials/load-trial';
import { goLive, startTestMode } from '../../domain/trials/start-randomization-mode';
import { resolveTrialAccess } from '../../domain/trials/trial-access';
import { parseTrialDesign, trialDesignSchema } from '../../domain/trials/trial-design';
import { updateTrialDesign } from '../../domain/trials/update-trial-design';
import { AppError } from '../../errors';
import { authedProcedure, roleProcedure } from '../../trpc';

const trialInput = z.object({ trialId: z.uuid() });
const actorOf = (ctx: { user: { id: string; role: string } }) => ({ userId: ctx.user.id, role: ctx.user.role });

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
        const created = await createTrial({ tx, ...input, actor: actorOf(ctx), request: ctx.request });
        await grantMembership({ tx, userId: ctx.user.id, trialId: created.trial.id, siteId: null, actor: actorOf(ctx), request: ctx.request });
        return { id: created.trial.id, slug: created.trial.slug };
      }),
    ),

  /** The design, status and published commitments (never the seed). */
  design: authedProcedure.input(trialInput).query(async ({ ctx, input }) => {
    await resolveTrialAccess({ db: ctx.db, user: ctx.user, trialId: input.trialId });
    const trial = await loadTrial(ctx.db, input.trialId);
    const commitments = await ctx.db
      .select({
        mode: randomizationSecrets.mode,
        period: randomizationSecrets.period,
        commitmentHash: randomizationSecrets.commitmentHash,
        algorithmVersion: randomizationSecrets.algorithmVersion,
        createdAt: randomizationSecrets.createdAt,
      })
      .from(randomizationSecrets)
      .where(eq(randomizationSecrets.trialId, trial.id))
      .orderBy(desc(randomizationSecrets.period));
    return { id: trial.id, name: trial.name, status: trial.status, liveAt: trial.liveAt, design: trial.design ? parseTrialDesign(trial.design) : null, commitments };
  }),

  updateDesign: roleProcedure('coordinator', 'admin')
    .input(z.object({ trialId: z.uuid(), design: trialDesignSchema }))
    .mutation(async ({ ctx, input }) => {
      await resolveTrialAccess({ db: ctx.db, user: ctx.user, trialId: input.trialId });
      return updateTrialDesign({ db: ctx.db, trialId: input.trialId, design: input.design, actor: actorOf(ctx), request: ctx.request });
    }),

  startTestMode: roleProcedure('coordinator', 'admin')
    .input(trialInput)
    .mutation(async ({ ctx, input }) => {
      await resolveTrialAccess({ db: ctx.db, user: ctx.user, trialId: input.trialId });
      return startTestMode({ db: ctx.db, trialId: input.trialId, actor: actorOf(ctx), request: ctx.request });
    }),

  goLive: roleProcedure('coordinator', 'admin')
    .input(trialInput)
    .mutation(async ({ ctx, input }) => {
      await resolveTrialAccess({ db: ctx.db, user: ctx.user, trialId: input.trialId });
      return goLive({ db: ctx.db, trialId: input.trialId, actor: actorOf(ctx), request: ctx.request });
    }),

  /** Randomized counts per site and stratum; per-arm only for those who may see arms. */
  balance: roleProcedure('coordinator', 'statistician', 'monitor', 'admin')
    .input(trialInput)
    .query(async ({ ctx, input }) => {
      const access = await resolveTrialAccess({ db: ctx.db, user: ctx.user, trialId: input.trialId });
      const trial = await loadTrial(ctx.db, input.trialId);
      const design = trial.design ? parseTrialDesign(trial.design) : null;
      const participants = await listParticipants({ db: ctx.db, access, user: ctx.user });
      return balanceReport({ participants, arms: design?.randomization.arms.map((a) => a.key) ?? [], factors: design?.randomization.factors.map((f) => f.name) ?? [] });
    }),

  /** CONSORT flow counts, every reason listed (n = 0 too); arms folded when the viewer is blinded. */
  consort: roleProcedure('coordinator', 'statistician', 'monitor', 'admin')
    .input(trialInput)
    .query(async ({ ctx, input }) => {
      const access = await resolveTrialAccess({ db: ctx.db, user: ctx.user, trialId: input.trialId });
      const trial = await loadTrial(ctx.db, input.trialId);
      const design = trial.design ? parseTrialDesign(trial.design) : null;
      const participants = await listParticipants({ db: ctx.db, access, user: ctx.user });
      return consortCounts({ participants, arms: design?.randomization.arms.map((a) => ({ key: a.key, label: a.label })) ?? [] });
    }),

  /** Emergency unblindings of the trial, for monitors (and admins). */
  unblindings: roleProcedure('monitor', 'admin')
    .input(trialInput)
    .query(async ({ ctx, input }) => {
      await resolveTrialAccess({ db: ctx.db, user: ctx.user, trialId: input.trialId });
      return ctx.db
        .select({
          id: unblindings.id,
          participantId: unblindings.participantId,
          reason: unblindings.reason,
          unblindedAt: unblindings.unblindedAt,
          by: users.displayName,
          acknowledged: unblindings.acknowledgedByMonitor,
        })
        .from(unblindings)
        .innerJoin(users, eq(users.id, unblindings.unblindedBy))
        .where(and(eq(unblindings.trialId, input.trialId)))
        .orderBy(desc(unblindings.unblindedAt));
    }),

  /** A signed, dated, versioned amendment of a live trial's protocol (coordinators of every site, admins). */
  amend: roleProcedure('coordinator', 'admin')
    .input(
      z.object({
        trialId: z.uuid(),
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
      const access = await resolveTrialAccess({ db: ctx.db, user: ctx.user, trialId: input.trialId });
      if (access.siteIds !== null) throw new AppError('FORBIDDEN_ROLE', 'Amending the protocol needs access to every site of the trial.');
      return amendProtocol({
        db: ctx.db,
        trialId: input.trialId,
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
  amendments: authedProcedure.input(trialInput).query(async ({ ctx, input }) => {
    await resolveTrialAccess({ db: ctx.db, user: ctx.user, trialId: input.trialId });
    return listAmendments({ db: ctx.db, trialId: input.trialId });
  }),

  /** A monitor acknowledges an emergency unblinding (audited). */
  acknowledgeUnblinding: roleProcedure('monitor')
    .input(trialInput.extend({ unblindingId: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      const access = await resolveTrialAccess({ db: ctx.db, user: ctx.user, trialId: input.trialId });
      return acknowledgeUnblinding({ db: ctx.db, access, unblindingId: input.unblindingId, actor: actorOf(ctx), request: ctx.request });
    }),
} satisfies TRPCRouterRecord;
