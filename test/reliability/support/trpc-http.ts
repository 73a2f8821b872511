import type { ProcedureInfo } from './procedures';

export interface HttpAnswer {
  readonly status: number;
  readonly text: string;
  /** tRPC's error data (code, httpStatus, appCode, zodIssues), when the answer is an error. */
  readonly error?: { code?: string; appCode?: string; zodIssues?: unknown[] };
}

/** Calls one procedure over HTTP the way the browser client does (superjson envelope, CSRF header). */
export async function callOverHttp(
  baseUrl: string,
  procedure: Pick<ProcedureInfo, 'path' | 'type'>,
  input: unknown,
  { cookie, forwardedFor }: { cookie?: string; forwardedFor?: string } = {},
): Promise<HttpAnswer> {
  const headers: Record<string, string> = { ...(cookie ? { cookie } : {}), ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) };
  const envelope = JSON.stringify({ json: input === undefined ? null : input });
  let res: Response;
  if (procedure.type === 'mutation') {
    res = await fetch(`${baseUrl}/api/trpc/${procedure.path}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', 'x-segtrial-request': '1', origin: baseUrl },
      body: envelope,
      signal: AbortSignal.timeout(60_000),
    });
  } else {
    const query = input === undefined ? '' : `?input=${encodeURIComponent(envelope)}`;
    res = await fetch(`${baseUrl}/api/trpc/${procedure.path}${query}`, { headers, signal: AbortSignal.timeout(60_000) });
  }
  const text = await res.text();
  let error: HttpAnswer['error'];
  try {
    error = (JSON.parse(text) as { error?: { json?: { data?: HttpAnswer['error'] } } }).error?.json?.data;
  } catch {
    // not JSON (e.g. 431 from the HTTP parser)
  }
  return { status: res.status, text, error };
}

/** Logs in over HTTP; returns the cookie pair. */
export async function httpLogin(baseUrl: string, username: string, password: string, forwardedFor?: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/trpc/auth.login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-segtrial-request': '1', origin: baseUrl, ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) },
    body: JSON.stringify({ json: { username, password } }),
  });
  const cookie = res.headers.get('set-cookie');
  if (!res.ok || !cookie) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  return cookie.split(';')[0]!;
}
