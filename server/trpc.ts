/**
 * The tRPC bootstrap, in three parts: context, initialization, procedures. Routers may only use the
 * procedure builders exported at the bottom; each narrows `ctx` so downstream code sees a non-null
 * user where it needs one. Every procedure checks its role itself, whatever the pages do.
 */
import { initTRPC, TRPCError } from '@trpc/server';
import superjson from 'superjson';
import { z, ZodError } from 'zod';
import type { Database } from '../db/client';
import { isDatabaseUnavailable, isUniqueViolation } from '../db/database-errors';
import type { Role } from '../db/schema';
import type { AuditActor, RequestMetadata } from './domain/audit/write-audit-event';
import type { ResolvedSession } from './domain/auth/resolve-session';
import { loadReviewCase } from './domain/review/load-review-case';
import { loadTrial } from './domain/trials/load-trial';
import { parseTrialDesign } from './domain/trials/trial-design';
import { resolveTrialAccess } from './domain/trials/trial-access';
import { APP_ERROR_STATUS, AppError, INTERNAL_ERROR_MESSAGE } from './errors';

// 1. CONTEXT ---------------------------------------------------------------------------------------

export interface Context {
  readonly db: Database;
  readonly session: ResolvedSession | null;
  readonly request: RequestMetadata;
  /**
   * Cross-site request facts for mutations: the custom header was present, and the Origin (when
   * sent) matches the host. Server-side callers (tests, server components) set both true.
   */
  readonly crossSite: { readonly customHeader: boolean; readonly sameOrigin: boolean };
  /** Sets or clears the session cookie on the response (no-op for server-side callers). */
  readonly setSessionCookie: (token: string | null, maxAgeSeconds: number) => void;
  /** The session timing settings. */
  readonly sessionConfig: { readonly maxMinutes: number; readonly idleMinutes: number };
  /**
   * Throws RATE_LIMITED (429) when this client has used up its allowance for `bucket`. Set for
   * HTTP requests only; server-side callers (pages, tests, the CLI) are not rate limited.
   */
  readonly limitRate?: (bucket: 'login') => void;
}

/** Name of the header every mutation must carry. A cross-site form post or simple request cannot set it. */
export const CSRF_HEADER = 'x-segtrial-request';

// 2. INITIALIZATION --------------------------------------------------------------------------------

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const appCode = error.cause instanceof AppError ? error.cause.code : undefined;
    const internal = error.code === 'INTERNAL_SERVER_ERROR';
    return {
      ...shape,
      // Never leak internals (SQL, stack, other records' data) to the client.
      message: internal ? INTERNAL_ERROR_MESSAGE : shape.message,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        appCode,
        details: error.cause instanceof AppError ? error.cause.details : undefined,
        zodIssues: error.cause instanceof ZodError ? error.cause.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) : undefined,
      },
    };
  },
});

export const createCallerFactory = t.createCallerFactory;
export const router = t.router;

/** The 503 for a database outage, wherever it is met (the request context or a procedure). */
export function databaseUnavailableError(cause: unknown): TRPCError {
  const appError = new AppError('DATABASE_UNAVAILABLE', 'The database is unavailable at the moment; nothing was changed. Try again shortly.');
  appError.cause = cause;
  return new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: appError.message, cause: appError });
}

/** Domain code throws AppError; here it becomes the tRPC error its code maps to. */
const appErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof AppError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: APP_ERROR_STATUS[cause.code], message: cause.message, cause });
  }
  if (!result.ok && isDatabaseUnavailable(result.error.cause)) {
    // An outage is not a bug of this procedure: a typed 503 the client may retry, not a 500.
    throw databaseUnavailableError(result.error.cause);
  }
  if (!result.ok && isUniqueViolation(result.error.cause)) {
    // A value taken between a procedure's own check and its insert (two requests racing): the
    // client's conflict, typed like the check's own answer. The constraint is not named (internals).
    // Logged: a procedure that never checks before inserting shows up here, not only as a 409.
    console.warn('[trpc] unique violation answered as CONFLICT', result.error.cause);
    const cause = new AppError('ALREADY_EXISTS', 'That value is already taken (another request just used it); nothing was changed.');
    cause.cause = result.error.cause;
    throw new TRPCError({ code: 'CONFLICT', message: cause.message, cause });
  }
  if (!result.ok && result.error.code === 'INTERNAL_SERVER_ERROR') {
    console.error('[trpc] internal error', result.error.cause ?? result.error);
  }
  return result;
});

