import { handleStudyUpload } from '../../../server/http/upload-study';
import { getRuntime } from '../../../server/runtime';

export const dynamic = 'force-dynamic';

/** Study upload (multipart): see server/http/upload-study.ts. */
export async function POST(req: Request): Promise<Response> {
  const { db } = await getRuntime();
  return handleStudyUpload({ db, req });
}
