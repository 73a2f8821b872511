import { isDatabaseUnavailable } from '../../../db/database-errors';
import { handleStudyUpload } from '../../../server/http/upload-study';
import { getRuntime } from '../../../server/runtime';

export const dynamic = 'force-dynamic';

/** Study upload (multipart): see server/http/upload-study.ts. */
export async function POST(req: Request): Promise<Response> {
  const runtime = await getRuntime().catch((error: unknown) => {
    if (isDatabaseUnavailable(error)) return null;
    throw error;
  });
  if (!runtime) return Response.json({ error: { code: 'DATABASE_UNAVAILABLE', message: 'The database is unavailable at the moment; nothing was stored. Try again shortly.' } }, { status: 503 });
  return handleStudyUpload({ db: runtime.db, req });
}
