import type { TRPCRouterRecord } from '@trpc/server';
import { asc, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { auditLog, models, ROLES, trials, users } from '../../../db/schema';
import { verifyAuditChain } from '../../domain/audit/verify-audit-chain';
import { resolveTrialAccess } from '../../domain/trials/trial-access';
import { createUser } from '../../domain/users/create-user';
import { roleProcedure } from '../../trpc';

export const adminRouter = {
  /** All accounts (admin only): no password hashes. */
  listUsers: roleProcedure('admin').query(({ ctx }) =>
    ctx.db
      .select({ id: users.id, username: users.username, displayName: users.displayName, role: users.role, disabled: users.disabled, lockedUntil: users.lockedUntil, createdAt: users.createdAt })
      .from(users)
      .orderBy(asc(users.username)),
  ),

  createUser: roleProcedure('admin')
    .input(z.object({ username: z.string().min(3).max(40), displayName: z.string().min(1).max(120), role: z.enum(ROLES), password: z.string().min(12).max(256) }))
    .mutation(({ ctx, input }) => createUser({ db: ctx.db, ...input, actor: { userId: ctx.user.id, role: ctx.user.role }, request: ctx.request })),

  /** The model registry: every registered version, which is the default, and the trials that pinned it. */
  listModels: roleProcedure('admin').query(async ({ ctx }) => {
    const [rows, pins] = await Promise.all([
      ctx.db.select({ id: models.id, name: models.name, version: models.version, sha256: models.sha256, isDefault: models.isDefault, registeredAt: models.registeredAt, card: models.card }).from(models).orderBy(desc(models.registeredAt)),
      ctx.db.select({ id: trials.id, slug: trials.slug, pinnedModelId: trials.pinnedModelId }).from(trials),
    ]);
    return rows.map(({ card, ...m }) => {
      const c = card as { input?: { channels?: string[]; spacingMm?: number[] }; output?: { form?: string }; inference?: { patch?: number[] } };
      return { ...m, channels: c.input?.channels ?? [], spacingMm: c.input?.spacingMm ?? [], outputForm: c.output?.form ?? '', patch: c.inference?.patch ?? [], pinnedBy: pins.filter((t) => t.pinnedModelId === m.id).map((t) => t.slug) };
    });
  }),

  /** Recomputes the audit hash chain and names the first row that does not match. */
  verifyAudit: roleProcedure('admin', 'monitor').query(({ ctx }) => verifyAuditChain({ db: ctx.db })),

  /** Latest audit events of one trial (admins and the trial's monitors). */
  auditTrail: roleProcedure('admin', 'monitor')
    .input(z.object({ trialId: z.uuid(), limit: z.number().int().min(1).max(500).default(100) }))
    .query(async ({ ctx, input }) => {
      await resolveTrialAccess({ db: ctx.db, user: ctx.user, trialId: input.trialId });
      return ctx.db.select().from(auditLog).where(eq(auditLog.trialId, input.trialId)).orderBy(desc(auditLog.id)).limit(input.limit);
    }),
} satisfies TRPCRouterRecord;
