import type { TRPCRouterRecord } from '@trpc/server';
import { asc, desc } from 'drizzle-orm';
import { z } from 'zod';
import { models, ROLES, trials, users } from '../../../db/schema';
import type { Database } from '../../../db/client';
import { exportAuditTrail } from '../../domain/audit/export-audit-trail';
import { auditTrailFiltersSchema, queryAuditTrail } from '../../domain/audit/query-audit-trail';
import { verifyAuditChain } from '../../domain/audit/verify-audit-chain';
import { writeAuditEvent } from '../../domain/audit/write-audit-event';
import type { SessionUser } from '../../domain/auth/resolve-session';
import { roleSeesArms } from '../../domain/enrollment/arm-visibility';
import { loadTrial } from '../../domain/trials/load-trial';
import { parseTrialDesign } from '../../domain/trials/trial-design';
import { resolveTrialAccess } from '../../domain/trials/trial-access';
import { createUser } from '../../domain/users/create-user';
import { roleProcedure } from '../../trpc';

const actorOf = (ctx: { user: { id: string; role: string } }) => ({ userId: ctx.user.id, role: ctx.user.role });

/** Whether the caller may not see arms in this trial (membership's blinding variant, role default). */
async function readerIsBlinded(ctx: { db: Database; user: SessionUser }, trialId: string): Promise<boolean> {
  const access = await resolveTrialAccess({ db: ctx.db, user: ctx.user, trialId });
  const trial = await loadTrial(ctx.db, trialId);
  return !roleSeesArms(ctx.user.role, trial.design ? parseTrialDesign(trial.design) : null, access);
}

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

  /**
   * One page of a trial's audit trail with filters (who, what, when, participant), for admins and
   * the trial's monitors. Reading the trail is itself audited. A reader blinded in the trial gets
   * no allocation in it (see queryAuditTrail).
   */
  auditTrail: roleProcedure('admin', 'monitor')
    .input(auditTrailFiltersSchema)
    .query(async ({ ctx, input }) => {
      const blinded = await readerIsBlinded(ctx, input.trialId);
      const page = await queryAuditTrail({ db: ctx.db, filters: input, blinded });
      await ctx.db.transaction((tx) => writeAuditEvent({ tx, actor: actorOf(ctx), action: 'audit.viewed', entityType: 'audit_trail', entityId: input.trialId, trialId: input.trialId, after: { filters: input, rows: page.rows.length, blinded }, request: ctx.request }));
      return { ...page, blinded };
    }),

  /** The filtered trail as CSV or JSON with chain hashes (audited: format, filters, rows, last hash). */
  exportAuditTrail: roleProcedure('admin', 'monitor')
    .input(auditTrailFiltersSchema.omit({ beforeId: true, limit: true }).extend({ format: z.enum(['csv', 'json']) }))
    .mutation(async ({ ctx, input: { format, ...filters } }) => {
      const blinded = await readerIsBlinded(ctx, filters.trialId);
      const exported = await exportAuditTrail({ db: ctx.db, filters, blinded, format });
      await ctx.db.transaction((tx) =>
        writeAuditEvent({ tx, actor: actorOf(ctx), action: 'audit.exported', entityType: 'audit_trail', entityId: filters.trialId, trialId: filters.trialId, after: { format, filters, rows: exported.rowCount, lastHash: exported.lastHash, blinded }, request: ctx.request }),
      );
      return { filename: `audit-trail-${filters.trialId.slice(0, 8)}-${new Date().toISOString().slice(0, 10)}.${format}`, contentType: format === 'csv' ? 'text/csv' : 'application/json', content: exported.content, rowCount: exported.rowCount, lastHash: exported.lastHash };
    }),
} satisfies TRPCRouterRecord;
