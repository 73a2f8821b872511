import type { Database } from '../../db/client';
import { isDatabaseUnavailable } from '../../db/database-errors';
import type { Role } from '../../db/schema';
import type { RequestMetadata } from '../domain/audit/write-audit-event';
import { resolveSession, type ResolvedSession, type SessionUser } from '../domain/auth/resolve-session';
import { SESSION_COOKIE } from '../domain/auth/session-token';
import { env } from '../env';
import { AppError } from '../errors';
import { getRuntime } from '../runtime';
import { CSRF_HEADER } from '../trpc';
import { parseCookies } from './cookies';
import { databaseUnavailableResponse, errorResponse, internalErrorResponse } from './error-response';
import { rateLimiters } from './rate-limit';
import { isSameOrigin, requestFacts } from './request-facts';
import { readLimitedBytes, readLimitedForm } from './limited-body';

/**
 * The one way through the routes outside tRPC (uploads, downloads, exports, health). A route is a
 * declaration plus a handler; the wrapper does, in this order and for every route alike:
 *
 * 1. cross-site refusal (403 CROSS_SITE_REQUEST): a browser's Origin or Sec-Fetch-Site naming
 *    another site; for methods with a body also the custom header tRPC mutations need;
 * 2. size (413 PAYLOAD_TOO_LARGE): a declared Content-Length over `maxBytes` (0 unless declared),
 *    before anything is read; `readForm`/`readBytes` cut a longer streamed body at the same limit;
 * 3. the database and the session (503 DATABASE_UNAVAILABLE when it cannot be reached), then
 *    401 without a session and 403 for a role not in `roles`;
 * 4. the per-user rate limit (429 with Retry-After) when `rateLimit` names a bucket;
 * 5. id parameters: a malformed id is a 404 with the route's not-found message, without a query;
 * 6. the handler, whose AppErrors become their typed status, a database outage a 503, and anything
 *    else a logged 500 that reveals nothing.
 *
 * Every answer carries X-Request-Id (also in `ctx.request`, so audit rows name it); refusals are
 * `cache-control: no-store`. Forwarded headers are believed as SEGTRIAL_TRUSTED_PROXIES says.
 */
interface RouteDeclaration<P extends string> {
  /** For log lines ("[upload-study] internal error"). */
  readonly name: string;
  /** Largest request body in bytes (or a function of the configuration); undefined: no body (GET). */
  readonly maxBytes?: number | (() => number);
  /** Per-user allowance, taken after the session check. */
  readonly rateLimit?: 'upload';
  /** Path parameters that must be UUIDs, with the 404 message for a malformed one. */
  readonly ids?: Partial<Record<P, string>>;
}

/** A route for logged-in users with one of `roles`. */
export interface AuthedRouteSpec<P extends string = string> extends RouteDeclaration<P> {
  readonly roles: readonly [Role, ...Role[]];
  readonly handle: (ctx: RouteContext<P>) => Promise<Response>;
}

/** A route anyone may call (health). */
export interface PublicRouteSpec<P extends string = string> extends RouteDeclaration<P> {
  readonly roles: 'public';
  readonly handle: (ctx: PublicRouteContext<P>) => Promise<Response>;
}

export type RouteSpec<P extends string = string> = AuthedRouteSpec<P> | PublicRouteSpec<P>;

export interface PublicRouteContext<P extends string = string> {
  readonly db: Database;
  readonly req: Request;
  readonly url: URL;
  readonly params: Readonly<Record<P, string>>;
  readonly session: ResolvedSession | null;
  /** Client address, user agent, request id: what audit rows record of the request. */
  readonly request: RequestMetadata & { readonly requestId: string };
  /** The multipart body, cut at `maxBytes`: throws 413, or INVALID_INPUT `invalid` when it is not a form. */
  readForm(invalid: string): Promise<FormData>;
  /** The raw body, cut at `maxBytes` (413). */
  readBytes(): Promise<Uint8Array>;
}

export interface RouteContext<P extends string = string> extends PublicRouteContext<P> {
  readonly session: ResolvedSession;
  readonly user: SessionUser;
  /** The user as an audit actor. */
  readonly actor: { readonly userId: string; readonly role: Role };
}

/** How the wrapper reaches the database: the process's runtime, or a test's. */
export type OpenDatabase = () => Promise<Database>;

const openRuntimeDatabase: OpenDatabase = async () => (await getRuntime()).db;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const NO_STORE = { 'cache-control': 'no-store' };

/** Declares a route for logged-in users with one of `spec.roles` (the handler's context is typed by it). */
export function defineRoute<P extends string = never>(spec: AuthedRouteSpec<P>): AuthedRouteSpec<P> {
  return spec;
}

