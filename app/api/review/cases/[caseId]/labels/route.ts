import { editedLabelsRoute } from '@/server/http/review-files';
import { serveRoute } from '@/server/http/route';

export const dynamic = 'force-dynamic';

/** The reviewer's edited label map (request body: NIfTI bytes): see server/http/review-files.ts. */
export const POST = serveRoute(editedLabelsRoute);
