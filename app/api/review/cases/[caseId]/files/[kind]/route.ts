import { caseFileRoute } from '@/server/http/review-files';
import { serveRoute } from '@/server/http/route';

export const dynamic = 'force-dynamic';

/** A case's volume or label map for the viewer: see server/http/review-files.ts. */
export const GET = serveRoute(caseFileRoute);
