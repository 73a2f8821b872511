import type { TRPCRouterRecord } from '@trpc/server';
import { randomBytes } from 'node:crypto';
import { asc, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { memberships, models, ROLES, sites, trials, users } from '../../../db/schema';
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
import { issuePasswordReset } from '../../domain/users/password-reset';
import { revokeMembership, setMembership } from '../../domain/users/set-membership';
import { updateUser } from '../../domain/users/update-user';
import { roleProcedure } from '../../trpc';

const membershipInput = z.object({
  userId: z.uuid(),
  trialId: z.uuid(),
  siteId: z.uuid().nullable(),
  armAccess: z.enum(['blinded', 'unblinded']).nullable().default(null),
  mayRandomize: z.boolean().default(true),
});

/** Whether the caller may not see arms in this trial (membership's blinding variant, role default). */
async function readerIsBlinded(ctx: { db: Database; user: SessionUser }, trialId: string): Promise<boolean> {
  const access = await resolveTrialAccess({ db: ctx.db, user: ctx.user, trialId });
  const trial = await loadTrial(ctx.db, trialId);
  return !roleSeesArms(ctx.user.role, trial.design ? parseTrialDesign(trial.design) : null, access);
}

export const adminRouter = {
  /** All accounts (admin only) with their trial access: no password hashes. */
  listUsers: roleProcedure('admin').query(async ({ ctx }) => {
    const [rows, grants] = await Promise.all([
      ctx.db
        .select({
          id: users.id,
          username: users.username,
          displayName: users.displayName,
          role: users.role,
          disabled: users.disabled,
          lockedUntil: users.lockedUntil,
          failedLoginCount: users.failedLoginCount,
          createdAt: users.createdAt,
        })
        .from(users)
        .orderBy(asc(users.username)),
      ctx.db
        .select({
          id: memberships.id,
          userId: memberships.userId,
          trialId: memberships.trialId,
          trialName: trials.name,
          siteId: memberships.siteId,
          siteCode: sites.code,
          armAccess: memberships.armAccess,
          mayRandomize: memberships.mayRandomize,
        })
        .from(memberships)
        .innerJoin(trials, eq(trials.id, memberships.trialId))
        .leftJoin(sites, eq(sites.id, memberships.siteId)),
    ]);
    return rows.map((u) => ({ ...u, memberships: grants.filter((g) => g.userId === u.id) }));
  }),

  /**
   * Creates an account, optionally with its trial access. Without a password, the account gets an
   * unknowable one and a one-time reset link is returned for the admin to hand over.
   */
  createUser: roleProcedure('admin')
    .input(
      z.object({
        username: z.string().min(3).max(40),
        displayName: z.string().min(1).max(120),
        role: z.enum(ROLES),
        password: z.string().min(12).max(256).optional(),
        memberships: z
          .array(membershipInput.omit({ userId: true }))
          .max(50)
          .default([]),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const password = input.password ?? randomBytes(24).toString('base64url');
      const created = await createUser({ db: ctx.db, username: input.username, displayName: input.displayName, role: input.role, password, actor: ctx.actor, request: ctx.request });
      for (const m of input.memberships) await setMembership({ db: ctx.db, settings: { ...m, userId: created.id }, actor: ctx.actor, request: ctx.request });
      const reset = input.password ? null : await issuePasswordReset({ db: ctx.db, userId: created.id, actor: ctx.actor, request: ctx.request });
      return { ...created, resetPath: reset?.path ?? null, resetExpiresAt: reset?.expiresAt ?? null };
    }),

  /** Changes name or role, deactivates or reactivates, or unlocks an account (audited). */
  updateUser: roleProcedure('admin')
    .input(z.object({ userId: z.uuid(), displayName: z.string().min(1).max(120).optional(), role: z.enum(ROLES).optional(), disabled: z.boolean().optional(), unlock: z.boolean().optional() }))
    .mutation(({ ctx, input: { userId, ...changes } }) => updateUser({ db: ctx.db, userId, changes, actor: ctx.actor, request: ctx.request })),

  /** Grants trial access (one site or all) or changes its blinding variant and right to randomize. */
  setMembership: roleProcedure('admin')
    .input(membershipInput)
    .mutation(({ ctx, input }) => setMembership({ db: ctx.db, settings: input, actor: ctx.actor, request: ctx.request })),

  revokeMembership: roleProcedure('admin')
    .input(z.object({ membershipId: z.uuid() }))
    .mutation(({ ctx, input }) => revokeMembership({ db: ctx.db, membershipId: input.membershipId, actor: ctx.actor, request: ctx.request })),

  /** A one-time password-reset link (valid PASSWORD_RESET_HOURS); the token is shown once. */
  issuePasswordReset: roleProcedure('admin')
    .input(z.object({ userId: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      const { path, expiresAt } = await issuePasswordReset({ db: ctx.db, userId: input.userId, actor: ctx.actor, request: ctx.request });
      return { path, expiresAt };
    }),

  /** The model registry: every registered version, which is the default, and the trials that pinned it. */
  listModels: roleProcedure('admin').query(async ({ ctx }) => {
    const [rows, pins] = await Promise.all([
      ctx.db
        .select({ id: models.id, name: models.name, version: models.version, sha256: models.sha256, isDefault: models.isDefault, registeredAt: models.registeredAt, card: models.card })
        .from(models)
        .orderBy(desc(models.registeredAt)),
      ctx.db.select({ id: trials.id, slug: trials.slug, pinnedModelId: trials.pinnedModelId }).from(trials),
    ]);
    return rows.map(({ card, ...m }) => {
      const c = card as { input?: { channels?: string[]; spacingMm?: number[] }; output?: { form?: string }; inference?: { patch?: number[] } };
      return {
        ...m,
        channels: c.input?.channels ?? [],
        spacingMm: c.input?.spacingMm ?? [],
        outputForm: c.output?.form ?? '',
        patch: c.inference?.patch ?? [],
        pinnedBy: pins.filter((t) => t.pinnedModelId === m.id).map((t) => t.slug),
      };
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
      await ctx.db.transaction((tx) =>
        writeAuditEvent({
          tx,
          actor: ctx.actor,
          action: 'audit.viewed',
          entityType: 'audit_trail',
          entityId: input.trialId,
          trialId: input.trialId,
          after: { filters: input, rows: page.rows.length, blinded },
          request: ctx.request,
        }),
      );
      return { ...page, blinded };
    }),

  /** The filtered trail as CSV or JSON with chain hashes (audited: format, filters, rows, last hash). */
  exportAuditTrail: roleProcedure('admin', 'monitor')
    .input(auditTrailFiltersSchema.omit({ beforeId: true, limit: true }).extend({ format: z.enum(['csv', 'json']) }))
    .mutation(async ({ ctx, input: { format, ...filters } }) => {
      const blinded = await readerIsBlinded(ctx, filters.trialId);
      const exported = await exportAuditTrail({ db: ctx.db, filters, blinded, format });
      await ctx.db.transaction((tx) =>
        writeAuditEvent({
          tx,
          actor: ctx.actor,
          action: 'audit.exported',
          entityType: 'audit_trail',
          entityId: filters.trialId,
          trialId: filters.trialId,
          after: { format, filters, rows: exported.rowCount, lastHash: exported.lastHash, blinded },
          request: ctx.request,
        }),
      );
      return {
        filename: `audit-trail-${filters.trialId.slice(0, 8)}-${new Date().toISOString().slice(0, 10)}.${format}`,
        contentType: format === 'csv' ? 'text/csv' : 'application/json',
        content: exported.content,
        rowCount: exported.rowCount,
        lastHash: exported.lastHash,
      };
    }),
} satisfies TRPCRouterRecord;
