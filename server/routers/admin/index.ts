import type { TRPCRouterRecord } from '@trpc/server';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ROLES } from '@/db/schema';
import { downloadAuditTrail } from '../../domain/audit/download-audit-trail';
import { auditTrailFiltersSchema } from '../../domain/audit/query-audit-trail';
import { readAuditTrail } from '../../domain/audit/read-audit-trail';
import { verifyAuditChain } from '../../domain/audit/verify-audit-chain';
import { roleSeesArms } from '../../domain/enrollment/arm-visibility';
import { listModels } from '../../domain/segmentation/list-models';
import { createUser } from '../../domain/users/create-user';
import { listUsers } from '../../domain/users/list-users';
import { issuePasswordReset } from '../../domain/users/password-reset';
import { revokeMembership, setMembership } from '../../domain/users/set-membership';
import { updateUser } from '../../domain/users/update-user';
import { roleProcedure, trialProcedure } from '../../trpc';

const membershipInput = z.object({
  userId: z.uuid(),
  trialId: z.uuid(),
  siteId: z.uuid().nullable(),
  armAccess: z.enum(['blinded', 'unblinded']).nullable().default(null),
  mayRandomize: z.boolean().default(true),
});

export const adminRouter = {
  /** All accounts (admin only) with their trial access: no password hashes. */
  listUsers: roleProcedure('admin').query(({ ctx }) => listUsers({ db: ctx.db })),

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
  listModels: roleProcedure('admin').query(({ ctx }) => listModels({ db: ctx.db })),

  /** Recomputes the audit hash chain and names the first row that does not match. */
  verifyAudit: roleProcedure('admin', 'monitor').query(({ ctx }) => verifyAuditChain({ db: ctx.db })),

  /**
   * One page of a trial's audit trail with filters (who, what, when, participant), for admins and
   * the trial's monitors. Reading the trail is itself audited. A reader blinded in the trial gets
   * no allocation in it (see queryAuditTrail).
   */
  auditTrail: trialProcedure('admin', 'monitor')
    .input(auditTrailFiltersSchema)
    .query(({ ctx, input }) => readAuditTrail({ db: ctx.db, filters: input, blinded: !roleSeesArms(ctx.user.role, ctx.design, ctx.access), actor: ctx.actor, request: ctx.request })),

  /** The filtered trail as CSV or JSON with chain hashes (audited: format, filters, rows, last hash). */
  exportAuditTrail: trialProcedure('admin', 'monitor')
    .input(auditTrailFiltersSchema.omit({ beforeId: true, limit: true }).extend({ format: z.enum(['csv', 'json']) }))
    .mutation(({ ctx, input: { format, ...filters } }) =>
      downloadAuditTrail({ db: ctx.db, filters, format, blinded: !roleSeesArms(ctx.user.role, ctx.design, ctx.access), actor: ctx.actor, request: ctx.request }),
    ),
} satisfies TRPCRouterRecord;
