import { serveRoute } from '@/server/http/route';
import { uploadStudyRoute } from '@/server/http/upload-study';

export const dynamic = 'force-dynamic';

/** Study upload (multipart): see server/http/upload-study.ts. */
export const POST = serveRoute(uploadStudyRoute);
