import { healthRoute } from '@/server/http/health';
import { serveRoute } from '@/server/http/route';

export const dynamic = 'force-dynamic';

/** Liveness and database reachability: see server/http/health.ts. */
export const GET = serveRoute(healthRoute);
