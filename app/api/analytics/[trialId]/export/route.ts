import { analyticsExportRoute } from '@/server/http/analytics-export';
import { serveRoute } from '@/server/http/route';

export const dynamic = 'force-dynamic';

/** Analysis exports (CSV, JSON, dataset, dictionary, PDF): see server/http/analytics-export.ts. */
export const GET = serveRoute(analyticsExportRoute);
