import { NextResponse, type NextRequest } from 'next/server';

/**
 * Passes the requested page's path to server components (header `x-segtrial-path`), so a visitor
 * sent to the login page can be returned to the page they asked for. Not an access check: every
 * page and procedure checks the session itself.
 */
export function proxy(request: NextRequest) {
  const headers = new Headers(request.headers);
  headers.set('x-segtrial-path', `${request.nextUrl.pathname}${request.nextUrl.search}`);
  return NextResponse.next({ request: { headers } });
}

export const config = { matcher: ['/((?!api/|_next/|favicon).*)'] };
