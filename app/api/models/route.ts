import { handleModelUpload } from '../../../server/http/upload-model';
import { getRuntime } from '../../../server/runtime';

export const dynamic = 'force-dynamic';

/** Model registration (multipart, admins): see server/http/upload-model.ts. */
export async function POST(req: Request): Promise<Response> {
  const { db } = await getRuntime();
  return handleModelUpload({ db, req });
}
