import { randomUUID } from 'node:crypto';
import type { RequestMetadata } from '../domain/audit/write-audit-event';
import { env } from '../env';

/**
 * What a request says about where it came from, believing the X-Forwarded-* headers only as far as
 * SEGTRIAL_TRUSTED_PROXIES allows. Shared by tRPC's context and the route wrapper, so that the
 * same-origin check, the client address (login rate limit, audit rows) and the cookie's Secure flag
 * are decided in one place.
 *
 * Next.js fills X-Forwarded-For with the connection's address only when the request carries none,
 * and a proxy appends the address it saw. So with N trusted proxies the client is the N-th entry
 * from the right; with none, the last entry (what Next.js wrote, or what a direct client sent: no
 * worse than nothing, and the forwarded host and protocol are then ignored).
 */
export interface RequestFacts {
  /** The host the client addressed (for the same-origin check). */
  readonly host: string;
  /** The client spoke https to us or to a trusted proxy (the session cookie gets Secure). */
  readonly secure: boolean;
  readonly clientAddress: string | null;
  readonly metadata: RequestMetadata & { readonly requestId: string };
}

export function requestFacts(req: Request, trustedProxies = env().SEGTRIAL_TRUSTED_PROXIES): RequestFacts {
  const url = new URL(req.url);
  const headers = req.headers;
  const trusted = trustedProxies > 0;
  const host = (trusted ? headers.get('x-forwarded-host')?.split(',')[0]?.trim() : undefined) || headers.get('host') || url.host;
  const secure = url.protocol === 'https:' || (trusted && headers.get('x-forwarded-proto')?.split(',')[0]?.trim() === 'https');
  const hops = (headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const clientAddress = hops[Math.max(0, hops.length - Math.max(1, trustedProxies))] ?? null;
  // A trusted proxy's request id is kept (it ties our logs to its own) when it is a plain token.
  const given = trusted ? headers.get('x-request-id') : null;
  const requestId = given && /^[\w.-]{8,100}$/.test(given) ? given : randomUUID();
  return { host, secure, clientAddress, metadata: { ip: clientAddress, userAgent: headers.get('user-agent')?.slice(0, 300) ?? null, requestId, via: 'web' } };
}

/**
 * False when a browser says the request comes from another site: an Origin header naming another
 * host (or 'null'), or Sec-Fetch-Site: cross-site. Requests without either (curl, server-side
 * callers) pass; mutations additionally need the custom header, which a cross-site page cannot set.
 */
export function isSameOrigin(req: Request, host: string): boolean {
  if (req.headers.get('sec-fetch-site') === 'cross-site') return false;
  const origin = req.headers.get('origin');
  if (origin === null) return true;
  return URL.canParse(origin) && new URL(origin).host === host;
}