/** Mutations need the custom header and a same-origin Origin: refuses cross-site requests. */
const crossSiteGuard = t.middleware(({ ctx, type, next }) => {
  if (type === 'mutation' && (!ctx.crossSite.customHeader || !ctx.crossSite.sameOrigin)) {
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: `Cross-site request refused: mutations need the ${CSRF_HEADER} header and a same-origin Origin.`,
      cause: new AppError('CROSS_SITE_REQUEST', 'Cross-site request refused.'),
    });
  }
  return next();
});

// 3. PROCEDURES ------------------------------------------------------------------------------------

/** Anyone, logged in or not (login, the current user). */
export const publicProcedure = t.procedure.use(appErrors).use(crossSiteGuard);

/** Any logged-in user; `ctx.session` and `ctx.user` are non-null, `ctx.actor` is the user as an audit actor. */
export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.session) {
    throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Please log in.', cause: new AppError('UNAUTHENTICATED', 'Please log in.') });
  }
  const user = ctx.session.user;
  return next({ ctx: { ...ctx, session: ctx.session, user, actor: { userId: user.id, role: user.role } satisfies AuditActor } });
});

/** Logged in with one of `roles`; others get FORBIDDEN. Admins are not implicitly allowed. */
export function roleProcedure(...roles: readonly [Role, ...Role[]]) {
  return authedProcedure.use(({ ctx, next }) => {
    if (!roles.includes(ctx.user.role)) {
      throw new TRPCError({
        code: 'FORBIDDEN',
        message: `This action needs the role ${roles.join(' or ')}; you are ${ctx.user.role}.`,
        cause: new AppError('FORBIDDEN_ROLE', 'Role not permitted.'),
      });
    }
    return next({ ctx });
  });
}

/**
 * A procedure about one trial (input `{ trialId }`, merged with the procedure's own input): logged
 * in with one of `roles`, and a member of the trial (others get NOT_FOUND, as for a trial that does
 * not exist). `ctx.access` is the access decision (sites, arm access), `ctx.trial` the trial row
 * and `ctx.design` its parsed design (null while it has none), each read once per request.
 */
export function trialProcedure(...roles: readonly [Role, ...Role[]]) {
  return roleProcedure(...roles)
    .input(z.object({ trialId: z.uuid() }))
    .use(async ({ ctx, input, next }) => {
      const access = await resolveTrialAccess({ db: ctx.db, user: ctx.user, trialId: input.trialId });
      const trial = await loadTrial(ctx.db, input.trialId);
      return next({ ctx: { ...ctx, access, trial, design: trial.design ? parseTrialDesign(trial.design) : null } });
    });
}

/**
 * A procedure about one review case (input `{ caseId }`, merged with the procedure's own input):
 * logged in with one of `roles`, and `ctx.reviewCase` is the case loaded by loadReviewCase (a
 * clinician at the participant's site, else NOT_FOUND with one message for every way a case is out
 * of reach). The case carries the arm: build what the client sees from it, never return it.
 */
export function caseProcedure(...roles: readonly [Role, ...Role[]]) {
  return roleProcedure(...roles)
    .input(z.object({ caseId: z.uuid() }))
    .use(async ({ ctx, input, next }) => next({ ctx: { ...ctx, reviewCase: await loadReviewCase({ db: ctx.db, user: ctx.user, caseId: input.caseId }) } }));
}
