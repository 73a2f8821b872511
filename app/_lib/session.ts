import { cookies, headers } from 'next/headers';
import { forbidden, redirect } from 'next/navigation';
import type { Role } from '../../db/schema/roles';
import type { SessionUser } from '../../server/domain/auth/resolve-session';
import { SESSION_COOKIE } from '../../server/domain/auth/session-token';
import { serverCaller, sessionUserFromToken } from '../../server/http/page-session';

export const ROLE_HOME: Record<Role, string> = {
  admin: '/admin',
  coordinator: '/coordinator',
  clinician: '/clinician',
  statistician: '/statistician',
  monitor: '/monitor',
  dsmb: '/dsmb',
};

export async function currentUser(): Promise<SessionUser | null> {
  return sessionUserFromToken((await cookies()).get(SESSION_COOKIE)?.value);
}

/**
 * For a role's page: anonymous visitors go to the login page; a logged-in user of another role gets
 * the 403 page. The API checks roles again on every call; this only keeps pages honest.
 */
export async function requireRole(...roles: Role[]): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect(loginPathFor((await headers()).get('x-segtrial-path')));
  if (!roles.includes(user.role)) forbidden();
  return user;
}

/** The login page, with the page that was asked for (set by proxy.ts) to return to afterwards. */
function loginPathFor(requested: string | null): string {
  return requested && isLocalPath(requested) && !requested.startsWith('/login') ? `/login?next=${encodeURIComponent(requested)}` : '/login';
}

/** A path on this site ('/x'), never another origin ('//host', '/\\host', 'https:…'). */
export function isLocalPath(path: string): boolean {
  return path.startsWith('/') && !path.startsWith('//') && !path.startsWith('/\\');
}

/** The tRPC API as the current user, for server components. */
export async function api() {
  return serverCaller((await cookies()).get(SESSION_COOKIE)?.value);
}