/** Declares a route anyone may call. */
export function definePublicRoute<P extends string = never>(spec: PublicRouteSpec<P>): PublicRouteSpec<P> {
  return spec;
}

/** A Next.js route handler over `spec`, carrying the spec so a test can enumerate and drive it. */
export type ServedRoute = ((req: Request, ctx?: { params?: Promise<Record<string, string>> }) => Promise<Response>) & { readonly spec: RouteSpec };

export function serveRoute<P extends string>(spec: RouteSpec<P>): ServedRoute {
  const served = async (req: Request, ctx?: { params?: Promise<Record<string, string>> }) => runRoute(spec, { req, params: (await ctx?.params) ?? {} });
  return Object.assign(served, { spec });
}

/** Runs one request through the wrapper; `db` replaces the runtime's database (tests, the CLI). */
export async function runRoute<P extends string>(spec: RouteSpec<P>, { req, params = {}, db }: { req: Request; params?: Record<string, string>; db?: Database | OpenDatabase }): Promise<Response> {
  const facts = requestFacts(req);
  const response = await answer(spec, req, params, facts, typeof db === 'function' ? db : db ? async () => db : openRuntimeDatabase);
  try {
    response.headers.set('x-request-id', facts.metadata.requestId);
  } catch {
    // immutable headers (a redirect): the id is only missing from this answer
  }
  return response;
}

async function answer<P extends string>(spec: RouteSpec<P>, req: Request, params: Record<string, string>, facts: ReturnType<typeof requestFacts>, open: OpenDatabase): Promise<Response> {
  const takesBody = req.method !== 'GET' && req.method !== 'HEAD';
  if (!isSameOrigin(req, facts.host) || (takesBody && req.headers.get(CSRF_HEADER) !== '1')) {
    return errorResponse('CROSS_SITE_REQUEST', `Cross-site request refused: requests with a body need the ${CSRF_HEADER} header and a same-origin Origin.`, undefined, NO_STORE);
  }
  const maxBytes = (typeof spec.maxBytes === 'function' ? spec.maxBytes() : spec.maxBytes) ?? 0;
  const declared = Number(req.headers.get('content-length') ?? '0');
  if (declared > maxBytes) return errorResponse('PAYLOAD_TOO_LARGE', `A request body of ${declared} bytes exceeds this route's limit of ${maxBytes} bytes.`, { limitBytes: maxBytes }, NO_STORE);

  try {
    const db = await open();
    const token = parseCookies(req.headers.get('cookie')).get(SESSION_COOKIE);
    const session = await resolveSession({ db, token, idleMinutes: env().SEGTRIAL_SESSION_IDLE_MINUTES });
    if (spec.roles !== 'public') {
      if (!session) return errorResponse('UNAUTHENTICATED', 'Please log in.', undefined, NO_STORE);
      if (!spec.roles.includes(session.user.role)) return errorResponse('FORBIDDEN_ROLE', `This needs the role ${spec.roles.join(' or ')}; you are ${session.user.role}.`, undefined, NO_STORE);
    }
    if (spec.rateLimit && session) {
      const rate = rateLimiters()[spec.rateLimit].take(session.user.id);
      if (!rate.ok)
        return errorResponse(
          'RATE_LIMITED',
          `Too many requests of this kind; try again in ${rate.retryAfterSeconds} s.`,
          { retryAfterSeconds: rate.retryAfterSeconds },
          { ...NO_STORE, 'retry-after': String(rate.retryAfterSeconds) },
        );
    }
    for (const [name, notFound] of Object.entries(spec.ids ?? {}) as [string, string][]) {
      if (!UUID.test(params[name] ?? '')) return errorResponse('NOT_FOUND', notFound, undefined, NO_STORE);
    }
    const ctx = {
      db,
      req,
      url: new URL(req.url),
      params: params as Record<P, string>,
      session,
      user: session?.user ?? null,
      actor: session ? { userId: session.user.id, role: session.user.role } : undefined,
      request: facts.metadata,
      readForm: (invalid: string) => readLimitedForm(req, maxBytes, invalid),
      readBytes: () => readLimitedBytes(req, maxBytes),
    };
    // The role check above is what makes the session non-null for a non-public route.
    return await (spec.roles === 'public' ? spec.handle(ctx) : spec.handle(ctx as RouteContext<P>));
  } catch (error) {
    if (error instanceof AppError) return errorResponse(error.code, error.message, error.details, NO_STORE);
    if (isDatabaseUnavailable(error)) return databaseUnavailableResponse();
    return internalErrorResponse(error, `[${spec.name}] internal error (request ${facts.metadata.requestId})`);
  }
}

/** A typed refusal from inside a handler (the wrapper answers it with the code's status). */
export function refuse(code: AppError['code'], message: string, details?: Record<string, unknown>): never {
  throw new AppError(code, message, details);
}
