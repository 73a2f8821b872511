import { priorFileRoute } from '@/server/http/followup-files';
import { serveRoute } from '@/server/http/route';

export const dynamic = 'force-dynamic';

/** A prior visit's volume or (assisted arm) AI label map for the comparison view: see server/http/followup-files.ts. */
export const GET = serveRoute(priorFileRoute);
